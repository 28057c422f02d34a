import type { Attrs, CpuTensor, Epilogue, EpilogueKernel, KernelContext } from '../kernel-interface.js';
import { applyEpilogue } from '../kernel-interface.js';

/**
 * C = op(A)·op(B) with A's leading axes flattened into rows (see runtime/plan/kernels.ts).
 *
 * Plain-JS SGEMM in the BLIS style: for each block of KC along k, A is packed into panels of 4 rows
 * and B into panels of 4 columns (both laid out k-major, so the micro-kernel reads them
 * sequentially), then a 4×4 micro-kernel keeps 16 accumulators in registers: 8 loads feed 16
 * multiply-adds. Packing reads A and B through strides, so transposed operands cost nothing extra
 * and are never copied whole. Ragged edges are zero-padded in the panels. Packing buffers are reused.
 */
const KC = 256;
const MR = 4;
const NR = 4;

let packA: Float32Array = new Float32Array(0);
let packB: Float32Array = new Float32Array(0);

function ensure(buffer: Float32Array, size: number): Float32Array {
  return buffer.length >= size ? buffer : new Float32Array(size);
}

/**
 * c[m×n] = Σ_k A(i,k)·B(k,j), with A(i,k) = a[i*aRow + k*aCol] and B(k,j) = b[k*bRow + j*bCol].
 */
export function gemm(
  a: Float32Array, aRow: number, aCol: number,
  b: Float32Array, bRow: number, bCol: number,
  c: Float32Array, m: number, n: number, k: number,
): void {
  c.fill(0, 0, m * n);
  if (m <= SMALL_M) return smallM(a, aRow, aCol, b, bRow, bCol, c, m, n, k);
  const mPanels = Math.ceil(m / MR);
  const nPanels = Math.ceil(n / NR);
  packA = ensure(packA, mPanels * MR * KC);
  packB = ensure(packB, nPanels * NR * KC);
  const pa = packA;
  const pb = packB;
  for (let k0 = 0; k0 < k; k0 += KC) {
    const kc = Math.min(KC, k - k0);
    // Pack A: panel p holds rows 4p..4p+3, element (r, kk) at p*4*kc + kk*4 + r.
    for (let p = 0; p < mPanels; p++) {
      const base = p * MR * kc;
      for (let r = 0; r < MR; r++) {
        const i = p * MR + r;
        if (i >= m) {
          for (let kk = 0; kk < kc; kk++) pa[base + kk * MR + r] = 0;
          continue;
        }
        let src = i * aRow + k0 * aCol;
        for (let kk = 0; kk < kc; kk++, src += aCol) pa[base + kk * MR + r] = a[src]!;
      }
    }
    // Pack B: panel q holds columns 4q..4q+3, element (kk, s) at q*4*kc + kk*4 + s.
    for (let q = 0; q < nPanels; q++) {
      const base = q * NR * kc;
      for (let s = 0; s < NR; s++) {
        const j = q * NR + s;
        if (j >= n) {
          for (let kk = 0; kk < kc; kk++) pb[base + kk * NR + s] = 0;
          continue;
        }
        let src = k0 * bRow + j * bCol;
        for (let kk = 0; kk < kc; kk++, src += bRow) pb[base + kk * NR + s] = b[src]!;
      }
    }
    for (let q = 0; q < nPanels; q++) {
      const bBase = q * NR * kc;
      const j0 = q * NR;
      for (let p = 0; p < mPanels; p++) {
        microKernel(pa, p * MR * kc, pb, bBase, kc, c, p * MR, j0, m, n);
      }
    }
  }
}

/**
 * A few rows (batch-1 inference, say): packing B would cost as much as the product itself, so read B
 * in place: dot products along its contiguous rows when it is transposed, row updates (axpy) when not.
 */
const SMALL_M = 3;

