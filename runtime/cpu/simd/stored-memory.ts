import { threadsSupported } from '../threads/pool.js';
import { instantiateThreaded, MAX_MEMORY_PAGES, parallelFor, type ThreadedModule } from '../threads/threaded-module.js';
import { floatsOf } from '../wasm/sgemm-simd.js';
import { OPTIMIZER_UPDATES, optimizerModuleBytes, TILE_FLOATS, type OptimizerUpdate } from './optimizer-module.js';

/**
 * Trainable parameters and optimizer slots in WebAssembly memory, so the optimizer updates run on
 * them in place in WASM SIMD (optimizer-module.ts) with no copy of the weights. Above an executor's
 * tensors, one scratch region as large as its largest parameter receives the gradient (a pooled
 * activation-sized buffer outside the memory) before an update: one memcpy, the only copy per update.
 *
 * Where the host has threads (threads/pool.ts), every executor's tensors are a block of one shared
 * memory, the arena, whose update module the worker pool holds: an update runs split by tiles of
 * values over the threads, the same bits on any number of them. The arena grows for a new executor
 * (views of a shared memory stay valid as it grows) and takes a block back when every view of it
 * has been collected. Elsewhere each executor gets a memory of its own, sized once, never grown, and
 * the updates run on the calling thread.
 *
 * No SIMD (or NNET_CPU_SIMD=0): `createStoredMemory` returns null, the executor allocates plain
 * arrays and the optimizer kernels run their JS loops.
 */
export interface StoredMemory {
  /** A zeroed view of `size` float32 values, 16-byte aligned. */
  allocate(size: number): Float32Array;
}

/** An executor's tensors and gradient scratch, in one memory. */
interface Block {
  module: ThreadedModule;
  /** Byte address of the gradient scratch. */
  scratch: number;
  scratchElements: number;
}

/** The block of every view `allocate` handed out. */
const blocks = new WeakMap<Float32Array, Block>();

const align = (elements: number): number => Math.ceil(elements / 4) * 4;
const PAGE = 65536;
/** Stay well inside 32-bit addresses; bigger models keep plain arrays (and JS updates). */
const MAX_BYTES = 2 ** 31;

/**
 * One value's update in the threshold's multiply-adds (threaded-module.ts): a pass over three to five
 * arrays with, for most, a square root and a division (Adam on 400 K values: ~0.4 ms on one thread).
 */
const UPDATE_COST = 24;

function simdAllowed(): boolean {
  const env = typeof process === 'object' ? process.env : {};
  return env.NNET_CPU_SIMD !== '0' && typeof WebAssembly === 'object';
}

/** Free byte ranges of the arena, by address, merged with their neighbours when given back. */
class Arena {
  private readonly free: Array<{ at: number; bytes: number }> = [];
  private top = 0;
  private readonly released = new FinalizationRegistry<{ at: number; bytes: number; views: { live: number } }>((block) => {
    if (--block.views.live === 0) this.release(block.at, block.bytes);
  });

  constructor(readonly module: ThreadedModule) {}

  /** The byte address of `bytes` (a multiple of 16) free bytes, the memory grown to hold them; null past MAX_BYTES. */
  take(bytes: number): number | null {
    const index = this.free.findIndex((range) => range.bytes >= bytes);
    if (index >= 0) {
      const range = this.free[index]!;
      const at = range.at;
      range.at += bytes;
      range.bytes -= bytes;
      if (range.bytes === 0) this.free.splice(index, 1);
      return at;
    }
    if (this.top + bytes > MAX_BYTES) return null;
    const at = this.top;
    this.top += bytes;
    const memory = this.module.memory;
    if (this.top > memory.buffer.byteLength) memory.grow(Math.ceil((this.top - memory.buffer.byteLength) / PAGE));
    return at;
  }

  /** Frees [at, at + bytes) once every view of `views` has been collected. */
  watch(view: Float32Array, block: { at: number; bytes: number; views: { live: number } }): void {
    block.views.live += 1;
    this.released.register(view, block);
  }

