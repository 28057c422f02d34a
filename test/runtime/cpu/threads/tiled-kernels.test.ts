import { afterAll, describe, expect, it } from 'vitest';
import type { CpuKernel, CpuTensor } from '../../../../runtime/cpu/kernel-interface.js';
import { poolStats, threadsSupported } from '../../../../runtime/cpu/threads/pool.js';
import { setCpuThreads } from '../../../../runtime/cpu/threads/thread-count.js';
import { elementwiseSimdKernels } from '../../../../runtime/cpu/wasm/elementwise-simd.js';
import { batchnormGradSimd, batchnormSimd, sumToSimd } from '../../../../runtime/cpu/wasm/norm-simd.js';
import { maxpoolGradSimd, maxpoolSimd } from '../../../../runtime/cpu/wasm/pool-simd.js';
import { sgemmModule } from '../../../../runtime/cpu/wasm/sgemm-simd.js';

/**
 * The element-wise, pooling and normalisation kernels on 1, 2 and 3 threads give the same bits, and
 * 2 and 3 hand work to the workers: each splits its output into tiles (runs of values, output rows
 * or images, groups of channels) computed by the same instructions whichever thread runs them.
 */
const ctx = { training: true, lr: 0, step: 0, seed: 0 };
const wave = (n: number, seed: number): Float32Array => Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 1.3 + i * 0.37));
const t = (shape: number[], data: Float32Array): CpuTensor => ({ shape, data });
const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);
const bits = (data: Float32Array): number[] => Array.from(new Uint32Array(Float32Array.from(data).buffer));

/** Runs `kernel` on fresh outputs of the given shapes; returns them. */
function call(kernel: CpuKernel, inputs: CpuTensor[], outputShapes: number[][], attrs: Record<string, unknown> = {}): Float32Array[] {
  const outputs = outputShapes.map((shape) => t(shape, new Float32Array(size(shape)).fill(3)));
  kernel(ctx, inputs, outputs, attrs as never);
  return outputs.map((o) => o.data as Float32Array);
}

const image = [16, 26, 26, 32];
const pooled = [16, 13, 13, 32];
const pool = { size: [2, 2], strides: [2, 2], padding: 'valid' };
const overlappingPool = { size: [3, 3], strides: [2, 2], padding: 'same' };
const rows = [8192, 32];
const CASES: Record<string, () => Float32Array[]> = {
  relu_grad: () => call(elementwiseSimdKernels.relu_grad, [t([200_000], wave(200_000, 1)), t([200_000], wave(200_000, 2))], [[200_000]]),
  mul: () => call(elementwiseSimdKernels.mul, [t([200_000], wave(200_000, 3)), t([200_000], wave(200_000, 4))], [[200_000]]),
  maxpool: () => call(maxpoolSimd, [t(image, wave(size(image), 5))], [pooled], pool),
  maxpool_grad: () => call(maxpoolGradSimd, [t(pooled, wave(size(pooled), 6)), t(image, wave(size(image), 5))], [image], pool),
  'maxpool_grad, overlapping windows': () => call(maxpoolGradSimd, [t(pooled, wave(size(pooled), 6)), t(image, wave(size(image), 5))], [image], overlappingPool),
  sum_to: () => call(sumToSimd, [t(rows, wave(size(rows), 7))], [[32]]),
  batchnorm: () => {
    const c = [32];
    const inputs = [t(rows, wave(size(rows), 8)), t(c, wave(32, 9)), t(c, wave(32, 10)), t(c, new Float32Array(32)), t(c, new Float32Array(32).fill(1))];
    const [y, mean, invstd] = call(batchnormSimd, inputs, [rows, c, c], { epsilon: 1e-5, momentum: 0.9 });
    const [dx, dg, db] = call(batchnormGradSimd, [t(rows, wave(size(rows), 11)), inputs[0]!, inputs[1]!, t(c, mean!), t(c, invstd!)], [rows, c, c]);
    return [y!, mean!, invstd!, dx!, dg!, db!];
  },
};

/** Runs `body` on `threads` threads; with the jobs it handed to workers. */
function withThreads<T>(threads: number, body: () => T): { value: T; jobs: number } {
  setCpuThreads(threads);
  const before = poolStats().jobs;
  const value = body();
  return { value, jobs: poolStats().jobs - before };
}

/** Until a call of `body` on `threads` threads reaches the workers (they start, and load each module, without being waited for). */
async function warm(threads: number, body: () => unknown): Promise<void> {
  for (let attempt = 0; attempt < 300 && withThreads(threads, body).jobs === 0; attempt++) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe.runIf(threadsSupported() && sgemmModule() !== null)('tiled kernels on worker threads', () => {
  afterAll(() => setCpuThreads(null));

  for (const [name, body] of Object.entries(CASES)) {
    it(`${name}: the same bits on 1, 2 and 3 threads, and 2 and 3 use the workers`, async () => {
      await warm(3, body);
      const runs = [1, 2, 3].map((threads) => withThreads(threads, body));
      expect(runs[0]!.jobs).toBe(0);
      expect(runs[1]!.jobs).toBeGreaterThan(0);
      expect(runs[2]!.jobs).toBeGreaterThan(0);
      for (const run of runs.slice(1)) run.value.forEach((data, i) => expect(bits(data), `output ${i}`).toEqual(bits(runs[0]!.value[i]!)));
    });
  }
});
