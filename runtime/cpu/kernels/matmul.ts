import type { CpuTensor, Epilogue, EpilogueKernel, KernelContext, Attrs } from '../kernel-interface.js';
import { applyEpilogue } from '../kernel-interface.js';

/**
 * C = op(A)·op(B) with A's leading axes flattened into rows (see kernels.ts). Plain-JS SGEMM:
 * i-k-j order over a row-major [K, N] B so the inner loop streams contiguous memory, four rows of C
 * at a time (each B element loaded once feeds four multiply-adds), blocked over k and j to stay in
 * cache. A transposed A is read in place (one scalar per (i, k)); a transposed B is packed once into
 * a reused scratch buffer.
 */
const BLOCK_K = 128;
const BLOCK_N = 512;

let packScratch = new Float32Array(0);

function packTransposed(b: Float32Array, rows: number, cols: number): Float32Array {
  // b is [rows, cols]; the result is bᵀ, [cols, rows].
  if (packScratch.length < rows * cols) packScratch = new Float32Array(rows * cols);
  const out = packScratch;
  const TILE = 32;
  for (let r0 = 0; r0 < rows; r0 += TILE) {
    const r1 = Math.min(r0 + TILE, rows);
    for (let c0 = 0; c0 < cols; c0 += TILE) {
      const c1 = Math.min(c0 + TILE, cols);
      for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) out[c * rows + r] = b[r * cols + c]!;
    }
  }
  return out;
}

/**
 * c[M×N] = a·b where a is read as a[i*sa_i + k*sa_k] and b is row-major [K, N].
 */
export function gemm(a: Float32Array, saI: number, saK: number, b: Float32Array, c: Float32Array, m: number, n: number, k: number): void {
  c.fill(0, 0, m * n);
  for (let j0 = 0; j0 < n; j0 += BLOCK_N) {
    const j1 = Math.min(j0 + BLOCK_N, n);
    for (let k0 = 0; k0 < k; k0 += BLOCK_K) {
      const k1 = Math.min(k0 + BLOCK_K, k);
      let i = 0;
      for (; i + 4 <= m; i += 4) {
        const c0 = i * n;
        const c1 = c0 + n;
        const c2 = c1 + n;
        const c3 = c2 + n;
        for (let kk = k0; kk < k1; kk++) {
          const a0 = a[i * saI + kk * saK]!;
          const a1 = a[(i + 1) * saI + kk * saK]!;
          const a2 = a[(i + 2) * saI + kk * saK]!;
          const a3 = a[(i + 3) * saI + kk * saK]!;
          const bo = kk * n;
          for (let j = j0; j < j1; j++) {
            const bv = b[bo + j]!;
            c[c0 + j] += a0 * bv;
            c[c1 + j] += a1 * bv;
            c[c2 + j] += a2 * bv;
            c[c3 + j] += a3 * bv;
          }
        }
      }
      for (; i < m; i++) {
        const c0 = i * n;
        for (let kk = k0; kk < k1; kk++) {
          const a0 = a[i * saI + kk * saK]!;
          if (a0 === 0) continue;
          const bo = kk * n;
          for (let j = j0; j < j1; j++) c[c0 + j] += a0 * b[bo + j]!;
        }
      }
    }
  }
}

export function matmulDims(a: CpuTensor, b: CpuTensor, attrs: Attrs): { m: number; n: number; k: number } {
  const lastA = a.shape[a.shape.length - 1] ?? 1;
  const rowsA = a.data.length / Math.max(lastA, 1);
  const lastB = b.shape[b.shape.length - 1] ?? 1;
  const rowsB = b.data.length / Math.max(lastB, 1);
  const m = attrs.transA === true ? lastA : rowsA;
  const k = attrs.transA === true ? rowsA : lastA;
  const n = attrs.transB === true ? rowsB : lastB;
  return { m, n, k };
}

export const matmul: EpilogueKernel = (_ctx: KernelContext, [a, b], [y], attrs, epilogue: Epilogue) => {
  const { m, n, k } = matmulDims(a!, b!, attrs);
  const ad = a!.data as Float32Array;
  const bd = b!.data as Float32Array;
  const bRowMajor = attrs.transB === true ? packTransposed(bd, n, k) : bd;
  const [saI, saK] = attrs.transA === true ? [1, m] : [k, 1];
  const yd = y!.data as Float32Array;
  gemm(ad, saI, saK, bRowMajor, yd, m, n, k);
  applyEpilogue(yd, n, 0, m, epilogue);
};
