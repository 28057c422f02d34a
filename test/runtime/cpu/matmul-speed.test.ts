import { describe, expect, it } from 'vitest';
import { matmul } from '../../../runtime/cpu/kernels/matmul.js';

/**
 * A measurement, not a timed test: prints SGEMM GFLOP/s for dense-shaped products. Runs only with
 * NNET_BENCH=1 (`NNET_BENCH=1 npx vitest run test/runtime/cpu/matmul-speed.test.ts`), so the suite
 * stays fast on the shared machine.
 */
const ctx = { training: false, lr: 0, step: 0, seed: 0 };
const none = { bias: null, pre: null, activation: null };

describe.runIf(process.env.NNET_BENCH === '1')('matmul speed', () => {
  for (const [m, n, k, transB] of [[128, 256, 784, true], [256, 512, 784, true], [128, 784, 256, false], [1024, 1024, 1024, false]] as const) {
    it(`${m}x${n}x${k} transB=${transB}`, () => {
      const a = { shape: [m, k], data: Float32Array.from({ length: m * k }, Math.random) };
      const b = { shape: transB ? [n, k] : [k, n], data: Float32Array.from({ length: k * n }, Math.random) };
      const y = { shape: [m, n], data: new Float32Array(m * n) };
      const run = (): void => matmul(ctx, [a, b], [y], { transA: false, transB }, none);
      run();
      const reps = Math.max(2, Math.round(3e9 / (2 * m * n * k)));
      const start = performance.now();
      for (let r = 0; r < reps; r++) run();
      const seconds = (performance.now() - start) / 1000;
      const gflops = (2 * m * n * k * reps) / seconds / 1e9;
      console.log(`matmul ${m}x${n}x${k} transB=${transB}: ${gflops.toFixed(2)} GFLOP/s`);
      expect(gflops).toBeGreaterThan(0);
    });
  }
});
