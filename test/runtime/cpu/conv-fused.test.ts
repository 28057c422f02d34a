import { describe, expect, it } from 'vitest';
import { resolveCpuKernel } from '../../../runtime/cpu/kernel-registry.js';
import { geometry, type Geometry } from '../../../runtime/cpu/kernels/conv.js';
import { U } from './float-data.js';

/**
 * Fused convolutions (conv+bias+activation, the epilogue applied in the float32 WASM tile or after it)
 * against a direct float64 convolution with the bias and activation applied after: valid padding,
 * strides, dilation, 1-D and 2-D, over enough output pixels to span the kernel's 128-row chunks.
 * Tolerance: float32 accumulation over k = kh·kw·C terms, (k + 4)·2⁻²⁴·(Σ|x·w| + |bias|).
 */
const ctx = { training: false, lr: 0, step: 0, seed: 0 };

function directConv(x: Float32Array, [n, h, w, c]: number[], k: Float32Array, [f, kh, kw]: number[], [sh, sw]: number[], [dh, dw]: number[]) {
  const oh = Math.floor((h! - ((kh! - 1) * dh! + 1)) / sh!) + 1;
  const ow = Math.floor((w! - ((kw! - 1) * dw! + 1)) / sw!) + 1;
  const y = new Float64Array(n! * oh * ow * f!);
  const magnitude = new Float64Array(y.length);
  for (let b = 0; b < n!; b++) for (let oy = 0; oy < oh; oy++) for (let ox = 0; ox < ow; ox++) for (let o = 0; o < f!; o++) {
    let s = 0;
    let mag = 0;
    for (let ky = 0; ky < kh!; ky++) for (let kx = 0; kx < kw!; kx++) for (let ch = 0; ch < c!; ch++) {
      const product = x[((b * h! + oy * sh! + ky * dh!) * w! + ox * sw! + kx * dw!) * c! + ch]! * k[((o * kh! + ky) * kw! + kx) * c! + ch]!;
      s += product;
      mag += Math.abs(product);
    }
    const at = ((b * oh + oy) * ow + ox) * f! + o;
    y[at] = s;
    magnitude[at] = mag;
  }
  return { y, magnitude, shape: [n!, oh, ow, f!] };
}

const activations: Record<string, (v: number) => number> = {
  relu: (v) => Math.max(v, 0),
  leaky_relu: (v) => (v < 0 ? 0.01 * v : v),
  tanh: Math.tanh,
};

describe('cpu fused convolutions', () => {
  const cases = [
    { name: 'conv2d 3x3', xs: [2, 14, 13, 3], ws: [10, 3, 3, 3], strides: [1, 1], dilation: [1, 1] },
    { name: 'conv2d stride 2, dilation 2', xs: [3, 15, 16, 4], ws: [9, 3, 2, 4], strides: [2, 2], dilation: [2, 2] },
    { name: 'conv1d stride 2', xs: [4, 70, 5], ws: [12, 5, 5], strides: [2], dilation: [1] },
  ];
  for (const c of cases) {
    for (const activation of Object.keys(activations)) {
      it(`${c.name} + bias + ${activation}`, () => {
        const oneD = c.xs.length === 3;
        const xs = oneD ? [c.xs[0]!, c.xs[1]!, 1, c.xs[2]!] : c.xs;
        const ws = oneD ? [c.ws[0]!, c.ws[1]!, 1, c.ws[2]!] : c.ws;
        const strides = oneD ? [c.strides[0]!, 1] : c.strides;
        const dilation = oneD ? [c.dilation[0]!, 1] : c.dilation;
        const x = Float32Array.from({ length: xs.reduce((p, q) => p * q) }, (_, i) => Math.sin(i * 0.37));
        const k = Float32Array.from({ length: ws.reduce((p, q) => p * q) }, (_, i) => Math.cos(i * 0.29));
        const bias = Float32Array.from({ length: ws[0]! }, (_, i) => (i % 3) - 1);
        const want = directConv(x, xs, k, ws, strides, dilation);
        const y = new Float32Array(want.y.length);
        const shape = oneD ? [want.shape[0]!, want.shape[2]!, want.shape[3]!] : want.shape;
        const kernel = `${oneD ? 'conv1d' : 'conv2d'}+bias+${activation}`;
        resolveCpuKernel(kernel)(ctx, [{ shape: c.xs, data: x }, { shape: c.ws, data: k }, { shape: [ws[0]!], data: bias }], [{ shape, data: y }], {
          strides: c.strides,
          padding: 'valid',
          dilation: c.dilation,
        });
        const f = ws[0]!;
        want.y.forEach((v, i) => {
          const expected = activations[activation]!(v + bias[i % f]!);
          expect(Math.abs(y[i]! - expected), `${i}`).toBeLessThanOrEqual((ws[1]! * ws[2]! * ws[3]! + 4) * U * (want.magnitude[i]! + 1) + 1e-7);
        });
      });
    }
  }
});

