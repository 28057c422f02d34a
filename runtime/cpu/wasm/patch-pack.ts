import type { Geometry } from '../kernels/conv.js';
import { KC } from '../kernels/gemm-pack.js';
import { MR, NR } from './sgemm-module.js';

/**
 * Implicit GEMM for convolutions: the A panels of the float32 kernel (sgemm-simd.ts) packed straight
 * from the input x [N, H, W, C], channels last, without materialising the patch matrix P
 * [N·OH·OW, kh·kw·C] that im2col builds. Row i of P is output pixel (b, oy, ox); column kk is
 * (ky, kx, ch) with kk = (ky·kw + kx)·C + ch. Within one (ky, kx) the C values are contiguous in x,
 * so each row is copied in runs of C; taps that fall in the padding are zeros. One pass, no allocation.
 */
export function packPatchPanels(x: Float32Array, g: Geometry, into: Float32Array, offset: number, i0: number, rows: number, k0: number, kc: number): void {
  // The geometry in locals: this loop runs once per element of P, and V8 keeps locals in registers.
  const { c, kw, h, w, ow, oh, sh, sw, dh, dw, padTop, padLeft } = g;
  const m = g.n * oh * ow;
  const panels = Math.ceil(rows / MR);
  const kEnd = k0 + kc;
  const firstTap = Math.floor(k0 / c);
  for (let p = 0; p < panels; p++) {
    const base = offset + p * MR * kc;
    for (let r = 0; r < MR; r++) {
      const i = i0 + p * MR + r;
      const out = base + r - k0 * MR;
      if (i >= m) {
        for (let kk = k0; kk < kEnd; kk++) into[out + kk * MR] = 0;
        continue;
      }
      const ox = i % ow;
      const rest = (i - ox) / ow;
      const oy = rest % oh;
      const b = (rest - oy) / oh;
      // Taps (ky, kx) in order, counted rather than divided out of kk.
      let kx = firstTap % kw;
      let ky = (firstTap - kx) / kw;
      let kk = k0;
      for (let tap = firstTap; kk < kEnd; tap++) {
        const runEnd = Math.min(kEnd, (tap + 1) * c);
        const iy = oy * sh + ky * dh - padTop;
        const ix = ox * sw + kx * dw - padLeft;
        if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
          for (; kk < runEnd; kk++) into[out + kk * MR] = 0;
        } else {
          let from = ((b * h + iy) * w + ix) * c + (kk - tap * c);
          for (; kk < runEnd; kk++, from++) into[out + kk * MR] = x[from]!;
        }
        if (++kx === kw) {
          kx = 0;
          ky++;
        }
      }
    }
  }
}

/**
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
