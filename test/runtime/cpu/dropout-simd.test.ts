import { afterAll, describe, expect, it } from 'vitest';
import type { CpuKernel } from '../../../runtime/cpu/kernel-interface.js';
import { normalizationKernels } from '../../../runtime/cpu/kernels/normalization.js';
import { poolStats, threadsSupported } from '../../../runtime/cpu/threads/pool.js';
import { setCpuThreads } from '../../../runtime/cpu/threads/thread-count.js';
import { dropoutModuleBytes } from '../../../runtime/cpu/wasm/dropout-module.js';
import { dropoutSimd } from '../../../runtime/cpu/wasm/dropout-simd.js';
import { TILE_FLOATS } from '../../../runtime/cpu/wasm/elementwise-module.js';
import { elementwiseSimdKernels } from '../../../runtime/cpu/wasm/elementwise-simd.js';
import { sgemmModule } from '../../../runtime/cpu/wasm/sgemm-simd.js';
import { bits, warmPool } from './threads/warm-pool.js';

/**
 * Dropout on WASM SIMD against the JS kernel (mulberry32 drawn in sequence, y = x·keep in float64
 * rounded once): the mask to the bit (the same draws, the same float32 keep); y within 2 float32 ulps
 * of |x·keep| (keep rounded to float32 before the product: ≤ 2⁻²⁴ relative, plus the product's
 * rounding), ±∞ and NaN as the JS kernel gives them. Sizes: the WASM minimum, a tail, several tiles;
 * rates from 1e-9 to 0.9; 1 and 2 threads give the same bits; dropout_grad (dy·mask) to the bit.
 */
const ULP = 2 ** -23;

function wave(n: number, seed: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => 3 * Math.sin(seed * 1.7 + i * 0.61));
}

function run(kernel: CpuKernel, x: Float32Array, rate: number, seed = 5, training = true): { y: Float32Array; mask: Float32Array } {
  const y = new Float32Array(x.length).fill(7);
  const mask = new Float32Array(x.length).fill(7);
  kernel({ training, lr: 0, step: 0, seed }, [{ shape: [x.length], data: x }], [{ shape: [x.length], data: y }, { shape: [x.length], data: mask }], { rate, seed: 11 });
  return { y, mask };
}

/** The first index where `ok` fails, described, or null. */
function firstFailure(n: number, ok: (i: number) => boolean, say: (i: number) => string): string | null {
  for (let i = 0; i < n; i++) if (!ok(i)) return say(i);
  return null;
}

describe.runIf(sgemmModule() !== null)('dropout on WASM SIMD', () => {
  afterAll(() => setCpuThreads(null));

  it('the module validates on this host', () => {
    expect(WebAssembly.validate(dropoutModuleBytes())).toBe(true);
  });

  for (const n of [16, 18, 4 * 33 + 1, TILE_FLOATS * 3 + 6]) {
    for (const rate of [1e-9, 0.1, 0.5, 0.9]) {
      it(`${n} values at rate ${rate}: the JS kernel's mask, y within 2 ulps`, () => {
        const x = wave(n, n);
        [x[1], x[3], x[5]] = [Number.NaN, Infinity, -Infinity];
        for (const seed of [0, 5, 0xfffffff]) {
          const got = run(dropoutSimd, x, rate, seed);
          const want = run(normalizationKernels.dropout, x, rate, seed);
          expect(bits(got.mask)).toEqual(bits(want.mask));
          const bad = firstFailure(
            n,
            (i) => (Number.isFinite(want.y[i]!) ? Math.abs(got.y[i]! - want.y[i]!) <= 2 * ULP * Math.abs(want.y[i]!) : Object.is(got.y[i], want.y[i])),
            (i) => `y[${i}] = ${got.y[i]}, want ${want.y[i]}`,
          );
          expect(bad).toBeNull();
        }
      });
    }
  }

  it('inference and rate 0 copy x with a mask of ones', () => {
    const x = wave(100, 1);
    for (const [rate, training] of [[0.5, false], [0, true]] as const) {
      const got = run(dropoutSimd, x, rate, 5, training);
      expect(got.y).toEqual(x);
      expect(got.mask).toEqual(new Float32Array(100).fill(1));
    }
  });

  it('dropout_grad is dy·mask to the bit', () => {
    const dy = wave(TILE_FLOATS + 3, 2);
    const { mask } = run(dropoutSimd, wave(TILE_FLOATS + 3, 3), 0.3);
    const dx = (kernel: CpuKernel): Float32Array => {
      const out = new Float32Array(dy.length);
      const t = (data: Float32Array) => ({ shape: [data.length], data });
      kernel({ training: true, lr: 0, step: 0, seed: 0 }, [t(dy), t(mask)], [t(out)], {});
      return out;
    };
    expect(bits(dx(elementwiseSimdKernels.dropout_grad))).toEqual(bits(dx(normalizationKernels.dropout_grad)));
  });

  it.runIf(threadsSupported())('the same bits on 1 and 2 threads, and 2 uses the workers', async () => {
    const x = wave(300_001, 4);
    await warmPool(1);
    const one = run(dropoutSimd, x, 0.25);
    await warmPool(2);
    const before = poolStats().jobs;
    const two = run(dropoutSimd, x, 0.25);
    expect(poolStats().jobs).toBeGreaterThan(before);
    expect(bits(two.y)).toEqual(bits(one.y));
    expect(bits(two.mask)).toEqual(bits(one.mask));
  });
});
