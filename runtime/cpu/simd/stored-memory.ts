import { MAX_MEMORY_PAGES, parallelFor, type ThreadedModule } from '../threads/threaded-module.js';
import { overGemmMemory } from '../wasm/gemm-memory.js';
import { byteAddress, callLayout, floatsOf, type KernelHeap } from '../wasm/kernel-memory.js';
import { transposedCopyOf, transposedCopyWritten, type SgemmModule } from '../wasm/sgemm-simd.js';
import { MAX_UPDATE_SCALARS, OPTIMIZER_FUNCTIONS, optimizerModuleBytes, PACKED_NAMES, PACKED_PANELS_PER_TILE, TILE_FLOATS, type OptimizerUpdate } from './optimizer-module.js';

/**
 * Trainable parameters and optimizer slots in WebAssembly memory, so the optimizer updates run on
 * them in place in WASM SIMD (optimizer-module.ts) with no copy of the weights.
 *
 * Where the kernels compute in a shared memory (the executor's tensor heap: wasm/install.ts,
 * wasm/kernel-memory.ts), an executor's parameters and slots are one block of that heap, next to
 * its activations and gradients: the update module, instantiated over that memory and held by the
 * worker pool, reads the gradient where the backward pass wrote it (the GEMM reads row-major weights
 * where they are too) and runs split by tiles of values over the threads (the same bits on any number
 * of them). The block is freed when its owner (the executor) is disposed (`release`), or collected.
 *
 * Elsewhere each executor gets a memory of its own, sized once, never grown (its views must stay
 * valid), the updates running on the calling thread; one scratch region there, as large as the
 * largest parameter, receives the gradient before an update (one memcpy).
 *
 * No SIMD (or NNET_CPU_SIMD=0): `createStoredMemory` returns null, the executor allocates plain
 * arrays and the optimizer kernels run their JS loops.
 */
export interface StoredMemory {
  /** A zeroed view of `size` float32 values, 16-byte aligned. */
  allocate(size: number): Float32Array;
  /** Gives a block of the tensor heap back (the executor is disposed; its views must not be used after). */
  release(): void;
}

/** An executor's tensors and gradient scratch, in one memory. */
interface Block {
  module: ThreadedModule;
  /** Byte address of the gradient scratch of a memory of its own (none in the heap: callLayout's). */
  scratch: number;
  scratchElements: number;
  /** Byte address of the block's parameter block: the settings of the update running now. */
  scalars: number;
  /** The GEMM module whose heap holds the block (its resident packed weights too), else null. */
  gemm: SgemmModule | null;
}

/** The block of every view `allocate` handed out. */
const blocks = new WeakMap<Float32Array, Block>();

const align = (elements: number): number => Math.ceil(elements / 4) * 4;
const PAGE = 65536;
/** Stay well inside 32-bit addresses; bigger models keep plain arrays (and JS updates). */
const MAX_BYTES = 2 ** 31;

/**
 * One value's update in the threshold's multiply-adds (threaded-module.ts): a pass over three to five
 * arrays with, for most, a square root and a division.
 */
const UPDATE_COST = 24;

const updatesOverGemm = overGemmMemory<unknown>(optimizerModuleBytes, OPTIMIZER_FUNCTIONS);

function simdAllowed(): boolean {
  const env = typeof process === 'object' ? process.env : {};
  return env.NNET_CPU_SIMD !== '0' && typeof WebAssembly === 'object';
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
    return { exports, memory, shared: false, id: null, functions: OPTIMIZER_FUNCTIONS };
  } catch {
    return null;
  }
}

/** Frees the stored tensors' block of the kernels' heap when the executor that owned it is collected. */
const released = new FinalizationRegistry<{ heap: KernelHeap; address: number }>(({ heap, address }) => heap.free(address));

/**
 * Storage for tensors of the given element counts: a block of `heap` (the executor's tensor heap)
 * when the update module runs on its memory, freed when `owner` is collected; else a memory of its
 * own with a gradient scratch of `scratchElements`.
 */
