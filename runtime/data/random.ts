import { mulberry32 } from '../plan/random.js';

/**
 * A small seeded random source (mulberry32, runtime/plan/random.ts): shuffles, splits, dropout seeds
 * and augmentation all draw from it, so one seed reproduces a whole run. Not for cryptography.
 */
export class Random {
  private readonly uniform: () => number;

  constructor(seed: number) {
    this.uniform = mulberry32((seed >>> 0) ^ 0x9e3779b9);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uniform();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** A new 32-bit seed, for handing to a kernel (dropout masks). */
  seed(): number {
    return Math.floor(this.next() * 4294967296) >>> 0;
  }
}

/** The permutation 0..n-1 shuffled by Fisher–Yates with the given seed. */
export function permutation(n: number, seed: number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const random = new Random(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = random.int(i + 1);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}

/** Mixes a run seed with small integers (epoch, purpose) into an independent 32-bit seed. */
export function mixSeed(...values: number[]): number {
  let h = 0x811c9dc5;
  for (const v of values) {
    h ^= v >>> 0;
    h = Math.imul(h, 0x01000193) >>> 0;
    h ^= h >>> 15;
  }
  return h >>> 0;
}
