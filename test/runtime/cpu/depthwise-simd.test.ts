import { afterAll, describe, expect, it } from 'vitest';
import '../../../runtime/cpu/index.js';
import { resolveCpuKernel } from '../../../runtime/cpu/kernel-registry.js';
import { geometry } from '../../../runtime/cpu/kernels/conv.js';
import { poolStats, threadsSupported } from '../../../runtime/cpu/threads/pool.js';
import { setCpuThreads } from '../../../runtime/cpu/threads/thread-count.js';
import { depthwiseForward } from '../../../runtime/cpu/wasm/depthwise-simd.js';
import { sgemmModule } from '../../../runtime/cpu/wasm/sgemm-simd.js';
import { bits, warmPool } from './threads/warm-pool.js';

/**
 * The depthwise convolution (grouped_conv2d with groups = C, F = C·M) on WebAssembly SIMD
 * (wasm/depthwise-simd.ts), forward with bias and activation, input and weight gradients, against
 * direct float64 loops: y[b, oy, ox, c·M + m] = Σ_taps x[b, iy, ix, c] · w[c·M + m, ky, kx]. Float32
 * sums of k terms, within (k + 3)·2⁻²⁴·Σ|terms| (k = taps, taps·M and N·OH·OW). Channel counts that do
 * not fill a vector of 4 (3, 5, 7), strides, padding, dilation, multipliers; 1 and 2 threads give the
 * same bits.
 */
const U = 2 ** -24;
const ctx = { training: true, lr: 0, step: 0, seed: 0 };
const random = (n: number, seed: number): Float32Array => Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 3.7 + i * 1.13));
const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

interface Case {
  name: string;
  x: number[];
  /** w [F, kh, kw, 1], F = C·M. */
  w: number[];
  attrs: { strides: number[]; padding: string; dilation: number[]; groups: number };
}

const conv = (strides: number[], padding: string, dilation: number[], groups: number) => ({ strides, padding, dilation, groups });
const cases: Case[] = [
  { name: '3×3 same, 8 channels', x: [2, 6, 7, 8], w: [8, 3, 3, 1], attrs: conv([1, 1], 'same', [1, 1], 8) },
  { name: '3×3 stride 2 same, 7 channels, multiplier 2', x: [2, 7, 6, 7], w: [14, 3, 3, 1], attrs: conv([2, 2], 'same', [1, 1], 7) },
  { name: '5×5 dilation 2 valid, 3 channels', x: [1, 11, 10, 3], w: [3, 5, 5, 1], attrs: conv([1, 1], 'valid', [2, 2], 3) },
  { name: '3×2 stride 2×1 dilation 1×2 same, 5 channels, multiplier 3', x: [2, 7, 8, 5], w: [15, 3, 2, 1], attrs: conv([2, 1], 'same', [1, 2], 5) },
  { name: '1×1, 1 channel, multiplier 6', x: [3, 4, 5, 1], w: [6, 1, 1, 1], attrs: conv([1, 1], 'valid', [1, 1], 1) },
];

function direct(c: Case, x: Float32Array, w: Float32Array, dy: Float32Array) {
  const g = geometry(c.x, c.w, c.attrs);
  const m = g.f / g.c;
  const y = new Float64Array(g.n * g.oh * g.ow * g.f);
  const yMag = new Float64Array(y.length);
  const dx = new Float64Array(size(c.x));
  const dxMag = new Float64Array(dx.length);
  const dw = new Float64Array(w.length);
  const dwMag = new Float64Array(w.length);
  for (let b = 0; b < g.n; b++) for (let oy = 0; oy < g.oh; oy++) for (let ox = 0; ox < g.ow; ox++) for (let f = 0; f < g.f; f++) {
    const o = ((b * g.oh + oy) * g.ow + ox) * g.f + f;
    for (let ky = 0; ky < g.kh; ky++) for (let kx = 0; kx < g.kw; kx++) {
      const iy = oy * g.sh + ky * g.dh - g.padTop;
      const ix = ox * g.sw + kx * g.dw - g.padLeft;
      if (iy < 0 || iy >= g.h || ix < 0 || ix >= g.w) continue;
      const xi = ((b * g.h + iy) * g.w + ix) * g.c + Math.floor(f / m);
      const wi = (f * g.kh + ky) * g.kw + kx;
      y[o]! += x[xi]! * w[wi]!;
      yMag[o]! += Math.abs(x[xi]! * w[wi]!);
      dx[xi]! += dy[o]! * w[wi]!;
      dxMag[xi]! += Math.abs(dy[o]! * w[wi]!);
      dw[wi]! += dy[o]! * x[xi]!;
      dwMag[wi]! += Math.abs(dy[o]! * x[xi]!);
    }
  }
  return { g, y, yMag, dx, dxMag, dw, dwMag };
}