function smallM(a: Float32Array, aRow: number, aCol: number, b: Float32Array, bRow: number, bCol: number, c: Float32Array, m: number, n: number, k: number): void {
  if (bRow === 1 && aCol === 1) {
    // Both contiguous along k: four dot products at once share each load of a.
    for (let i = 0; i < m; i++) {
      const ai = i * aRow;
      const out = i * n;
      let j = 0;
      for (; j + 4 <= n; j += 4) {
        const b0 = j * bCol, b1 = b0 + bCol, b2 = b1 + bCol, b3 = b2 + bCol;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (let kk = 0; kk < k; kk++) {
          const av = a[ai + kk]!;
          s0 += av * b[b0 + kk]!;
          s1 += av * b[b1 + kk]!;
          s2 += av * b[b2 + kk]!;
          s3 += av * b[b3 + kk]!;
        }
        c[out + j] = s0;
        c[out + j + 1] = s1;
        c[out + j + 2] = s2;
        c[out + j + 3] = s3;
      }
      for (; j < n; j++) {
        const base = j * bCol;
        let sum = 0;
        for (let kk = 0; kk < k; kk++) sum += a[ai + kk]! * b[base + kk]!;
        c[out + j] = sum;
      }
    }
    return;
  }
  for (let i = 0; i < m; i++) {
    const out = i * n;
    for (let kk = 0; kk < k; kk++) {
      const av = a[i * aRow + kk * aCol]!;
      if (av === 0) continue;
      if (bCol === 1) {
        const base = kk * bRow;
        for (let j = 0; j < n; j++) c[out + j] += av * b[base + j]!;
      } else {
        for (let j = 0; j < n; j++) c[out + j] += av * b[kk * bRow + j * bCol]!;
      }
    }
  }
}

function microKernel(pa: Float32Array, aOff: number, pb: Float32Array, bOff: number, kc: number, c: Float32Array, i0: number, j0: number, m: number, n: number): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  let ai = aOff;
  let bi = bOff;
  for (let kk = 0; kk < kc; kk++, ai += 4, bi += 4) {
    const a0 = pa[ai]!, a1 = pa[ai + 1]!, a2 = pa[ai + 2]!, a3 = pa[ai + 3]!;
    const b0 = pb[bi]!, b1 = pb[bi + 1]!, b2 = pb[bi + 2]!, b3 = pb[bi + 3]!;
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
  }
  if (i0 + MR <= m && j0 + NR <= n) {
    let o = i0 * n + j0;
    c[o] += c00; c[o + 1] += c01; c[o + 2] += c02; c[o + 3] += c03; o += n;
    c[o] += c10; c[o + 1] += c11; c[o + 2] += c12; c[o + 3] += c13; o += n;
    c[o] += c20; c[o + 1] += c21; c[o + 2] += c22; c[o + 3] += c23; o += n;
    c[o] += c30; c[o + 1] += c31; c[o + 2] += c32; c[o + 3] += c33;
    return;
  }
  const tile = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
  for (let r = 0; r < MR && i0 + r < m; r++) {
    for (let s = 0; s < NR && j0 + s < n; s++) c[(i0 + r) * n + j0 + s] += tile[r * 4 + s]!;
  }
}

export function matmulDims(a: CpuTensor, b: CpuTensor, attrs: Attrs): { m: number; n: number; k: number } {
  const lastA = a.shape[a.shape.length - 1] ?? 1;
  const rowsA = lastA === 0 ? 0 : a.data.length / lastA;
  const lastB = b.shape[b.shape.length - 1] ?? 1;
  const rowsB = lastB === 0 ? 0 : b.data.length / lastB;
  const m = attrs.transA === true ? lastA : rowsA;
  const k = attrs.transA === true ? rowsA : lastA;
  const n = attrs.transB === true ? rowsB : lastB;
  return { m, n, k };
}

export const matmul: EpilogueKernel = (_ctx: KernelContext, [a, b], [y], attrs, epilogue: Epilogue) => {
  const { m, n, k } = matmulDims(a!, b!, attrs);
  // A stored [m, k] (or [k, m] when transposed); B stored [k, n] (or [n, k]).
  const [aRow, aCol] = attrs.transA === true ? [1, m] : [k, 1];
  const [bRow, bCol] = attrs.transB === true ? [1, k] : [n, 1];
  const yd = y!.data as Float32Array;
  gemm(a!.data as Float32Array, aRow, aCol, b!.data as Float32Array, bRow, bCol, yd, m, n, k);
  applyEpilogue(yd, n, 0, m, epilogue);
};
