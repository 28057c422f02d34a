import type { Geometry } from '../kernels/conv.js';
import { KC } from '../kernels/gemm-pack.js';
import { NR } from './sgemm-module.js';

/**
 * The patch matrix P [N·OH·OW, kh·kw·C] of a convolution over x [N, H, W, C] (channels last), never
 * materialised: row i of P is output pixel (b, oy, ox), column kk is (ky, kx, ch) with
 * kk = (ky·kw + kx)·C + ch; within one (ky, kx) the C values are contiguous in x, so rows are copied
 * in runs of C; taps that fall in the padding are zeros. (The forward and the input gradient read
 * x and dy through pointers instead: conv-indirect.ts.)
 *
 * P itself as the B operand (a weight gradient dW = dyᵀ·P): sgemm-pack.ts packB8's layout over
 * n = kh·kw·C columns and k = N·OH·OW rows of P, block after block of KC rows, read straight from x.
 * Each row of P is walked tap by tap (runs of C); columns past kh·kw·C are zeros.
 */
export function packPatchB8(x: Float32Array, g: Geometry, into: Float32Array, offset: number): void {
  const { c, kw, kh, h, w, ow, oh, sh, sw, dh, dw, padTop, padLeft } = g;
  const rows = g.n * oh * ow;
  const n = kh * kw * c;
  const nPanels = Math.ceil(n / NR);
  for (let k0 = 0; k0 < rows; k0 += KC) {
    const kc = Math.min(KC, rows - k0);
    const block = offset + k0 * nPanels * NR;
    const panelFloats = NR * kc;
    for (let kk = 0; kk < kc; kk++) {
      const i = k0 + kk;
      const ox = i % ow;
      const rest = (i - ox) / ow;
      const oy = rest % oh;
      const b = (rest - oy) / oh;
      const rowBase = block + kk * NR;
      let col = 0;
      for (let ky = 0; ky < kh; ky++) {
        const iy = oy * sh + ky * dh - padTop;
        for (let kx = 0; kx < kw; kx++) {
          const ix = ox * sw + kx * dw - padLeft;
          const end = col + c;
          if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
            for (; col < end; col++) into[rowBase + (col >> 3) * panelFloats + (col & 7)] = 0;
          } else {
            let from = ((b * h + iy) * w + ix) * c;
            for (; col < end; col++, from++) into[rowBase + (col >> 3) * panelFloats + (col & 7)] = x[from]!;
          }
        }
      }
      for (; col < nPanels * NR; col++) into[rowBase + (col >> 3) * panelFloats + (col & 7)] = 0;
    }
  }
}
