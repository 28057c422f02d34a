/**
 * Packing for the blocked matmul (matmul.ts, and the WASM SIMD kernel in ../wasm/): operands are
 * copied into panels of 4 rows of A / 4 columns of B, k-major, so the micro-kernel reads them
 * sequentially. Packing reads through strides, so transposed operands cost nothing extra. Ragged
 * edges are zero-padded. The WASM float32 kernel packs A here and B in ../wasm/sgemm-pack.ts (8 columns).
 */
export const KC = 256;
export const MR = 4;
export const NR = 4;

export type FloatArray = Float32Array | Float64Array;

/**
 * Rows i0 .. i0+rows-1 of A over the k block [k0, k0+kc), into `into` from `offset`: panel p holds
 * rows i0+4p .. i0+4p+3, element (r, kk) at offset + p*4*kc + kk*4 + r. Rows at or past m are zeros.
 */
export function packPanelsA(a: Float32Array, aRow: number, aCol: number, into: FloatArray, offset: number, m: number, i0: number, rows: number, k0: number, kc: number): void {
  const panels = Math.ceil(rows / MR);
  for (let p = 0; p < panels; p++) {
    const base = offset + p * MR * kc;
    for (let r = 0; r < MR; r++) {
      const i = i0 + p * MR + r;
      if (i >= m) {
        for (let kk = 0; kk < kc; kk++) into[base + kk * MR + r] = 0;
        continue;
      }
      let src = i * aRow + k0 * aCol;
      for (let kk = 0; kk < kc; kk++, src += aCol) into[base + kk * MR + r] = a[src]!;
    }
  }
}

/**
 * All of B, block after block along k: block k0 starts at k0*nPanels*4; within it, panel q holds
 * columns 4q..4q+3, element (kk, s) at q*4*kc + kk*4 + s. Size: nPanels*4*k.
 */
export function packWholeB(b: Float32Array, bRow: number, bCol: number, into: FloatArray, n: number, k: number): void {
  const nPanels = Math.ceil(n / NR);
  for (let k0 = 0; k0 < k; k0 += KC) {
    const kc = Math.min(KC, k - k0);
    const block = k0 * nPanels * NR;
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
