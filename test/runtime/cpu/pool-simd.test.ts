import { describe, expect, it } from 'vitest';
import { poolingKernels } from '../../../runtime/cpu/kernels/pooling.js';
import { poolModuleBytes } from '../../../runtime/cpu/wasm/pool-module.js';
import { avgpoolGradSimd, avgpoolSimd, globalAvgPoolGradSimd, globalAvgPoolSimd, maxpoolGradSimd, maxpoolSimd } from '../../../runtime/cpu/wasm/pool-simd.js';
import { U } from './float-data.js';

/**
 * Max pooling on WebAssembly SIMD against the JS kernels, to the bit (Object.is per element): the
 * forward's max and the gradient's choice of the first strictly greatest cell are the same
 * comparisons in the same order. Inputs have ties (values on a coarse grid), −0 and +0, a NaN and
 * −∞, so every tie-break is exercised.
 */
const ctx = { training: true, lr: 0, step: 0, seed: 0 };

function input(length: number, seed: number): Float32Array {
  const x = Float32Array.from({ length }, (_, i) => Math.round(Math.sin(seed + i * 0.91) * 3) / 2);
  for (let i = 0; i < length; i += 7) x[i] = i % 2 ? -0 : 0;
  x[5] = Number.NaN;
  x[length - 3] = -Infinity;
  return x;
}

const outSize = (size: number, k: number, s: number, same: boolean): number => (same ? Math.ceil(size / s) : Math.floor((size - k) / s) + 1);

const cases = [
  { name: '2x2 stride 2, 32 channels, odd size', x: [2, 13, 13, 32], size: [2, 2], strides: [2, 2], padding: 'valid' },
  { name: '2x2 stride 2, 6 channels (a tail group)', x: [3, 10, 9, 6], size: [2, 2], strides: [2, 2], padding: 'valid' },
  { name: '3x3 stride 2 same, 8 channels (overlapping windows)', x: [2, 7, 6, 8], size: [3, 3], strides: [2, 2], padding: 'same' },
  { name: '3x3 stride 3 same, 5 channels', x: [1, 8, 7, 5], size: [3, 3], strides: [3, 3], padding: 'same' },
  { name: '3x2 stride 1, 4 channels (overlapping)', x: [2, 6, 5, 4], size: [3, 2], strides: [1, 1], padding: 'valid' },
  { name: '2x2 stride 2, 5 channels, 5x5 (images of 125 values: the zeroing of dx ends mid-vector)', x: [3, 5, 5, 5], size: [2, 2], strides: [2, 2], padding: 'valid' },
  { name: '2x2 stride 2, 8 channels, 8x6 (the windows tile the image: dx is not zeroed first)', x: [2, 8, 6, 8], size: [2, 2], strides: [2, 2], padding: 'valid' },
  { name: '3x2 stride 3x2, 6 channels, 6x4 (tiling, with a tail group)', x: [2, 6, 4, 6], size: [3, 2], strides: [3, 2], padding: 'valid' },
  { name: '2x2 stride 2, 32 channels, 26x26 (the conv net\'s first pooling: maxpool_grad_2x2)', x: [2, 26, 26, 32], size: [2, 2], strides: [2, 2], padding: 'valid' },
  { name: '2x2 stride 2, 4 channels, 4x10 (maxpool_grad_2x2, one group)', x: [3, 4, 10, 4], size: [2, 2], strides: [2, 2], padding: 'valid' },
];

describe('max pooling on WASM SIMD', () => {
  it('the module validates on this host', () => {
    expect(WebAssembly.validate(poolModuleBytes())).toBe(true);
  });

  for (const c of cases) {
    it(`${c.name}: forward and gradient equal the JS kernels bit for bit`, () => {
      const same = c.padding === 'same';
      const [n, h, w, ch] = c.x as [number, number, number, number];
      const yShape = [n, outSize(h, c.size[0]!, c.strides[0]!, same), outSize(w, c.size[1]!, c.strides[1]!, same), ch];
      const attrs = { size: c.size, strides: c.strides, padding: c.padding };
      const x = input(n * h * w * ch, 1);
      const ySize = yShape.reduce((a, b) => a * b, 1);
      const [want, got] = [new Float32Array(ySize), new Float32Array(ySize).fill(7)];
      poolingKernels.maxpool2d(ctx, [{ shape: c.x, data: x }], [{ shape: yShape, data: want }], attrs);
      maxpoolSimd(ctx, [{ shape: c.x, data: x }], [{ shape: yShape, data: got }], attrs);
      want.forEach((v, i) => expect(Object.is(got[i], v), `y[${i}] = ${got[i]}, want ${v}`).toBe(true));

      const dy = Float32Array.from({ length: ySize }, (_, i) => (i % 5 === 0 ? -0 : Math.cos(i)));
      const [wantDx, gotDx] = [new Float32Array(x.length), new Float32Array(x.length).fill(7)];
      poolingKernels.maxpool2d_grad(ctx, [{ shape: yShape, data: dy }, { shape: c.x, data: x }], [{ shape: c.x, data: wantDx }], attrs);
      maxpoolGradSimd(ctx, [{ shape: yShape, data: dy }, { shape: c.x, data: x }], [{ shape: c.x, data: gotDx }], attrs);
      wantDx.forEach((v, i) => expect(Object.is(gotDx[i], v), `dx[${i}] = ${gotDx[i]}, want ${v}`).toBe(true));
    });
  }
});

