import { describe, expect, it } from 'vitest';
import { KERNELS } from '../../../runtime/plan/kernels.js';
import { missingCpuKernels, resolveCpuKernel } from '../../../runtime/cpu/kernel-registry.js';

const ctx = { training: false, lr: 0, step: 0, seed: 0 };

/** Direct convolution (float64, TF 'same' padding) as the independent oracle for im2col + SGEMM. */
function naiveConv(x: Float32Array, [n, h, w, c]: number[], k: Float32Array, [f, kh, kw]: number[], stride: number[], padding: string) {
  const oh = padding === 'same' ? Math.ceil(h! / stride[0]!) : Math.floor((h! - kh!) / stride[0]!) + 1;
  const ow = padding === 'same' ? Math.ceil(w! / stride[1]!) : Math.floor((w! - kw!) / stride[1]!) + 1;
  const top = padding === 'same' ? Math.floor(Math.max((oh - 1) * stride[0]! + kh! - h!, 0) / 2) : 0;
  const left = padding === 'same' ? Math.floor(Math.max((ow - 1) * stride[1]! + kw! - w!, 0) / 2) : 0;
  const y = new Float64Array(n! * oh * ow * f!);
  for (let b = 0; b < n!; b++) for (let oy = 0; oy < oh; oy++) for (let ox = 0; ox < ow; ox++) for (let o = 0; o < f!; o++) {
    let s = 0;
    for (let ky = 0; ky < kh!; ky++) for (let kx = 0; kx < kw!; kx++) for (let ch = 0; ch < c!; ch++) {
      const iy = oy * stride[0]! + ky - top;
      const ix = ox * stride[1]! + kx - left;
      if (iy >= 0 && iy < h! && ix >= 0 && ix < w!) s += x[((b * h! + iy) * w! + ix) * c! + ch]! * k[((o * kh! + ky) * kw! + kx) * c! + ch]!;
    }
    y[((b * oh + oy) * ow + ox) * f! + o] = s;
  }
  return { y, shape: [n!, oh, ow, f!] };
}

describe('cpu conv and pooling forward', () => {
  for (const [padding, stride] of [['valid', [1, 1]], ['same', [1, 1]], ['same', [2, 2]], ['valid', [2, 1]]] as const) {
    it(`conv2d ${padding} stride ${stride.join('x')} matches a direct convolution`, () => {
      const xs = [2, 6, 5, 3];
      const ws = [4, 3, 2, 3];
      const x = Float32Array.from({ length: 180 }, (_, i) => Math.sin(i));
      const k = Float32Array.from({ length: 72 }, (_, i) => Math.cos(i * 0.3));
      const want = naiveConv(x, xs, k, ws, [...stride], padding);
      const y = new Float32Array(want.y.length);
      resolveCpuKernel('conv2d')(ctx, [{ shape: xs, data: x }, { shape: ws, data: k }], [{ shape: want.shape, data: y }], { strides: [...stride], padding, dilation: [1, 1] });
      want.y.forEach((v, i) => expect(Math.abs(y[i]! - v)).toBeLessThan(1e-4));
    });
  }

  it('max and average pooling on a known 4x4 image', () => {
    const x = Float32Array.from({ length: 16 }, (_, i) => i);
    const y = new Float32Array(4);
    const run = (kernel: string) => {
      resolveCpuKernel(kernel)(ctx, [{ shape: [1, 4, 4, 1], data: x }], [{ shape: [1, 2, 2, 1], data: y }], { size: [2, 2], strides: [2, 2], padding: 'valid' });
      return [...y];
    };
    expect(run('maxpool2d')).toEqual([5, 7, 13, 15]);
    expect(run('avgpool2d')).toEqual([2.5, 4.5, 10.5, 12.5]);
  });

  it('every kernel of the table has a CPU implementation', () => {
    expect(missingCpuKernels(Object.keys(KERNELS))).toEqual([]);
    for (const name of Object.keys(KERNELS)) expect(() => resolveCpuKernel(name)).not.toThrow();
    expect(() => resolveCpuKernel('matmul+bias+gelu')).not.toThrow();
    expect(() => resolveCpuKernel('add+relu')).toThrow(/takes no epilogue/);
  });
});
