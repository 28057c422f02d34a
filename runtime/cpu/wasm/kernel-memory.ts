/**
 * One WebAssembly memory shared by the kernels and the tensors they work on: how a kernel finds out
 * that an operand already lies in its memory (and at which byte address), so it reads or writes it
 * there instead of copying it in and out on every call.
 *
 * The memory is divided by a `KernelHeap`: blocks that stay (an executor's pooled activations and
 * gradients, resident copies of weights: resident-operands.ts) and, above the highest block, the
 * scratch a kernel call lays out for itself (`top()` onwards, grown with `reserve`). Views handed
 * out as tensors are made by `view`, which records which memory their buffer belongs to: a shared
 * memory's `buffer` is a new SharedArrayBuffer object after every grow, and views of the old one stay
 * valid, so `addressIn` asks the record rather than comparing buffers.
 *
 * A kernel lays out its call with `callLayout` (one reused object: nothing allocated per call):
 *
 *   const call = callLayout(memory);
 *   const xAt = call.input(x);        // where x lies, or a scratch copy of it
 *   const yAt = call.output(y);       // where y lies, or scratch
 *   const tmpAt = call.scratch(n);    // n floats of its own
 *   kernel(xAt, yAt, tmpAt, ...);
 *   call.copyOut(y, yAt);             // a no-op when y lay in the memory
 *
 * Scratch starts above every block, so a kernel that calls another kernel must finish using its
 * scratch first (the inner call lays out from the same place).
 *
 * Only shared memories hand out tensor views (`tensorHeap`): an ordinary memory's views are detached
 * when it grows, and the scratch grows it.
 *
 * A WebAssembly memory never shrinks, and one process runs many executors in it one after another (the
 * language server, the playground, a test file, the zoo's timings). So every block an executor takes
 * is given back when it is disposed: its bound tensors (bound-buffers.ts), its parameters and slots
 * (simd/stored-memory.ts), the resident copies of its weights (resident-operands.ts), and the blocks
 * the kernels hold between calls (pointer tables, grouped convolutions' columns: `holdBetweenCalls`).
 * Freed blocks leave gaps that merge with their free neighbours (only live blocks are listed, so a gap
 * is everything between two of them), and first fit reuses them: the memory's size stays at the
 * largest model's need rather than the sum of all of them.
 */
import { PlanError } from '../../plan/errors.js';

const owners = new WeakMap<ArrayBufferLike, WebAssembly.Memory>();

/** The byte address of `data` in `memory` when it is a view of that memory, else null. */
export function addressIn(memory: WebAssembly.Memory, data: ArrayBufferView): number | null {
  return owners.get(data.buffer) === memory ? byteAddress(data) : null;
}

/** The byte addresses of the views `view` made (see byteAddress). */
const viewAddresses = new WeakMap<ArrayBufferView, number>();

/**
 * `data.byteOffset`, from the record `KernelHeap.view` keeps: past 2³¹ the getter returns a new heap
 * number on every call (a kernels' memory past 2 GiB), the record the same one.
 */
export function byteAddress(data: ArrayBufferView): number {
  return viewAddresses.get(data) ?? data.byteOffset;
}

/**
 * One float view of the whole memory, made again only when growing it replaced the buffer: a new
 * view per call was a per-step allocation.
 */
const floatViews = new WeakMap<WebAssembly.Memory, Float32Array>();
export function floatsOf(memory: WebAssembly.Memory): Float32Array {
  let view = floatViews.get(memory);
  if (view?.buffer !== memory.buffer) {
    view = new Float32Array(memory.buffer);
    floatViews.set(memory, view);
  }
  return view;
}

/** The same for 32-bit integers (a kernel's integer settings: dropout's seed). */
const intViews = new WeakMap<WebAssembly.Memory, Int32Array>();
export function intsOf(memory: WebAssembly.Memory): Int32Array {
  let view = intViews.get(memory);
  if (view?.buffer !== memory.buffer) {
    view = new Int32Array(memory.buffer);
    intViews.set(memory, view);
  }
  return view;
}

