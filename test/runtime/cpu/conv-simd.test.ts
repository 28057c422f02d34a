import { describe, expect, it } from 'vitest';
import { geometry } from '../../../runtime/cpu/kernels/conv.js';
import { direct, type Case } from './conv-reference.js';
import { convGradInputSimd, convGradWeightSimd, convSimd } from '../../../runtime/cpu/wasm/conv-simd.js';
import { limitPointerTables } from '../../../runtime/cpu/wasm/pointer-tables.js';
import { sgemmModule } from '../../../runtime/cpu/wasm/sgemm-simd.js';
import { U, random } from './float-data.js';
import { placedInKernelMemory } from './placed-tensors.js';

/**
 * The WASM convolutions (wasm/conv-simd.ts: indirect GEMM forward and input gradient, gathered
 * weight gradient) against direct float64 loops: the forward, the input gradient (dx[b, iy, ix, c] =
 * Σ dy[b, oy, ox, f] · w[f, ky, kx, c] over the windows that cover the pixel) and the weight
 * gradient (dw[f, ky, kx, c] = Σ dy[b, oy, ox, f] · x[b, iy, ix, c] over the output pixels).
 * Float32 accumulation over k terms: the bound is (k + 3)·2⁻²⁴·Σ|terms|, as for the matmul
 * (matmul-simd.test.ts); k is taps·C, taps·F and N·OH·OW respectively.
 */
const ctx = { training: true, lr: 0, step: 0, seed: 0 };

const cases: Case[] = [
  { name: 'valid 3x3, one channel (a first layer)', x: [3, 12, 11, 1], w: [10, 3, 3, 1], attrs: { strides: [1, 1], padding: 'valid', dilation: [1, 1] } },
  { name: 'same 3x3 stride 2', x: [2, 9, 8, 5], w: [12, 3, 3, 5], attrs: { strides: [2, 2], padding: 'same', dilation: [1, 1] } },
  { name: 'valid 2x3 stride 2x1 dilation 2x1', x: [2, 11, 7, 4], w: [9, 2, 3, 4], attrs: { strides: [2, 1], padding: 'valid', dilation: [2, 1] } },
  { name: 'same 5x5 dilation 2, 32 channels, chunks of 128 rows', x: [2, 13, 13, 32], w: [16, 5, 5, 32], attrs: { strides: [1, 1], padding: 'same', dilation: [2, 2] } },
  { name: 'conv1d same stride 3', x: [3, 20, 6], w: [7, 4, 6], attrs: { strides: [3], padding: 'same', dilation: [1] } },
  { name: 'conv1d valid stride 2, 3 channels (window rows as one tap)', x: [3, 21, 3], w: [5, 4, 3], attrs: { strides: [2], padding: 'valid', dilation: [1] } },
  { name: 'valid 3x3 stride 2 over width 8 (the last window short of the edge)', x: [2, 9, 8, 2], w: [6, 3, 3, 2], attrs: { strides: [2, 2], padding: 'valid', dilation: [1, 1] } },
  // The taps unrolled (sgemm-module.ts's tapChannels variants): taps of 1 channel, up to the most they unroll (25 of 27) ...
  { name: 'same 5x5, one channel (25 taps of 1 pixel)', x: [2, 9, 8, 1], w: [6, 5, 5, 1], attrs: { strides: [1, 1], padding: 'same', dilation: [1, 1] } },
  // ... and of 3: forward and input gradient (dy's 3 filters per tap).
  { name: 'same 3x3, 3 channels into 3 filters', x: [2, 7, 9, 3], w: [3, 3, 3, 3], attrs: { strides: [1, 1], padding: 'same', dilation: [1, 1] } },
  // Input gradients where most (pixel, tap) pairs fall outside dy: a dense GEMM, then col2im as a gather (C a multiple of 4) ...
  { name: 'valid 3x3 on a 6x6 map, 32 channels (44% of the pairs: the digits-cnn third layer)', x: [3, 6, 6, 32], w: [16, 3, 3, 32], attrs: { strides: [1, 1], padding: 'valid', dilation: [1, 1] } },
  { name: 'valid 4x4 stride 2 on a 4x4 map (one output: 1 pair in 16), 8 channels', x: [6, 4, 4, 8], w: [5, 4, 4, 8], attrs: { strides: [2, 2], padding: 'valid', dilation: [1, 1] } },
  // ... or the JS kernel's col2im (C not a multiple of 4).
  { name: 'valid 4x4 on a 5x5 map, 3 channels (16% of the pairs)', x: [4, 5, 5, 3], w: [4, 4, 4, 3], attrs: { strides: [1, 1], padding: 'valid', dilation: [1, 1] } },
];