  private release(at: number, bytes: number): void {
    this.free.push({ at, bytes });
    this.free.sort((a, b) => a.at - b.at);
    for (let i = this.free.length - 1; i > 0; i--) {
      const [before, after] = [this.free[i - 1]!, this.free[i]!];
      if (before.at + before.bytes === after.at) {
        before.bytes += after.bytes;
        this.free.splice(i, 1);
      }
    }
  }
}

let arena: Arena | null | undefined;

/** The shared arena, made on first use; null where the host has no threads or no WASM SIMD. */
function sharedArena(): Arena | null {
  if (arena === undefined) {
    const module = threadsSupported() && simdAllowed() ? instantiateThreaded(optimizerModuleBytes, OPTIMIZER_UPDATES) : null;
    arena = module?.shared ? new Arena(module) : null;
  }
  return arena;
}

/** A memory of `bytes` for one executor, with the update module on it (calling thread only); null without WASM SIMD. */
function ownMemory(bytes: number): ThreadedModule | null {
  if (!simdAllowed()) return null;
  try {
    const code = optimizerModuleBytes(false);
    if (!WebAssembly.validate(code)) return null;
    const pages = Math.max(1, Math.ceil(bytes / PAGE));
    const memory = new WebAssembly.Memory({ initial: pages, maximum: Math.min(pages, MAX_MEMORY_PAGES) });
    const exports = new WebAssembly.Instance(new WebAssembly.Module(code), { env: { memory } }).exports;
    return { exports, memory, shared: false, id: null, functions: OPTIMIZER_UPDATES };
  } catch {
    return null;
  }
}

/** Storage for tensors of the given element counts, with a gradient scratch of `scratchElements`. */
export function createStoredMemory(sizes: readonly number[], scratchElements: number): StoredMemory | null {
  if (sizes.length === 0) return null;
  const scratchAligned = align(scratchElements);
  const total = sizes.reduce((n, s) => n + align(s), 0) + scratchAligned;
  const bytes = total * 4;
  if (bytes > MAX_BYTES) return null;
  const shared = sharedArena();
  const at = shared ? shared.take(bytes) : 0;
  const module = shared && at !== null ? shared.module : ownMemory(bytes);
  if (!module || at === null) return null;
  const base = shared ? at : 0;
  const block: Block = { module, scratch: base + (total - scratchAligned) * 4, scratchElements: scratchAligned };
  const watched = { at: base, bytes, views: { live: 0 } };
  // A block reused from a collected executor holds its old values.
  new Float32Array(module.memory.buffer, base, total).fill(0);
  let top = 0;
  return {
    allocate(size) {
      if (top + align(size) > total - scratchAligned) throw new Error('stored memory: more tensors than it was sized for');
      const data = new Float32Array(module.memory.buffer, base + top * 4, size);
      top += align(size);
      blocks.set(data, block);
      if (shared) shared.watch(data, watched);
      return data;
    },
  };
}

/**
 * Runs `update` in place on the first `length - length % 4` values of `param` and its slots when
 * they live in one block of stored memory, after copying `grad` into the block's scratch: the
 * arguments are `pointers` (the parameter's and the slots' byte addresses; the gradient's is put
 * second) and `scalars`. Returns how many values it updated (the caller's scalar loop does the
 * rest): 0 for plain arrays.
 */
export function simdUpdate(update: OptimizerUpdate, param: Float32Array, grad: Float32Array, slots: readonly Float32Array[], scalars: readonly number[]): number {
  const block = blocks.get(param);
  if (block === undefined || param.length < 4 || grad.length !== param.length || grad.length > block.scratchElements) return 0;
  for (const slot of slots) if (blocks.get(slot) !== block) return 0;
  floatsOf(block.module.memory).set(grad, block.scratch / 4);
  const count = param.length - (param.length % 4);
  const args = [param.byteOffset, block.scratch, ...slots.map((s) => s.byteOffset), count * 4, ...scalars];
  parallelFor(block.module, update, args, Math.ceil(count / TILE_FLOATS), count * UPDATE_COST);
  return count;
}