function run(c: Case, x: Float32Array, w: Float32Array, dy: Float32Array, bias?: Float32Array) {
  const g = geometry(c.x, c.w, c.attrs);
  const yShape = [g.n, g.oh, g.ow, g.f];
  const y = new Float32Array(size(yShape)).fill(Number.NaN);
  const pre = new Float32Array(y.length).fill(Number.NaN);
  const forward = resolveCpuKernel(bias ? 'grouped_conv2d+bias+relu' : 'grouped_conv2d');
  forward(ctx, [{ shape: c.x, data: x }, { shape: c.w, data: w }, ...(bias ? [{ shape: [g.f], data: bias }] : [])], [{ shape: yShape, data: y }, ...(bias ? [{ shape: yShape, data: pre }] : [])], c.attrs);
  const dx = new Float32Array(size(c.x)).fill(Number.NaN);
  resolveCpuKernel('grouped_conv2d_grad_input')(ctx, [{ shape: yShape, data: dy }, { shape: c.w, data: w }], [{ shape: c.x, data: dx }], c.attrs);
  const dw = new Float32Array(size(c.w)).fill(Number.NaN);
  resolveCpuKernel('grouped_conv2d_grad_weight')(ctx, [{ shape: yShape, data: dy }, { shape: c.x, data: x }], [{ shape: c.w, data: dw }], c.attrs);
  return { y, pre, dx, dw };
}

describe.runIf(sgemmModule() !== null)('depthwise convolution in WASM SIMD', () => {
  afterAll(() => setCpuThreads(null));

  it('runs on this host (the WASM path, not the loops)', () => {
    const c = cases[0]!;
    const g = geometry(c.x, c.w, c.attrs);
    const y = new Float32Array(g.n * g.oh * g.ow * g.f);
    expect(depthwiseForward(random(size(c.x), 1), random(size(c.w), 2), y, g, { bias: null, pre: null, activation: null })).toBe(true);
  });

  for (const c of cases) {
    it(`${c.name}: forward, input and weight gradients within the float32 bound`, () => {
      const x = random(size(c.x), 1);
      const w = random(size(c.w), 2);
      const g0 = geometry(c.x, c.w, c.attrs);
      const dy = random(g0.n * g0.oh * g0.ow * g0.f, 3);
      const { g, y, yMag, dx, dxMag, dw, dwMag } = direct(c, x, w, dy);
      const got = run(c, x, w, dy);
      const taps = g.kh * g.kw;
      y.forEach((v, i) => expect(Math.abs(got.y[i]! - v), `y[${i}]`).toBeLessThanOrEqual((taps + 3) * U * yMag[i]! + 1e-30));
      const m = g.f / g.c;
      dx.forEach((v, i) => expect(Math.abs(got.dx[i]! - v), `dx[${i}]`).toBeLessThanOrEqual((taps * m + 3) * U * dxMag[i]! + 1e-30));
      const rows = g.n * g.oh * g.ow;
      dw.forEach((v, i) => expect(Math.abs(got.dw[i]! - v), `dw[${i}]`).toBeLessThanOrEqual((rows + 3) * U * dwMag[i]! + 1e-30));
    });
  }

  it('adds the bias in the kernel, keeps the pre-activation and applies relu after', () => {
    const c = cases[1]!;
    const x = random(size(c.x), 4);
    const w = random(size(c.w), 5);
    const bias = random(c.w[0]!, 6);
    const { g, y, yMag } = direct(c, x, w, new Float32Array(size(c.x)));
    const got = run(c, x, w, random(g.n * g.oh * g.ow * g.f, 7), bias);
    y.forEach((v, i) => {
      const bound = (g.kh * g.kw + 4) * U * (yMag[i]! + 1);
      expect(Math.abs(got.pre[i]! - (v + bias[i % g.f]!)), `pre[${i}]`).toBeLessThanOrEqual(bound);
      expect(got.y[i]).toBe(Math.max(got.pre[i]!, 0));
    });
  });

  it.runIf(threadsSupported())('the same bits on 1 and 2 threads, and 2 uses the workers', async () => {
    const c: Case = { name: 'large', x: [4, 24, 24, 45], w: [90, 3, 3, 1], attrs: conv([1, 1], 'same', [1, 1], 45) };
    const x = random(size(c.x), 8);
    const w = random(size(c.w), 9);
    const dy = random(4 * 24 * 24 * 90, 10);
    await warmPool(1);
    const one = run(c, x, w, dy);
    await warmPool(2);
    const before = poolStats().jobs;
    const two = run(c, x, w, dy);
    expect(poolStats().jobs - before).toBeGreaterThanOrEqual(3);
    expect(bits(two.y)).toEqual(bits(one.y));
    expect(bits(two.dx)).toEqual(bits(one.dx));
    expect(bits(two.dw)).toEqual(bits(one.dw));
  });
});