/** dw[o, ky, kx, ch] = Σ over output pixels of dy[pixel, o]·x[tap of the pixel, ch], in float64. */
function directGradWeight(dy: Float32Array, x: Float32Array, xs: number[], ws: number[], g: Geometry) {
  const [f, kh, kw, c] = ws as [number, number, number, number];
  const dw = new Float64Array(f * kh * kw * c);
  const magnitude = new Float64Array(dw.length);
  for (let b = 0; b < xs[0]!; b++) for (let oy = 0; oy < g.oh; oy++) for (let ox = 0; ox < g.ow; ox++) {
    const pixel = (b * g.oh + oy) * g.ow + ox;
    for (let ky = 0; ky < kh; ky++) for (let kx = 0; kx < kw; kx++) {
      const iy = oy * g.sh + ky * g.dh - g.padTop;
      const ix = ox * g.sw + kx * g.dw - g.padLeft;
      if (iy < 0 || iy >= g.h || ix < 0 || ix >= g.w) continue;
      for (let o = 0; o < f; o++) for (let ch = 0; ch < c; ch++) {
        const product = dy[pixel * f + o]! * x[((b * g.h + iy) * g.w + ix) * c + ch]!;
        dw[((o * kh + ky) * kw + kx) * c + ch]! += product;
        magnitude[((o * kh + ky) * kw + kx) * c + ch]! += Math.abs(product);
      }
    }
  }
  return { dw, magnitude };
}

describe('cpu convolution weight gradient', () => {
  const cases = [
    { name: 'same, stride 1', xs: [3, 12, 11, 5], ws: [10, 3, 3, 5], strides: [1, 1], dilation: [1, 1], padding: 'same' },
    { name: 'valid, stride 2, dilation 2', xs: [2, 17, 15, 3], ws: [9, 3, 2, 3], strides: [2, 2], dilation: [2, 2], padding: 'valid' },
    { name: 'same, stride 2, 1 channel', xs: [8, 28, 28, 1], ws: [6, 3, 3, 1], strides: [2, 2], dilation: [1, 1], padding: 'same' },
  ];
  for (const c of cases) {
    it(`${c.name}: dw = dyᵀ·P against a direct sum`, () => {
      const attrs = { strides: c.strides, dilation: c.dilation, padding: c.padding };
      const g = geometry(c.xs, c.ws, attrs);
      const x = Float32Array.from({ length: c.xs.reduce((p, q) => p * q) }, (_, i) => Math.sin(i * 0.41));
      const dy = Float32Array.from({ length: g.n * g.oh * g.ow * g.f }, (_, i) => Math.cos(i * 0.23));
      const dw = new Float32Array(c.ws.reduce((p, q) => p * q)).fill(Number.NaN);
      resolveCpuKernel('conv2d_grad_weight')(ctx, [{ shape: [g.n, g.oh, g.ow, g.f], data: dy }, { shape: c.xs, data: x }], [{ shape: c.ws, data: dw }], attrs);
      const want = directGradWeight(dy, x, c.xs, c.ws, g);
      const rows = g.n * g.oh * g.ow;
      want.dw.forEach((v, i) => expect(Math.abs(dw[i]! - v), `${i}`).toBeLessThanOrEqual((rows + 3) * U * want.magnitude[i]!));
    });
  }
});