const ALIGN = 16;
const PAGE = 65536;
const alignUp = (bytes: number): number => Math.ceil(bytes / ALIGN) * ALIGN;
/** Bytes for a message: GiB from one up, else MiB. */
const sized = (bytes: number): string => (bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(2)} GiB` : `${(bytes / 2 ** 20).toFixed(1)} MiB`);

interface Block {
  start: number;
  end: number;
}

/** The blocks of one memory, first fit, and the scratch above them. */
export class KernelHeap {
  /** Live blocks by start address, ascending. */
  private readonly blocks: Block[] = [];
  readonly shared: boolean;

  constructor(readonly memory: WebAssembly.Memory) {
    this.shared = typeof SharedArrayBuffer === 'function' && memory.buffer instanceof SharedArrayBuffer;
  }

  /** A block of `bytes` (16-aligned start, whole 16-byte units), in the first gap it fits; grows the memory. */
  allocate(bytes: number): number {
    const size = Math.max(ALIGN, alignUp(bytes));
    let start = 0;
    let index = 0;
    for (; index < this.blocks.length; index++) {
      const block = this.blocks[index]!;
      if (block.start - start >= size) break;
      start = block.end;
    }
    // Grown first: a memory that cannot grow (NNR1019) is left with no block listed that it lacks.
    this.reserve(start + size);
    this.blocks.splice(index, 0, { start, end: start + size });
    return start;
  }

  /** Frees the block that starts at `start` (a no-op when there is none: freed twice). */
  free(start: number): void {
    const index = this.blocks.findIndex((b) => b.start === start);
    if (index >= 0) this.blocks.splice(index, 1);
  }

  /** The first byte address above every block: a kernel call's scratch starts there. */
  top(): number {
    return this.blocks.length === 0 ? 0 : this.blocks[this.blocks.length - 1]!.end;
  }

  /** Bytes in live blocks. */
  usedBytes(): number {
    return this.blocks.reduce((n, b) => n + b.end - b.start, 0);
  }

  /**
   * Grows the memory (by whole 64 KiB pages) to hold `bytes`; an ordinary memory's views are then
   * stale. Past what the memory may grow to (wasm32's 4 GiB, or the host's limit) it is NNR1019.
   */
  reserve(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (bytes <= have) return;
    try {
      this.memory.grow(Math.ceil((bytes - have) / PAGE));
    } catch {
      throw new PlanError(
        'NNR1019',
        `the model needs ${sized(bytes)} of the CPU kernels' WebAssembly memory, which cannot grow past ${sized(have)} (${sized(this.usedBytes())} held by live executors); dispose executors no longer used, or use a smaller batch or model`,
      );
    }
  }

  /** A view of `length` float32 (or int32) values at byte `address`, recognised by `addressIn`. */
  view(dtype: 'f32' | 'i32', address: number, length: number): Float32Array | Int32Array {
    const buffer = this.memory.buffer;
    owners.set(buffer, this.memory);
    const view = dtype === 'i32' ? new Int32Array(buffer, address, length) : new Float32Array(buffer, address, length);
    viewAddresses.set(view, address);
    return view;
  }
}

/**
 * Releases of blocks kernels keep between calls for speed (pointer tables, grouped convolutions'
 * columns): they may sit anywhere in the heap, so `releaseHeldBlocks` drops them all when an executor
 * is disposed, and the kernels of the executors still alive place them afresh on their next call.
 */
const heldReleases = new Set<() => void>();

/** Registers `release`, which frees a kernel's kept blocks, for `releaseHeldBlocks`. */
export function holdBetweenCalls(release: () => void): void {
  heldReleases.add(release);
}

/** Frees every block kernels keep between calls (an executor was disposed: see above). */
export function releaseHeldBlocks(): void {
  for (const release of heldReleases) release();
}

const heaps = new WeakMap<WebAssembly.Memory, KernelHeap>();

/** The heap of `memory`, made on first use: everything that places blocks in it goes through this one. */
export function kernelHeap(memory: WebAssembly.Memory): KernelHeap {
  let heap = heaps.get(memory);
  if (!heap) {
    heap = new KernelHeap(memory);
    heaps.set(memory, heap);
  }
  return heap;
}

/** One kernel call's operands and scratch, laid out from the top of a memory's heap (see above). */
class CallLayout {
  private memory: WebAssembly.Memory | null = null;
  private heap: KernelHeap | null = null;
  private next = 0;

  begin(memory: WebAssembly.Memory): this {
    this.memory = memory;
    this.heap = kernelHeap(memory);
    this.next = this.heap.top();
    return this;
  }

  /** The byte address of an operand the call reads: where it lies in the memory, else a scratch copy. */
  input(data: Float32Array): number {
    const at = addressIn(this.memory!, data);
    if (at !== null) return at;
    const copy = this.scratch(data.length);
    floatsOf(this.memory!).set(data, copy / 4);
    return copy;
  }

  /** The byte address an output is written at: where it lies in the memory, else scratch (then `copyOut`). */
  output(data: Float32Array): number {
    return addressIn(this.memory!, data) ?? this.scratch(data.length);
  }

  /** `floats` float32 values of scratch, 16-aligned; grows the memory to hold them. */
  scratch(floats: number): number {
    const at = this.next;
    this.next = alignUp(at + floats * 4);
    this.heap!.reserve(this.next);
    return at;
  }

  /** Copies an output written at byte `at` into `data`, unless it lies there (`output` gave its own address). */
  copyOut(data: Float32Array, at: number): void {
    if (addressIn(this.memory!, data) === at) return;
    const floats = floatsOf(this.memory!);
    data.set(floats.subarray(at / 4, at / 4 + data.length));
  }
}

const layout = new CallLayout();

/** The layout of a kernel call on `memory`, starting above every block (one object, reused: calls do not overlap). */
export function callLayout(memory: WebAssembly.Memory): CallLayout {
  return layout.begin(memory);
}

const zeroBlocks = new WeakMap<WebAssembly.Memory, { address: number; floats: number }>();

/**
 * The byte address of at least `floats` zeros in `memory`, in a block kept for good (a padding tap's
 * pointer target): an address that stays put, so that tables of pointers to it stay valid. Nothing
 * may write there.
 */
export function zerosIn(memory: WebAssembly.Memory, floats: number): number {
  const kept = zeroBlocks.get(memory);
  if (kept && kept.floats >= floats) return kept.address;
  const heap = kernelHeap(memory);
  if (kept) heap.free(kept.address);
  const size = Math.max(floats, 1024);
  const address = heap.allocate(size * 4);
  floatsOf(memory).fill(0, address / 4, address / 4 + size);
  zeroBlocks.set(memory, { address, floats: size });
  return address;
}
