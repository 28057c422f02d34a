import { afterAll, describe, expect, it } from 'vitest';
import '../../../runtime/cpu/index.js';
import { resolveCpuKernel } from '../../../runtime/cpu/kernel-registry.js';
import { geometry } from '../../../runtime/cpu/kernels/conv.js';
import { poolStats, threadsSupported } from '../../../runtime/cpu/threads/pool.js';
import { setCpuThreads } from '../../../runtime/cpu/threads/thread-count.js';
import { depthwiseForward } from '../../../runtime/cpu/wasm/depthwise-simd.js';
import { limitPointerTables } from '../../../runtime/cpu/wasm/pointer-tables.js';
import { sgemmModule } from '../../../runtime/cpu/wasm/sgemm-simd.js';
import { bits, warmPool } from './threads/warm-pool.js';
import { U, random, size } from './float-data.js';

/**
 * grouped_conv2d on the WASM paths (wasm/grouped-simd.ts): the depthwise convolution (groups = C,
 * F = C·M) in SIMD over channels (wasm/depthwise-simd.ts), other groupings one indirect GEMM per group.
 * Forward with bias and activation, input and weight gradients, against direct float64 loops:
 * y[b, oy, ox, f] = Σ_taps Σ_{c < C/G} x[b, iy, ix, group(f)·C/G + c] · w[f, ky, kx, c], group(f) =
 * floor(f / (F/G)). Float32 sums of k terms, within (k + 3)·2⁻²⁴·Σ|terms| (k = taps·C/G, taps·F/G and
 * N·OH·OW). Channel counts that do not fill a vector of 4 or a panel of 8, strides (the depthwise
 * input gradient by stride phases, some with no tap), padding, dilation, multipliers; 1 and 2 threads
 * give the same bits; the pointer lists kept between calls or written per call.
 */
const ctx = { training: true, lr: 0, step: 0, seed: 0 };

interface Case {
  name: string;
  x: number[];
  /** w [F, kh, kw, C/groups]. */
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
  { name: '3×3 stride 2 same, 8 channels (stride phases)', x: [2, 9, 8, 8], w: [8, 3, 3, 1], attrs: conv([2, 2], 'same', [1, 1], 8) },
  { name: '2×2 stride 3 valid, 4 channels (phases no tap reaches)', x: [2, 8, 7, 4], w: [4, 2, 2, 1], attrs: conv([3, 3], 'valid', [1, 1], 4) },
  { name: 'GEMM per group: 2 groups, 3×3 same, 6 → 10 channels', x: [2, 6, 7, 6], w: [10, 3, 3, 3], attrs: conv([1, 1], 'same', [1, 1], 2) },
  { name: 'GEMM per group: 3 groups, 3×3 stride 2 same, 15 → 9 channels', x: [2, 9, 8, 15], w: [9, 3, 3, 5], attrs: conv([2, 2], 'same', [1, 1], 3) },
  { name: 'GEMM per group: 4 groups, 2×3 stride 1×2 dilation 2×1 valid, 8 → 36 channels', x: [1, 10, 11, 8], w: [36, 2, 3, 2], attrs: conv([1, 2], 'valid', [2, 1], 4) },
];

function direct(c: Case, x: Float32Array, w: Float32Array, dy: Float32Array) {
  const g = geometry(c.x, c.w, c.attrs);
  const cpg = g.c / c.attrs.groups;
  const fpg = g.f / c.attrs.groups;
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
      for (let ch = 0; ch < cpg; ch++) {
        const xi = ((b * g.h + iy) * g.w + ix) * g.c + Math.floor(f / fpg) * cpg + ch;
        const wi = ((f * g.kh + ky) * g.kw + kx) * cpg + ch;
        y[o]! += x[xi]! * w[wi]!;
        yMag[o]! += Math.abs(x[xi]! * w[wi]!);
        dx[xi]! += dy[o]! * w[wi]!;
        dxMag[xi]! += Math.abs(dy[o]! * w[wi]!);
        dw[wi]! += dy[o]! * x[xi]!;
        dwMag[wi]! += Math.abs(dy[o]! * x[xi]!);
      }
    }
  }
  return { g, y, yMag, dx, dxMag, dw, dwMag };
}