describe('convolutions on the WASM GEMM', () => {
  it('runs on this host (WebAssembly SIMD)', () => {
    expect(sgemmModule()).not.toBeNull();
  });

  for (const [c, tables] of cases.flatMap((c) => [[c, true], [c, false]] as const)) {
    it(`${c.name}: forward, input and weight gradients within the float32 bound (pointer lists ${tables ? 'kept' : 'built per chunk'})`, () => {
      const limit = limitPointerTables(tables ? 1 << 22 : 0);
      const x = random(c.x.reduce((a, b) => a * b, 1), 1);
      const w = random(c.w.reduce((a, b) => a * b, 1), 2);
      const g0 = geometry(c.x, c.w, c.attrs);
      const yShape = c.x.length === 3 ? [g0.n, g0.oh, g0.f] : [g0.n, g0.oh, g0.ow, g0.f];
      const dy = random(g0.n * g0.oh * g0.ow * g0.f, 3);
      const { g, y, yMag, dx, dxMag, dw, dwMag } = direct(c, x, w, dy);
      const got = new Float32Array(y.length).fill(Number.NaN);
      convSimd(ctx, [{ shape: c.x, data: x }, { shape: c.w, data: w }], [{ shape: yShape, data: got }], c.attrs, { bias: null, pre: null, activation: null });
      const kForward = g.kh * g.kw * g.c;
      y.forEach((v, i) => expect(Math.abs(got[i]! - v), `y[${i}]`).toBeLessThanOrEqual((kForward + 3) * U * yMag[i]! + 1e-30));
      const gotDx = new Float32Array(dx.length).fill(Number.NaN);
      convGradInputSimd(ctx, [{ shape: yShape, data: dy }, { shape: c.w, data: w }], [{ shape: c.x, data: gotDx }], c.attrs);
      const kBackward = g.kh * g.kw * g.f;
      dx.forEach((v, i) => expect(Math.abs(gotDx[i]! - v), `dx[${i}]`).toBeLessThanOrEqual((kBackward + 3) * U * dxMag[i]! + 1e-30));
      const gotDw = new Float32Array(dw.length).fill(Number.NaN);
      convGradWeightSimd(ctx, [{ shape: yShape, data: dy }, { shape: c.x, data: x }], [{ shape: c.w, data: gotDw }], c.attrs);
      const kWeight = g.n * g.oh * g.ow;
      dw.forEach((v, i) => expect(Math.abs(gotDw[i]! - v), `dw[${i}]`).toBeLessThanOrEqual((kWeight + 3) * U * dwMag[i]! + 1e-30));
      limitPointerTables(limit);
    });
  }

  it('writes the same bits into an output in the kernels\' memory, F not a multiple of 8 (rows copied out by copy_columns)', () => {
    for (const c of [cases[0]!, cases[cases.length - 1]!]) {
      const x = random(c.x.reduce((a, b) => a * b, 1), 7);
      const w = random(c.w.reduce((a, b) => a * b, 1), 8);
      const g = geometry(c.x, c.w, c.attrs);
      const yShape = [g.n, g.oh, g.ow, g.f];
      const want = new Float32Array(g.n * g.oh * g.ow * g.f);
      convSimd(ctx, [{ shape: c.x, data: x }, { shape: c.w, data: w }], [{ shape: yShape, data: want }], c.attrs, { bias: null, pre: null, activation: null });
      const { tensors, free } = placedInKernelMemory([{ shape: c.x, data: x }, { shape: c.w, data: w }, { shape: yShape, data: new Float32Array(want.length).fill(Number.NaN) }]);
      convSimd(ctx, tensors.slice(0, 2), tensors.slice(2), c.attrs, { bias: null, pre: null, activation: null });
      expect(g.f % 8).not.toBe(0);
      expect([...tensors[2]!.data]).toEqual([...want]);
      free();
    }
  });

  it("col2im's input gradient: the same bits with dy, w and dx in the kernels' memory as in arrays of their own", () => {
    for (const c of cases.filter((c) => c.name.includes('pairs') && c.x[3]! % 4 === 0)) {
      const w = random(c.w.reduce((a, b) => a * b, 1), 9);
      const g = geometry(c.x, c.w, c.attrs);
      const yShape = [g.n, g.oh, g.ow, g.f];
      const dy = random(g.n * g.oh * g.ow * g.f, 10);
      const want = new Float32Array(c.x.reduce((a, b) => a * b, 1)).fill(Number.NaN);
      convGradInputSimd(ctx, [{ shape: yShape, data: dy }, { shape: c.w, data: w }], [{ shape: c.x, data: want }], c.attrs);
      const { tensors, free } = placedInKernelMemory([{ shape: yShape, data: dy }, { shape: c.w, data: w }, { shape: c.x, data: new Float32Array(want.length).fill(Number.NaN) }]);
      convGradInputSimd(ctx, tensors.slice(0, 2), tensors.slice(2), c.attrs);
      expect([...tensors[2]!.data]).toEqual([...want]);
      free();
    }
  });

  it('applies the bias and relu in the tile', () => {
    const c = cases[1]!;
    const x = random(c.x.reduce((a, b) => a * b, 1), 4);
    const w = random(c.w.reduce((a, b) => a * b, 1), 5);
    const bias = random(c.w[0]!, 6);
    const { g, y, yMag } = direct(c, x, w, new Float32Array(0));
    const got = new Float32Array(y.length);
    convSimd(ctx, [{ shape: c.x, data: x }, { shape: c.w, data: w }], [{ shape: [g.n, g.oh, g.ow, g.f], data: got }], c.attrs, { bias, pre: null, activation: null, activationName: 'relu' });
    const k = g.kh * g.kw * g.c;
    y.forEach((v, i) => expect(Math.abs(got[i]! - Math.max(v + bias[i % g.f]!, 0))).toBeLessThanOrEqual((k + 4) * U * (yMag[i]! + 1)));
  });
});
