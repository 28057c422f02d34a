import { describe, expect, it } from 'vitest';
import type { CpuKernel, CpuTensor } from '../../../runtime/cpu/kernel-interface.js';
import { normalizationKernels } from '../../../runtime/cpu/kernels/normalization.js';
import { layernormModuleBytes } from '../../../runtime/cpu/wasm/layernorm-module.js';
import { layernormGradSimd, layernormSimd } from '../../../runtime/cpu/wasm/layernorm-simd.js';
import { poolStats, threadsSupported } from '../../../runtime/cpu/threads/pool.js';
import { setCpuThreads } from '../../../runtime/cpu/threads/thread-count.js';
import { random, size } from './float-data.js';
import { bits, warmPool } from './threads/warm-pool.js';

/**
 * layernorm on WASM SIMD against the JS kernel (float64 row sums). Stated tolerances, absolute, for
 * values of order 1 (x = 3·wave + 0.5): mean and invstd 1e-6 relative; y 2e-6; dx 4e-6 · C/64 (it
 * subtracts two row sums of C terms); dgamma and dbeta 2e-6 · rows (sums over the rows, float32).
 * Last axes with a tail of 1-3 columns (5 to 130, and 1) within the same bounds; 1 and 2 threads give
 * the same bits.
 */
const ctx = { training: true, lr: 0, step: 0, seed: 0 };
const t = (shape: number[], data: Float32Array): CpuTensor => ({ shape, data });

function run(kernel: CpuKernel, inputs: CpuTensor[], outputShapes: number[][], attrs = {}): Float32Array[] {
  const outputs = outputShapes.map((shape) => t(shape, new Float32Array(size(shape)).fill(5)));
  kernel(ctx, inputs, outputs, attrs);
  return outputs.map((o) => o.data as Float32Array);
}

/** The first value outside its bound, if any (one expect, not one per value). */
function within(got: Float32Array, want: Float32Array, bound: (v: number) => number, what: string): void {
  const i = want.findIndex((v, i) => !(Math.abs(got[i]! - v) <= bound(v)));
  expect(i, `${what}[${i}]: ${got[i]} vs ${want[i]}`).toBe(-1);
}

describe('layernorm on WASM SIMD', () => {
  it('the module validates on this host', () => {
    expect(WebAssembly.validate(layernormModuleBytes())).toBe(true);
  });

  for (const shape of [[16, 32, 64], [7, 12], [3, 5, 384], [50, 6], [9, 13], [4, 3, 130], [20, 3], [11, 1]]) {
    const c = shape[shape.length - 1]!;
    const rows = size(shape) / c;
    it(`forward and gradient match the JS kernel, [${shape.join(', ')}]`, () => {
      const x = random(size(shape), 1).map((v, i) => 3 * v + 0.5 + (i % 7) * 0.1);
      const [gamma, beta] = [random(c, 2), random(c, 3)];
      const stats = [...shape.slice(0, -1), 1];
      const inputs = [t(shape, x), t([c], gamma), t([c], beta)];
      const attrs = { epsilon: 1e-5 };
      const [y, mean, invstd] = run(normalizationKernels.layernorm, inputs, [shape, stats, stats], attrs);
      const [gy, gmean, ginvstd] = run(layernormSimd, inputs, [shape, stats, stats], attrs);
      within(gmean!, mean!, (v) => 1e-6 * Math.abs(v), 'mean');
      within(ginvstd!, invstd!, (v) => 1e-6 * Math.abs(v), 'invstd');
      within(gy!, y!, () => 2e-6, 'y');

      const dy = random(size(shape), 4);
      const gradInputs = [t(shape, dy), t(shape, x), t([c], gamma), t(stats, mean!), t(stats, invstd!)];
      const [dx, dg, db] = run(normalizationKernels.layernorm_grad, gradInputs, [shape, [c], [c]]);
      const [gdx, gdg, gdb] = run(layernormGradSimd, gradInputs, [shape, [c], [c]]);
      within(gdx!, dx!, () => 4e-6 * Math.max(1, c / 64), 'dx');
      within(gdg!, dg!, () => 2e-6 * rows, 'dgamma');
      within(gdb!, db!, () => 2e-6 * rows, 'dbeta');
    });
  }

  it.runIf(threadsSupported())('a last axis with a tail: the same bits on 1 and 2 threads, and 2 uses the workers', async () => {
    const shape = [4000, 45];
    const c = 45;
    const x = random(size(shape), 5).map((v) => 2 * v + 0.3);
    const [gamma, beta] = [random(c, 6), random(c, 7)];
    const stats = [4000, 1];
    const both = (): Float32Array[] => {
      const [y, mean, invstd] = run(layernormSimd, [t(shape, x), t([c], gamma), t([c], beta)], [shape, stats, stats], { epsilon: 1e-5 });
      const grads = run(layernormGradSimd, [t(shape, x), t(shape, x), t([c], gamma), t(stats, mean!), t(stats, invstd!)], [shape, [c], [c]]);
      return [y!, mean!, invstd!, ...grads];
    };
    await warmPool(1);
    const one = both();
    await warmPool(2);
    const before = poolStats().jobs;
    const two = both();
    expect(poolStats().jobs).toBeGreaterThan(before);
    two.forEach((v, i) => expect(bits(v), `output ${i}`).toEqual(bits(one[i]!)));
    setCpuThreads(null);
  });
});
