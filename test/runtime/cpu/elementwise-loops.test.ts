import { describe, expect, it } from 'vitest';
import { activationKernels } from '../../../runtime/cpu/kernels/activations.js';
import { elementwiseKernels } from '../../../runtime/cpu/kernels/elementwise.js';

/** The dedicated training loops against their scalar formulas, to the bit. */
const ctx = { training: true, lr: 0, step: 1, seed: 0 };

describe('training loops', () => {
  it('relu_grad is dy · (y > 0 ? 1 : 0), including −0 and NaN for infinite dy', () => {
    const dy = Float32Array.from([1.5, -2, Infinity, -Infinity, 3, -0.25, NaN, 4]);
    const y = Float32Array.from([0, 0, 0, 1, 2, -1, 1, 0.5]);
    const dx = new Float32Array(8);
    activationKernels.relu_grad!(ctx, [{ shape: [8], data: dy }, { shape: [8], data: y }], [{ shape: [8], data: dx }], {});
    const want = Float32Array.from(dy, (g, i) => g * (y[i]! > 0 ? 1 : 0));
    expect(Array.from(dx)).toEqual(Array.from(want));
    expect(Object.is(dx[1], -0)).toBe(true);
  });

  it('sum_to over the leading axes sums each column in row order', () => {
    const x = Float32Array.from({ length: 7 * 5 }, (_, i) => Math.sin(i) * 1e3);
    const y = new Float32Array(5);
    elementwiseKernels.sum_to!(ctx, [{ shape: [7, 5], data: x }], [{ shape: [5], data: y }], {});
    const want = new Float32Array(5);
    for (let i = 0; i < x.length; i++) want[i % 5]! += x[i]!;
    expect(Array.from(y)).toEqual(Array.from(want));
  });
});
