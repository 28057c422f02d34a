import { KC } from '../kernels/gemm-pack.js';
import { NR } from './sgemm-module.js';

/**
 * B's packing for the float32 WASM micro-kernel (sgemm-module.ts): panels of NR = 8 columns, k-major,
 * block after block of KC along k. A's panels (4 rows) are the JS kernel's: gemm-pack.ts packPanelsA.
 * Packing reads through strides, so a transposed weight costs nothing extra; ragged edges are zeros.
 */

/** Floats of B packed whole: every block of k holds nPanels · 8 columns. */
export function packedBSize(n: number, k: number): number {
  return Math.ceil(n / NR) * NR * k;
}

/**
 * All of B into `into` from `offset`: block k0 starts at offset + k0·nPanels·8; within it, panel q
 * holds columns 8q..8q+7, element (kk, s) at q·8·kc + kk·8 + s.
 *
 * Two loop orders, by B's layout, so that both sides of the copy move through memory in order (this
 * runs once per weight per training step, and on every activation B): B row-major (bCol = 1, a weight
 * read as dY·W) copies runs of 8 along a row; B contiguous along k (bRow = 1, x·Wᵀ) reads each column
 * along k and writes it with a stride of 8.
 */
export function packB8(b: Float32Array, bRow: number, bCol: number, into: Float32Array, offset: number, n: number, k: number): void {
  const nPanels = Math.ceil(n / NR);
  for (let k0 = 0; k0 < k; k0 += KC) {
    const kc = Math.min(KC, k - k0);
    const block = offset + k0 * nPanels * NR;
    for (let q = 0; q < nPanels; q++) {
      const base = block + q * NR * kc;
      const width = Math.min(NR, n - q * NR);
      if (bCol === 1 && width === NR) copyRuns(b, k0 * bRow + q * NR, bRow, into, base, kc);
      else copyColumns(b, bRow, bCol, into, base, k0, q * NR, width, kc);
    }
  }
}

/** Eight consecutive columns: kc runs of 8 floats, one per row of B. */
export function copyRuns(b: Float32Array, src: number, bRow: number, into: Float32Array, base: number, kc: number): void {
  for (let kk = 0, o = base; kk < kc; kk++, o += NR, src += bRow) {
    into[o] = b[src]!;
    into[o + 1] = b[src + 1]!;
    into[o + 2] = b[src + 2]!;
    into[o + 3] = b[src + 3]!;
    into[o + 4] = b[src + 4]!;
    into[o + 5] = b[src + 5]!;
    into[o + 6] = b[src + 6]!;
    into[o + 7] = b[src + 7]!;
  }
}

/** Column by column (any strides); columns past `width` (B's ragged edge) are zeros. */
function copyColumns(b: Float32Array, bRow: number, bCol: number, into: Float32Array, base: number, k0: number, j0: number, width: number, kc: number): void {
  for (let s = 0; s < NR; s++) {
    if (s >= width) {
      for (let kk = 0; kk < kc; kk++) into[base + kk * NR + s] = 0;
      continue;
    }
    let src = k0 * bRow + (j0 + s) * bCol;
    for (let kk = 0, o = base + s; kk < kc; kk++, o += NR, src += bRow) into[o] = b[src]!;
  }
}
