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
 */
export function packB8(b: Float32Array, bRow: number, bCol: number, into: Float32Array, offset: number, n: number, k: number): void {
  const nPanels = Math.ceil(n / NR);
  for (let k0 = 0; k0 < k; k0 += KC) {
    const kc = Math.min(KC, k - k0);
    const block = offset + k0 * nPanels * NR;
    for (let q = 0; q < nPanels; q++) {
      const base = block + q * NR * kc;
      for (let s = 0; s < NR; s++) {
        const j = q * NR + s;
        if (j >= n) {
          for (let kk = 0; kk < kc; kk++) into[base + kk * NR + s] = 0;
          continue;
        }
        let src = k0 * bRow + j * bCol;
        for (let kk = 0; kk < kc; kk++, src += bRow) into[base + kk * NR + s] = b[src]!;
      }
    }
  }
}
