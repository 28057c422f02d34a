import { describe, expect, it } from 'vitest';
import type { CpuTensor } from '../../../runtime/cpu/kernel-interface.js';
import { elementwiseKernels } from '../../../runtime/cpu/kernels/elementwise.js';
import { normalizationKernels } from '../../../runtime/cpu/kernels/normalization.js';
import { normModuleBytes } from '../../../runtime/cpu/wasm/norm-module.js';
import { batchnormGradSimd, batchnormSimd, sumToSimd } from '../../../runtime/cpu/wasm/norm-simd.js';

/**
 * batchnorm on WASM SIMD against the JS kernel (float64 squared deviations and products): means to
 * the bit; everything else within 2e-6 relative to the values' scale (float32 sums over ≤ 1,000 rows
 * of unit-sized values), running statistics included.
 */
const random = (n: number, seed: number, scale = 1, shift = 0): Float32Array => Float32Array.from({ length: n }, (_, i) => shift + scale * Math.sin(seed * 2.3 + i * 0.77));
const t = (shape: number[], data: Float32Array): CpuTensor => ({ shape, data });

function close(got: Float32Array, want: Float32Array, scale: number, what: string): void {
  want.forEach((v, i) => expect(Math.abs(got[i]! - v), `${what}[${i}]: ${got[i]} vs ${v}`).toBeLessThanOrEqual(2e-6 * scale));
}

describe('batchnorm on WASM SIMD', () => {
  it('the module validates on this host', () => {
    expect(WebAssembly.validate(normModuleBytes())).toBe(true);
  });

  for (const training of [true, false]) {
    it(`forward (${training ? 'training' : 'inference'}) and gradient match the JS kernel, [6, 9, 7, 12]`, () => {
      const shape = [6, 9, 7, 12];
      const c = 12;
      const n = shape.reduce((a, b) => a * b, 1);
      const x = random(n, 1, 2, 0.5);
      const [gamma, beta] = [random(c, 2), random(c, 3)];
      const attrs = { epsilon: 1e-5, momentum: 0.9 };
      const run = (kernel: typeof batchnormSimd) => {
        const [rm, rv] = [random(c, 4, 0.1), random(c, 5, 0.2, 1)];
        const [y, mean, invstd] = [new Float32Array(n), new Float32Array(c), new Float32Array(c)];
        kernel({ training, lr: 0, step: 0, seed: 0 }, [t(shape, x), t([c], gamma), t([c], beta), t([c], rm), t([c], rv)], [t(shape, y), t([c], mean), t([c], invstd)], attrs);
        return { y, mean, invstd, rm, rv };
      };
      const [want, got] = [run(normalizationKernels.batchnorm), run(batchnormSimd)];
      if (training) want.mean.forEach((v, i) => expect(Object.is(got.mean[i], v)).toBe(true));
      close(got.y, want.y, 4, 'y');
      close(got.invstd, want.invstd, 1, 'invstd');
      close(got.rm, want.rm, 1, 'running mean');
      close(got.rv, want.rv, 4, 'running var');

      const dy = random(n, 6);
      const grad = (kernel: typeof batchnormGradSimd) => {
        const [dx, dg, db] = [new Float32Array(n), new Float32Array(c), new Float32Array(c)];
        kernel({ training: true, lr: 0, step: 0, seed: 0 }, [t(shape, dy), t(shape, x), t([c], gamma), t([c], want.mean), t([c], want.invstd)], [t(shape, dx), t([c], dg), t([c], db)], {});
        return { dx, dg, db };
      };
      const [wantGrad, gotGrad] = [grad(normalizationKernels.batchnorm_grad), grad(batchnormGradSimd)];
      close(gotGrad.db, wantGrad.db, n / c, 'dbeta');
      close(gotGrad.dg, wantGrad.dg, n / c, 'dgamma');
      close(gotGrad.dx, wantGrad.dx, 4, 'dx');
    });
  }

  // Trailing axes of 4k values run in WASM; [3, 1] (not trailing) and 6 values fall back to JS.
  for (const [xShape, yShape] of [[[300, 12], [12]], [[2, 5, 5, 8], [8]], [[7, 3, 4], [1, 3, 4]], [[3, 4], [3, 1]], [[5, 6], [6]]] as Array<[number[], number[]]>) {
    it(`sum_to [${xShape.join(', ')}] → [${yShape.join(', ')}] equals the JS kernel bit for bit`, () => {
      const x = random(xShape.reduce((a, b) => a * b, 1), 7, 3);
      const m = yShape.reduce((a, b) => a * b, 1);
      const [want, got] = [new Float32Array(m), new Float32Array(m).fill(9)];
      const ctx = { training: true, lr: 0, step: 0, seed: 0 };
      elementwiseKernels.sum_to(ctx, [t([...xShape], x)], [t([...yShape], want)], {});
      sumToSimd(ctx, [t([...xShape], x)], [t([...yShape], got)], {});
      want.forEach((v, i) => expect(Object.is(got[i], v), `${i}: ${got[i]} vs ${v}`).toBe(true));
    });
  }
});