export function createStoredMemory(sizes: readonly number[], scratchElements: number, heap: KernelHeap | null = null, owner: object | null = null): StoredMemory | null {
  if (sizes.length === 0 || !simdAllowed()) return null;
  const overGemm = heap && updatesOverGemm()?.gemm.memory === heap.memory ? updatesOverGemm() : null;
  const inHeap = overGemm?.threaded ?? null;
  const scratchAligned = inHeap ? 0 : align(scratchElements);
  const scalarsAligned = align(MAX_UPDATE_SCALARS);
  const total = sizes.reduce((n, s) => n + align(s), 0) + scratchAligned + scalarsAligned;
  const tensors = total - scratchAligned - scalarsAligned;
  const bytes = total * 4;
  if (bytes > MAX_BYTES) return null;
  const module = inHeap ?? ownMemory(bytes);
  if (!module) return null;
  const base = inHeap ? heap!.allocate(bytes) : 0;
  const heldBlock = inHeap ? { heap: heap!, address: base } : null;
  // A token to unregister by: `owner` may own other registrations.
  const token = {};
  if (heldBlock && owner) released.register(owner, heldBlock, token);
  const block: Block = { module, scratch: base + tensors * 4, scratchElements: scratchAligned, scalars: base + (tensors + scratchAligned) * 4, gemm: overGemm?.gemm ?? null };
  // A reused block of the heap holds an earlier executor's values: the tensors start at zero.
  if (inHeap) floatsOf(module.memory).fill(0, base / 4, base / 4 + total);
  let top = 0;
  return {
    allocate(size) {
      if (top + align(size) > tensors) throw new Error('stored memory: more tensors than it was sized for');
      const at = base + top * 4;
      const data = inHeap ? (heap!.view('f32', at, size) as Float32Array) : new Float32Array(module.memory.buffer, at, size);
      top += align(size);
      blocks.set(data, block);
      return data;
    },
    release() {
      if (!heldBlock || heldBlock.address < 0) return;
      released.unregister(token);
      heldBlock.heap.free(heldBlock.address);
      heldBlock.address = -1;
    },
  };
}

/**
 * The settings of the next `simdUpdate`, in the order of the update's scalars (optimizer-module.ts):
 * the optimizer kernels fill it before each call. One array for every call, and the settings reach
 * the kernel through its parameter block in memory: no array and no boxed number per update.
 */
export const updateScalars = new Float64Array(MAX_UPDATE_SCALARS);

/** One argument list per slot count (0, 1 or 2 slots), refilled per update: only small integers. */
const argLists: number[][] = [0, 1, 2].map((slots) => new Array<number>(slots + 4).fill(0));

/**
 * Runs `update` in place on the first `length - length % 4` values of `param` and its slots (`slot0`,
 * `slot1`, in the update's order; null past its count) when they live in one block of stored memory,
 * reading `grad` where it lies in that memory or from a copy (in scratch above the heap, or in the
 * memory's own scratch), with the settings in `updateScalars`: the arguments are the parameter's, the
 * gradient's and the slots' byte addresses, the byte count and the parameter block's address. Returns
 * how many values it updated (the caller's scalar loop does the rest): 0 for plain arrays.
 *
 * A weight a product reads transposed from a resident packed copy (x·Wᵀ, sgemm-simd.ts), with k a
 * multiple of 4, is updated by `packingUpdate` instead, which rewrites that copy in the same pass:
 * the training step then has no separate repack of its dense weights.
 */
