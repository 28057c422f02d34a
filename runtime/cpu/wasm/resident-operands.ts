import { operandVersion } from '../packed-operands.js';
import { kernelHeap, type KernelHeap } from './kernel-memory.js';

/**
 * Copies of long-lived matmul operands (dense weights) kept inside one WebAssembly memory between
 * calls, so a kernel that reads a weight once per call does not also copy it in once per call. A copy
 * is rewritten only when the weight's version (packed-operands.ts) has moved: after an optimizer
 * update or setWeights.
 *
 * Copies are blocks of the memory's heap (kernel-memory.ts), next to the executors' tensors placed
 * there; everything above the highest block is per-call scratch. A disposed executor's weights have
 * their copies freed (`forgetResident`); copies of weights merely dropped are not noticed, so they
 * stay until the copies pass `limitBytes`: then all of them are freed and placed afresh as they are next used. A model whose weights exceed the limit thus copies some of them per call: slower, still
 * correct.
 */
interface Copy {
  offset: number;
  layout: string | number;
  version: number;
  generation: number;
  /** Its block's bytes (16-aligned), counted in `heldBytes`. */
  bytes: number;
}

const ALIGN = 16;

/** Every cache of resident copies (one per kernel module), for `forgetResident`. */
const caches = new Set<ResidentOperands>();

/** Frees the resident copies of `data` in every memory (its executor was disposed). */
export function forgetResident(data: Float32Array): void {
  for (const cache of caches) cache.forget(data);
}

export class ResidentOperands {
  /** Per buffer, one copy per layout: a weight is read transposed forward and plain backward. */
  private readonly copies = new WeakMap<Float32Array, Map<string | number, Copy>>();
  private generation = 0;
  private readonly heap: KernelHeap;
  /** The blocks of this generation's copies, and their bytes. */
  private held: number[] = [];
  private heldBytes = 0;

  constructor(
    memory: WebAssembly.Memory,
    private readonly limitBytes: number,
  ) {
    this.heap = kernelHeap(memory);
    caches.add(this);
  }

  /** Frees the copies of `data` (every layout); the next `place` of it writes a new one. */
  forget(data: Float32Array): void {
    const layouts = this.copies.get(data);
    if (!layouts) return;
    this.copies.delete(data);
    for (const copy of layouts.values()) {
      if (copy.generation !== this.generation) continue;
      const index = this.held.indexOf(copy.offset);
      if (index < 0) continue;
      this.heap.free(copy.offset);
      this.held.splice(index, 1);
      this.heldBytes -= copy.bytes;
    }
  }

  /**
   * The byte address of `data`'s copy under `layout` (a key naming its arrangement and sizes: a string,
   * or a number where a string per call would be garbage), written
   * by `write(address)` when missing or stale; null when `data` was never declared cacheable (the
   * caller writes it into scratch).
   */
  place(data: Float32Array, layout: string | number, bytes: number, write: (address: number) => void): number | null {
    const version = operandVersion(data);
    if (version === undefined) return null;
    let layouts = this.copies.get(data);
    if (!layouts) {
      layouts = new Map();
      this.copies.set(data, layouts);
    }
    const copy = layouts.get(layout);
    const current = copy !== undefined && copy.generation === this.generation;
    if (current && copy.version === version) return copy.offset;
    // A stale copy of the same layout is rewritten where it is: training writes every step.
    if (current) {
      write(copy.offset);
      copy.version = version;
      return copy.offset;
    }
    const offset = this.allocate(bytes);
    write(offset);
    layouts.set(layout, { offset, layout, version, generation: this.generation, bytes: Math.ceil(bytes / ALIGN) * ALIGN });
    return offset;
  }

  /**
   * The byte address of `data`'s copy under `layout` when one is placed (current or stale), else
   * null: for a writer of `data` that rewrites the copy itself as it goes (the optimizer updates that
   * pack: simd/stored-memory.ts), then calls `writtenAlong`.
   */
  copyAt(data: Float32Array, layout: string | number): number | null {
    const copy = this.copies.get(data)?.get(layout);
    return copy !== undefined && copy.generation === this.generation ? copy.offset : null;
  }

  /**
   * Records that the copy under `layout` already holds what `data` holds once its writer marks the
   * write (packed-operands.ts `markWritten`), so it is current at the next version, not rewritten
   * then. Sound where that write is marked once, right after the kernel: the executor's step loop
   * marks every stored tensor a kernel writes before the next kernel runs. A write never marked only
   * costs a rewrite (the version never reaches the copy's).
   */
  writtenAlong(data: Float32Array, layout: string | number): void {
    const copy = this.copies.get(data)?.get(layout);
    const version = operandVersion(data);
    if (copy !== undefined && version !== undefined) copy.version = version + 1;
  }

  /** The first byte address free for scratch, above every block of the memory (copies, tensors). */
  scratchStart(): number {
    return this.heap.top();
  }

  /** Grows the memory (by whole 64 KiB pages) to hold `bytes`; an ordinary memory's views are then stale. */
  reserve(bytes: number): void {
    this.heap.reserve(bytes);
  }

  private allocate(bytes: number): number {
    if (this.heldBytes + bytes > this.limitBytes) {
      this.generation += 1;
      for (const block of this.held) this.heap.free(block);
      this.held = [];
      this.heldBytes = 0;
    }
    const offset = this.heap.allocate(bytes);
    this.held.push(offset);
    this.heldBytes += Math.ceil(bytes / ALIGN) * ALIGN;
    return offset;
  }
}