/**
 * Average pooling on WASM SIMD against the JS kernels: the forward to the bit (float32 sums in the
 * same order, a correctly rounded division); the gradient to the bit where no two windows share a
 * cell, else within 2 float32 roundings of each sum (the JS kernel adds the float64 quotient dy/cells,
 * these its float32 rounding). Global average pooling: the gradient to the bit, the forward within
 * (cells + 1)·U·max|x| (the JS kernel sums in float64).
 */
describe('average pooling on WASM SIMD', () => {
  const finite = (length: number, seed: number): Float32Array => Float32Array.from({ length }, (_, i) => Math.sin(seed + i * 0.91) * 3);
  for (const c of cases) {
    it(`${c.name}: forward and gradient against the JS kernels`, () => {
      const same = c.padding === 'same';
      const [n, h, w, ch] = c.x as [number, number, number, number];
      const yShape = [n, outSize(h, c.size[0]!, c.strides[0]!, same), outSize(w, c.size[1]!, c.strides[1]!, same), ch];
      const attrs = { size: c.size, strides: c.strides, padding: c.padding, shape: c.x };
      const x = finite(n * h * w * ch, 2);
      const ySize = yShape.reduce((a, b) => a * b, 1);
      const [want, got] = [new Float32Array(ySize), new Float32Array(ySize).fill(7)];
      poolingKernels.avgpool2d(ctx, [{ shape: c.x, data: x }], [{ shape: yShape, data: want }], attrs);
      avgpoolSimd(ctx, [{ shape: c.x, data: x }], [{ shape: yShape, data: got }], attrs);
      expect(want.findIndex((v, i) => !Object.is(got[i], v))).toBe(-1);

      const dy = Float32Array.from({ length: ySize }, (_, i) => (i % 5 === 0 ? -0 : Math.cos(i)));
      const [wantDx, gotDx] = [new Float32Array(x.length), new Float32Array(x.length).fill(7)];
      poolingKernels.avgpool2d_grad(ctx, [{ shape: yShape, data: dy }], [{ shape: c.x, data: wantDx }], attrs);
      avgpoolGradSimd(ctx, [{ shape: yShape, data: dy }], [{ shape: c.x, data: gotDx }], attrs);
      const overlapping = c.strides[0]! < c.size[0]! || c.strides[1]! < c.size[1]!;
      if (!overlapping) expect(wantDx.findIndex((v, i) => !Object.is(gotDx[i], v))).toBe(-1);
      else wantDx.forEach((v, i) => expect(Math.abs(gotDx[i]! - v), `dx[${i}]`).toBeLessThanOrEqual(4 * U * c.size[0]! * c.size[1]!));
    });
  }

  for (const shape of [[4, 7, 5, 12], [3, 10, 6], [2, 3, 3]]) {
    it(`global average pooling of [${shape.join(', ')}]: forward and gradient`, () => {
      const [n, c] = [shape[0]!, shape[shape.length - 1]!];
      const cells = shape.slice(1, -1).reduce((a, b) => a * b, 1);
      const x = finite(n * cells * c, 3);
      const [want, got] = [new Float32Array(n * c), new Float32Array(n * c).fill(7)];
      poolingKernels.global_avg_pool(ctx, [{ shape, data: x }], [{ shape: [n, c], data: want }], {});
      globalAvgPoolSimd(ctx, [{ shape, data: x }], [{ shape: [n, c], data: got }], {});
      want.forEach((v, i) => expect(Math.abs(got[i]! - v), `y[${i}]`).toBeLessThanOrEqual((cells + 1) * U * 3));
      const dy = finite(n * c, 4);
      const [wantDx, gotDx] = [new Float32Array(x.length), new Float32Array(x.length).fill(7)];
      poolingKernels.global_avg_pool_grad(ctx, [{ shape: [n, c], data: dy }], [{ shape, data: wantDx }], { shape });
      globalAvgPoolGradSimd(ctx, [{ shape: [n, c], data: dy }], [{ shape, data: gotDx }], { shape });
      expect(wantDx.findIndex((v, i) => !Object.is(gotDx[i], v))).toBe(-1);
    });
  }
});