/** y's size. */
function g0Size(c: Case): number {
  const g = geometry(c.x, c.w, c.attrs);
  return g.n * g.oh * g.ow * g.f;
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

describe.runIf(sgemmModule() !== null)('grouped and depthwise convolutions on the WASM paths', () => {
  afterAll(() => setCpuThreads(null));

  it('runs on this host (the WASM path, not the loops)', () => {
    const c = cases[0]!;
    const g = geometry(c.x, c.w, c.attrs);
    const y = new Float32Array(g.n * g.oh * g.ow * g.f);
    expect(depthwiseForward(random(size(c.x), 1), random(size(c.w), 2), y, g, { bias: null, pre: null, activation: null })).toBe(true);
  });

  for (const [c, tables] of cases.flatMap((c) => [[c, true], [c, false]] as const)) {
    it(`${c.name}: forward, input and weight gradients within the float32 bound (pointer lists ${tables ? 'kept' : 'written per call'})`, () => {
      const limit = limitPointerTables(tables ? 1 << 22 : 0);
      const x = random(size(c.x), 1);
      const w = random(size(c.w), 2);
      const g0 = geometry(c.x, c.w, c.attrs);
      const dy = random(g0.n * g0.oh * g0.ow * g0.f, 3);
      const { g, y, yMag, dx, dxMag, dw, dwMag } = direct(c, x, w, dy);
      const got = run(c, x, w, dy);
      const taps = g.kh * g.kw;
      const [cpg, fpg] = [g.c / c.attrs.groups, g.f / c.attrs.groups];
      y.forEach((v, i) => expect(Math.abs(got.y[i]! - v), `y[${i}]`).toBeLessThanOrEqual((taps * cpg + 3) * U * yMag[i]! + 1e-30));
      dx.forEach((v, i) => expect(Math.abs(got.dx[i]! - v), `dx[${i}]`).toBeLessThanOrEqual((taps * fpg + 3) * U * dxMag[i]! + 1e-30));
      const rows = g.n * g.oh * g.ow;
      dw.forEach((v, i) => expect(Math.abs(got.dw[i]! - v), `dw[${i}]`).toBeLessThanOrEqual((rows + 3) * U * dwMag[i]! + 1e-30));
      limitPointerTables(limit);
    });
  }

  for (const c of [cases[1]!, cases[8]!]) it(`${c.name}: adds the bias in the kernel, keeps the pre-activation and applies relu after`, () => {
    const x = random(size(c.x), 4);
    const w = random(size(c.w), 5);
    const bias = random(c.w[0]!, 6);
    const { g, y, yMag } = direct(c, x, w, new Float32Array(g0Size(c)));
    const got = run(c, x, w, random(g0Size(c), 7), bias);
    y.forEach((v, i) => {
      const bound = (g.kh * g.kw * c.w[3]! + 4) * U * (yMag[i]! + 1);
      expect(Math.abs(got.pre[i]! - (v + bias[i % g.f]!)), `pre[${i}]`).toBeLessThanOrEqual(bound);
      expect(got.y[i]).toBe(Math.max(got.pre[i]!, 0));
    });
  });

  const large: Case[] = [
    { name: 'depthwise', x: [4, 24, 24, 45], w: [90, 3, 3, 1], attrs: conv([1, 1], 'same', [1, 1], 45) },
    { name: '3 groups', x: [2, 20, 20, 48], w: [39, 3, 3, 16], attrs: conv([1, 1], 'same', [1, 1], 3) },
  ];
  for (const c of large) {
    it.runIf(threadsSupported())(`${c.name}: the same bits on 1 and 2 threads, and 2 uses the workers`, async () => {
      const x = random(size(c.x), 8);
      const w = random(size(c.w), 9);
      const dy = random(g0Size(c), 10);
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
  }
});