export function simdUpdate(update: OptimizerUpdate, param: Float32Array, grad: Float32Array, slot0: Float32Array | null = null, slot1: Float32Array | null = null): number {
  const block = blocks.get(param);
  if (block === undefined || param.length < 4 || grad.length !== param.length) return 0;
  if (slot0 !== null && blocks.get(slot0) !== block) return 0;
  if (slot1 !== null && blocks.get(slot1) !== block) return 0;
  let gradAt: number;
  if (block.module.shared) {
    gradAt = callLayout(block.module.memory).input(grad);
  } else {
    if (grad.length > block.scratchElements) return 0;
    floatsOf(block.module.memory).set(grad, block.scratch / 4);
    gradAt = block.scratch;
  }
  floatsOf(block.module.memory).set(updateScalars, block.scalars / 4);
  const copy = block.gemm && transposedCopyOf(block.gemm, param);
  if (copy && copy.k % 4 === 0 && copy.n * copy.k === param.length) {
    packingUpdate(block, block.gemm!, update, param, gradAt, slot0, slot1, copy);
    return param.length;
  }
  const count = param.length - (param.length % 4);
  const args = argLists[(slot0 === null ? 0 : 1) + (slot1 === null ? 0 : 1)]!;
  let i = 0;
  args[i++] = byteAddress(param);
  args[i++] = gradAt;
  if (slot0 !== null) args[i++] = byteAddress(slot0);
  if (slot1 !== null) args[i++] = byteAddress(slot1);
  args[i++] = count * 4;
  args[i] = block.scalars;
  parallelFor(block.module, update, args, Math.ceil(count / TILE_FLOATS), count * UPDATE_COST);
  return count;
}

/** The packing updates' argument lists, per slot count, refilled per update. */
const packedArgLists: number[][] = [0, 1, 2].map((slots) => new Array<number>(slots + 7).fill(0));

/**
 * `update` on a weight [n, k] (k a multiple of 4) that a product reads transposed from a resident
 * packed copy (sgemm-simd.ts), rewriting that copy as it goes (optimizer-module.ts
 * packedUpdateFunction): the whole panels of 8 rows on the pool, then the rows of a ragged last
 * panel by the plain loop and that panel by pack_bt. The copy is then current for the version the
 * executor's `markWritten` gives the weight after this kernel: the next forward pass does not repack it.
 */
function packingUpdate(
  block: Block, gemm: SgemmModule, update: OptimizerUpdate, param: Float32Array, gradAt: number,
  slot0: Float32Array | null, slot1: Float32Array | null, copy: { address: number; n: number; k: number },
): void {
  const { n, k, address } = copy;
  const nPanels = Math.ceil(n / 8);
  const whole = Math.floor(n / 8);
  const slots = (slot0 === null ? 0 : 1) + (slot1 === null ? 0 : 1);
  const args = packedArgLists[slots]!;
  let i = 0;
  args[i++] = byteAddress(param);
  args[i++] = gradAt;
  if (slot0 !== null) args[i++] = byteAddress(slot0);
  if (slot1 !== null) args[i++] = byteAddress(slot1);
  args[i++] = block.scalars;
  args[i++] = k;
  args[i++] = address;
  args[i++] = nPanels;
  args[i] = whole;
  parallelFor(block.module, PACKED_NAMES[update], args, Math.ceil(whole / PACKED_PANELS_PER_TILE), whole * 8 * k * UPDATE_COST);
  if (whole < nPanels) {
    // The ragged panel's rows, contiguous at the end of each array: the plain loop, then pack_bt.
    const offset = whole * 8 * k * 4;
    const count = (n - whole * 8) * k;
    const plain = argLists[slots]!;
    let j = 0;
    plain[j++] = byteAddress(param) + offset;
    plain[j++] = gradAt + offset;
    if (slot0 !== null) plain[j++] = byteAddress(slot0) + offset;
    if (slot1 !== null) plain[j++] = byteAddress(slot1) + offset;
    plain[j++] = count * 4;
    plain[j] = block.scalars;
    parallelFor(block.module, update, plain, Math.ceil(count / TILE_FLOATS), count * UPDATE_COST);
    // pack_bt(src, lineBytes, stepBytes, lines, k, dst, nPanels, panelsPerTile 1, start, end): the last panel alone.
    (gemm.threaded.exports.pack_bt as (...a: number[]) => void)(byteAddress(param), k * 4, 4, n, k, address, nPanels, 1, whole, nPanels);
  }
  transposedCopyWritten(gemm, param);
}
