import { geometry } from '../../../runtime/cpu/kernels/conv.js';

/**
 * Convolutions computed exactly (float64 loops over every window, channels last), the oracle of the
 * WASM convolution tests (conv-simd.test.ts, conv-winograd.test.ts).
 */
/** A convolution: x's and w's shapes (channels last, w [F, kh, kw, C]) and its attributes. */
export interface Case {
  name: string;
  x: number[];
  w: number[];
  attrs: { strides: number[]; padding: string; dilation: number[] };
}

/** y (forward), dx (input gradient of dy) and dw (weight gradient), exact, with the magnitude of their terms. */
export function direct(c: Case, x: Float32Array, w: Float32Array, dy: Float32Array) {
  const wShape = c.x.length === 3 ? [c.w[0]!, c.w[1]!, 1, c.w[2]!] : c.w;
  const g = geometry(c.x, c.w, c.attrs);
  const y = new Float64Array(g.n * g.oh * g.ow * g.f);
  const yMag = new Float64Array(y.length);
  const dx = new Float64Array(g.n * g.h * g.w * g.c);
  const dxMag = new Float64Array(dx.length);
  const dw = new Float64Array(w.length);
  const dwMag = new Float64Array(w.length);
  for (let b = 0; b < g.n; b++) for (let oy = 0; oy < g.oh; oy++) for (let ox = 0; ox < g.ow; ox++) for (let f = 0; f < g.f; f++) {
    const o = ((b * g.oh + oy) * g.ow + ox) * g.f + f;
    for (let ky = 0; ky < wShape[1]!; ky++) for (let kx = 0; kx < wShape[2]!; kx++) {
      const iy = oy * g.sh + ky * g.dh - g.padTop;
      const ix = ox * g.sw + kx * g.dw - g.padLeft;
      if (iy < 0 || iy >= g.h || ix < 0 || ix >= g.w) continue;
      for (let ch = 0; ch < g.c; ch++) {
        const xi = ((b * g.h + iy) * g.w + ix) * g.c + ch;
        const wv = w[((f * g.kh + ky) * g.kw + kx) * g.c + ch]!;
        y[o]! += x[xi]! * wv;
        yMag[o]! += Math.abs(x[xi]! * wv);
        dx[xi]! += dy[o]! * wv;
        dxMag[xi]! += Math.abs(dy[o]! * wv);
        const wi = ((f * g.kh + ky) * g.kw + kx) * g.c + ch;
        dw[wi]! += dy[o]! * x[xi]!;
        dwMag[wi]! += Math.abs(dy[o]! * x[xi]!);
      }
    }
  }
  return { g, y, yMag, dx, dxMag, dw, dwMag };
}
