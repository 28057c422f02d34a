import { describe, expect, it } from 'vitest';
import { matmul } from '../../../runtime/cpu/kernels/matmul.js';
import { matmulSimd } from '../../../runtime/cpu/wasm/matmul-simd.js';

/**
 * A measurement, not a timed test: prints SGEMM GFLOP/s for dense-shaped products. Runs only with
 * NNET_BENCH=1 (`NNET_BENCH=1 npx vitest run test/runtime/cpu/matmul-speed.test.ts`), so the suite
 * stays fast on the shared machine. Both kernels: plain JS and WebAssembly SIMD, interleaved.
 */
const ctx = { training: false, lr: 0, step: 0, seed: 0 };
const none = { bias: null, pre: null, activation: null };

describe.runIf(process.env.NNET_BENCH === '1')('matmul speed', () => {
  const shapes = [[128, 256, 784, true], [256, 512, 784, true], [128, 784, 256, false], [1024, 1024, 1024, false], [8, 512, 784, true]] as const;
  for (const [m, n, k, transB] of shapes) {
    it(`${m}x${n}x${k} transB=${transB}`, () => {
      const a = { shape: [m, k], data: Float32Array.from({ length: m * k }, Math.random) };
      const b = { shape: transB ? [n, k] : [k, n], data: Float32Array.from({ length: k * n }, Math.random) };
      const y = { shape: [m, n], data: new Float32Array(m * n) };
      const reps = Math.max(2, Math.round(1.5e9 / (2 * m * n * k)));
      const rates: Record<string, number[]> = { js: [], simd: [] };
      for (let round = 0; round < 3; round++) {
        for (const [name, kernel] of [['js', matmul], ['simd', matmulSimd]] as const) {
          const run = (): void => kernel(ctx, [a, b], [y], { transA: false, transB }, none);
          run();
          const start = performance.now();
          for (let r = 0; r < reps; r++) run();
          rates[name]!.push((2 * m * n * k * reps) / ((performance.now() - start) / 1000) / 1e9);
        }
      }
      const median = (xs: number[]): number => xs.sort((p, q) => p - q)[1]!;
      console.log(`matmul ${m}x${n}x${k} transB=${transB}: js ${median(rates.js!).toFixed(2)}, wasm simd ${median(rates.simd!).toFixed(2)} GFLOP/s (median of 3)`);
      expect(median(rates.simd!)).toBeGreaterThan(0);
    });
  }
});
