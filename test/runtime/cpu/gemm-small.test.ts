import { describe, expect, it } from 'vitest';
import { gemm } from '../../../runtime/cpu/kernels/matmul.js';
import { SMALL_M } from '../../../runtime/cpu/kernels/gemm-small.js';

/**
 * The few-rows path (m ≤ SMALL_M, no packing) against a float64 triple loop, and against the packed
 * general path: the same rows computed as the top of a taller product must agree to float rounding.
 * Tolerance: 1e-5 relative (both sum in float64 from float32 inputs; only the order differs).
 */
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

/** A stored [m, k] (or [k, m]), B stored [k, n] (or [n, k]), as the matmul kernel passes them. */
function run(a: Float32Array, b: Float32Array, m: number, n: number, k: number, transA: boolean, transB: boolean): Float32Array {
  const c = new Float32Array(m * n).fill(Number.NaN);
  const [aRow, aCol] = transA ? [1, m] : [k, 1];
  const [bRow, bCol] = transB ? [1, k] : [n, 1];
  gemm(a, aRow, aCol, b, bRow, bCol, c, m, n, k);
  return c;
}

/** The first `rows` rows of a row-major (or, transposed, column-major) [m, k] matrix. */
function topRows(a: Float32Array, m: number, k: number, rows: number, transA: boolean): Float32Array {
  if (!transA) return a.slice(0, rows * k);
  const out = new Float32Array(rows * k);
  for (let p = 0; p < k; p++) for (let i = 0; i < rows; i++) out[p * rows + i] = a[p * m + i]!;
  return out;
}

const close = (got: number, want: number): boolean => Math.abs(got - want) <= 1e-5 * Math.max(1, Math.abs(want));

describe('gemm, few rows', () => {
  it('covers batches up to 4', () => expect(SMALL_M).toBe(4));
  for (const m of [1, 2, 3, 4]) {
    for (const [n, k] of [[1, 1], [7, 5], [10, 300], [33, 2]] as const) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          it(`m=${m} n=${n} k=${k} transA=${transA} transB=${transB}`, () => {
            const tall = 9; // > SMALL_M: the packed path
            const aTall = Float32Array.from({ length: tall * k }, (_, i) => Math.sin(i * 1.7) * 2);
            const b = Float32Array.from({ length: k * n }, (_, i) => Math.cos(i * 0.3));
            const a = topRows(aTall, tall, k, m, transA);
            const small = run(a, b, m, n, k, transA, transB);
            const want = naive(a, b, m, n, k, transA, transB);
            const general = run(aTall, b, tall, n, k, transA, transB);
            for (let i = 0; i < m * n; i++) {
              expect(close(small[i]!, want[i]!), `c[${i}] = ${small[i]} vs ${want[i]}`).toBe(true);
              expect(close(small[i]!, general[i]!), `c[${i}] = ${small[i]} vs packed ${general[i]}`).toBe(true);
            }
          });
        }
      }
    }
  }

  it('propagates a non-finite input instead of skipping zero multipliers', () => {
    const a = Float32Array.from([0, 1]);
    const b = Float32Array.from([Infinity, 1, 2, 3]); // B [2, 2], not transposed: 0·∞ = NaN
    expect(Number.isNaN(run(a, b, 1, 2, 2, false, false)[0])).toBe(true);
  });
});
