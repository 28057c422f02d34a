import { describe, expect, it } from 'vitest';
import { activationRange } from '../../../runtime/cpu/kernels/activations.js';
import { matmul } from '../../../runtime/cpu/kernels/matmul.js';

/** The blocked SGEMM against a float64 triple loop, every transpose case, ragged sizes (tolerance 1e-4 relative). */
function naive(a: Float32Array, b: Float32Array, m: number, n: number, k: number, transA: boolean, transB: boolean): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (transA ? a[p * m + i]! : a[i * k + p]!) * (transB ? b[j * k + p]! : b[p * n + j]!);
      c[i * n + j] = s;
    }
  }
  return c;
}

const ctx = { training: false, lr: 0, step: 0, seed: 0 };

describe('cpu matmul', () => {
  for (const [m, n, k] of [[1, 1, 1], [3, 5, 7], [4, 4, 4], [9, 6, 300], [17, 33, 2]] as const) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        it(`${m}x${n}x${k} transA=${transA} transB=${transB}`, () => {
          const a = Float32Array.from({ length: m * k }, (_, i) => Math.sin(i * 1.3));
          const b = Float32Array.from({ length: k * n }, (_, i) => Math.cos(i * 0.7));
          const y = new Float32Array(m * n);
          matmul(ctx, [{ shape: transA ? [k, m] : [m, k], data: a }, { shape: transB ? [n, k] : [k, n], data: b }], [{ shape: [m, n], data: y }], { transA, transB }, { bias: null, pre: null, activation: null });
          const want = naive(a, b, m, n, k, transA, transB);
          want.forEach((v, i) => expect(Math.abs(y[i]! - v)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(v))));
        });
      }
    }
  }

  it('applies a fused bias + relu epilogue and keeps the pre-activation', () => {
    const a = Float32Array.from([1, 2, 3, 4]);
    const b = Float32Array.from([1, -1, 0.5, -2]);
    const y = new Float32Array(4);
    const pre = new Float32Array(4);
    matmul(ctx, [{ shape: [2, 2], data: a }, { shape: [2, 2], data: b }], [{ shape: [2, 2], data: y }], { transA: false, transB: true }, {
      bias: Float32Array.from([0.5, -10]),
      pre,
      activation: activationRange('relu', {}),
    });
    // x·Wᵀ = [[1-2, 0.5-4], [3-4, 1.5-8]] = [[-1, -3.5], [-1, -6.5]]; + bias = [[-0.5, -13.5], [-0.5, -16.5]]
    expect([...pre]).toEqual([-0.5, -13.5, -0.5, -16.5]);
    expect([...y]).toEqual([0, 0, 0, 0]);
  });
});
