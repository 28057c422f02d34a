import { operandVersion } from '../packed-operands.js';

/**
 * Copies of long-lived matmul operands (dense weights) kept inside one WebAssembly memory between
 * calls, so a kernel that reads a weight once per call does not also copy it in once per call. A copy
 * is rewritten only when the weight's version (packed-operands.ts) has moved: after an optimizer
 * update or setWeights.
 *
 * Copies are placed one after another from address 0; everything above them is per-call scratch.
 * WebAssembly memory cannot be freed piecewise, so copies of weights that were dropped stay until
 * the copies pass `limitBytes`: then all of them are forgotten and placed afresh, from 0, as they are
 * next used. A model whose weights exceed the limit thus copies some of them per call: slower, still
 * correct.
 */
interface Copy {
  offset: number;
  layout: string;
  version: number;
  generation: number;
}

const ALIGN = 16;

export class ResidentOperands {
  /** Per buffer, one copy per layout: a weight is read transposed forward and plain backward. */
  private readonly copies = new WeakMap<Float32Array, Map<string, Copy>>();
  private top = 0;
  private generation = 0;

  constructor(
    private readonly memory: WebAssembly.Memory,
    private readonly limitBytes: number,
  ) {}

  /**
   * The byte address of `data`'s copy under `layout` (a key naming its arrangement and sizes), written
   * by `write(address)` when missing or stale; null when `data` was never declared cacheable (the
   * caller writes it into scratch).
   */
  place(data: Float32Array, layout: string, bytes: number, write: (address: number) => void): number | null {
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
    const offset = current ? copy.offset : this.allocate(bytes);
    write(offset);
    layouts.set(layout, { offset, layout, version, generation: this.generation });
    return offset;
  }

  /** The first byte address free for scratch, above every copy. */
  scratchStart(): number {
    return this.top;
  }

  /** Grows the memory (by whole 64 KiB pages) to hold `bytes`; views of the old buffer are then stale. */
  reserve(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (bytes > have) this.memory.grow(Math.ceil((bytes - have) / 65536));
  }

  private allocate(bytes: number): number {
    if (this.top + bytes > this.limitBytes) {
      this.generation += 1;
      this.top = 0;
    }
    const offset = this.top;
    this.top += Math.ceil(bytes / ALIGN) * ALIGN;
    this.reserve(this.top);
    return offset;
  }
}
