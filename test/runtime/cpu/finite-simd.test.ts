import { afterAll, describe, expect, it } from 'vitest';
import { poolStats, threadsSupported } from '../../../runtime/cpu/threads/pool.js';
import { setCpuThreads } from '../../../runtime/cpu/threads/thread-count.js';
import { TILE_FLOATS } from '../../../runtime/cpu/wasm/elementwise-module.js';
import { hasNonFinite } from '../../../runtime/cpu/wasm/finite-simd.js';
import { kernelHeap } from '../../../runtime/cpu/wasm/kernel-memory.js';
import { sgemmModule } from '../../../runtime/cpu/wasm/sgemm-simd.js';
import { warmPool } from './threads/warm-pool.js';

/**
 * The weights' NaN scan (finite-simd.ts) against the definition (Number.isFinite of every value):
 * tensors in the kernels' memory (scanned in WASM, the last 1-3 values in JS) and plain arrays, of
 * lengths with tails and over several tiles, with one NaN, +∞ or −∞ at the first value, at a tile's
 * edges, in the middle and at the last value; extreme finite values (±max, denormals, −0) are finite.
 * 1 and 2 threads give the same answers.
 */
const SPECIALS = [Number.NaN, Infinity, -Infinity];
const LENGTHS = [256, 259, 1027, TILE_FLOATS * 3 + 2];

function extremes(n: number): Float32Array {
  const x = Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) * 10);
  [x[0], x[1], x[2], x[3]] = [3.4028234663852886e38, -3.4028234663852886e38, 1e-45, -0];
  return x;
}

/** `values` in a block of the kernels' memory; `use` runs on it, and the block is freed. */
function placed<T>(values: Float32Array, use: (data: Float32Array) => T): T {
  const heap = kernelHeap(sgemmModule()!.memory);
  const address = heap.allocate(values.length * 4);
  const data = heap.view('f32', address, values.length) as Float32Array;
  data.set(values);
  try {
    return use(data);
  } finally {
    heap.free(address);
  }
}

const definition = (x: Float32Array): boolean => !x.every(Number.isFinite);

describe.runIf(sgemmModule() !== null)('the NaN scan on WASM SIMD', () => {
  afterAll(() => setCpuThreads(null));

  for (const n of LENGTHS) {
    it(`${n} values: a NaN or infinity anywhere is found, extreme finite values are not`, () => {
      const clean = extremes(n);
      expect(placed(clean, hasNonFinite)).toBe(false);
      expect(hasNonFinite(clean)).toBe(false);
      const positions = [0, Math.min(TILE_FLOATS - 1, n - 2), Math.min(TILE_FLOATS, n - 1), n >> 1, n - 1];
      for (const at of positions) {
        for (const special of SPECIALS) {
          const x = clean.slice();
          x[at] = special;
          expect(definition(x)).toBe(true);
          expect(placed(x, hasNonFinite), `${special} at ${at}`).toBe(true);
          expect(hasNonFinite(x), `${special} at ${at} (plain array)`).toBe(true);
        }
      }
    });
  }

  it.runIf(threadsSupported())('the same answers on 1 and 2 threads, and 2 uses the workers', async () => {
    const n = 600_003;
    const clean = extremes(n);
    const cases = [clean, ...[7, TILE_FLOATS * 100, n - 1].map((at) => Object.assign(clean.slice(), { [at]: Number.NaN }))];
    await warmPool(1);
    const one = cases.map((x) => placed(x, hasNonFinite));
    await warmPool(2);
    const before = poolStats().jobs;
    const two = cases.map((x) => placed(x, hasNonFinite));
    expect(poolStats().jobs).toBeGreaterThan(before);
    expect(two).toEqual(one);
    expect(one).toEqual(cases.map(definition));
  });
});
