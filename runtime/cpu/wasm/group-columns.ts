import { parallelFor } from '../threads/threaded-module.js';
import { COLUMNS_FUNCTIONS, columnsModuleBytes } from './columns-module.js';
import { overGemmMemory, type GemmMemoryModule } from './gemm-memory.js';
import { addressIn, floatsOf, holdBetweenCalls, kernelHeap } from './kernel-memory.js';
import { copyRowsJs } from '../kernels/elementwise.js';

/**
 * What grouped-simd.ts and attention-simd.ts need to move a group's (a head's) columns in WebAssembly
 * (columns-module.ts) instead of JS loops, and conv-phases.ts a stride phase's rows to their pixels:
 * the module over the GEMM's memory, and blocks of that memory's heap kept between calls for a
 * group's operands and products, so the GEMM reads and writes them where they lie (a block is below
 * the heap's top, out of the way of the GEMM's per-call scratch).
 */
export const columnsModule = overGemmMemory<unknown>(columnsModuleBytes, COLUMNS_FUNCTIONS);

/** A copy's cost per float in the threshold's multiply-adds (memory-bound, as the element-wise passes). */
export const VALUE_COST = 4;

/** `rows` rows of `floats` floats from src (rows of srcFloats) to dst (rows of dstFloats); byte addresses. */
export function copyColumns(module: GemmMemoryModule<unknown>, src: number, srcFloats: number, dst: number, dstFloats: number, rows: number, floats: number): void {
  const args = copyArgs;
  args[0] = src;
  args[1] = srcFloats * 4;
  args[2] = dst;
  args[3] = dstFloats * 4;
  args[4] = floats * 4;
  parallelFor(module.threaded, 'copy_columns', args, rows, rows * floats * VALUE_COST);
}

const copyArgs: number[] = [0, 0, 0, 0, 0];

/**
 * `rows` rows of `width` floats, rows `srcStride` apart in src from float `from`, to dst from float
 * `to`, rows `dstStride` apart: copy_columns when there is a columns module and both arrays lie in its
 * memory, else a JS loop.
 */
export function copyRows(columns: GemmMemoryModule<unknown> | null, src: Float32Array, from: number, srcStride: number, dst: Float32Array, to: number, dstStride: number, rows: number, width: number): void {
  const srcAt = columns ? addressIn(columns.gemm.memory, src) : null;
  const dstAt = columns ? addressIn(columns.gemm.memory, dst) : null;
  if (columns && srcAt !== null && dstAt !== null) return copyColumns(columns, srcAt + from * 4, srcStride, dstAt + to * 4, dstStride, rows, width);
  copyRowsJs(src, from, srcStride, dst, to, dstStride, rows, width);
}

/**
 * A block of the memory's heap kept between calls (until an executor is disposed) and grown when a call needs more, with float views of
 * its parts made again only when the block or the memory's buffer changes (none per call).
 */
export class HeldBlock {
  private address = -1;
  private bytes = 0;
  /** Views by address, then length (numbers as keys: no string per call). */
  private readonly views = new Map<number, Map<number, Float32Array>>();

  constructor(private readonly memory: WebAssembly.Memory) {
    holdBetweenCalls(() => this.release());
  }

  /** Gives the block back to the heap (an executor was disposed); the next `reserve` places it afresh. */
  release(): void {
    if (this.address >= 0) kernelHeap(this.memory).free(this.address);
    this.address = -1;
    this.bytes = 0;
    this.views.clear();
  }

  /** The byte address of at least `bytes` bytes. */
  reserve(bytes: number): number {
    if (bytes > this.bytes) {
      const heap = kernelHeap(this.memory);
      if (this.address >= 0) heap.free(this.address);
      this.bytes = Math.max(bytes, Math.ceil(this.bytes * 1.5));
      this.address = heap.allocate(this.bytes);
      this.views.clear();
    }
    return this.address;
  }

  /** A float view of `length` floats at byte `at` of the memory (in the block), recognised by addressIn. */
  view(at: number, length: number): Float32Array {
    let byLength = this.views.get(at);
    if (!byLength) this.views.set(at, (byLength = new Map()));
    let view = byLength.get(length);
    if (!view || view.buffer !== this.memory.buffer) {
      view = kernelHeap(this.memory).view('f32', at, length) as Float32Array;
      byLength.set(length, view);
    }
    return view;
  }

  floats(): Float32Array {
    return floatsOf(this.memory);
  }
}
