import { afterAll, describe, expect, it } from 'vitest';
import '../../../runtime/cpu/index.js';
import { resolveCpuKernel } from '../../../runtime/cpu/kernel-registry.js';
import { geometry } from '../../../runtime/cpu/kernels/conv.js';
import { poolStats, threadsSupported } from '../../../runtime/cpu/threads/pool.js';
import { setCpuThreads } from '../../../runtime/cpu/threads/thread-count.js';
import { convGradInputSimd } from '../../../runtime/cpu/wasm/conv-simd.js';
import { phasedDensity, phasesOf } from '../../../runtime/cpu/wasm/conv-phases.js';
import { sgemmModule } from '../../../runtime/cpu/wasm/sgemm-simd.js';
import { bits, warmPool } from './threads/warm-pool.js';
import { U, random, size } from './float-data.js';
import { placedInKernelMemory } from './placed-tensors.js';

/**
 * Transposed convolutions on the indirect GEMM: conv2d_transpose / conv1d_transpose run as the input
 * gradient of a convolution (wasm/conv-simd.ts), one product per stride phase (wasm/conv-phases.ts),
 * or as a dense GEMM + col2im when most taps would read outside the input. Against a direct float64
 * scatter, y[b, oy·s + ky·d − pad, …, f] += x[b, oy, ox, c] · w[c, ky, kx, f], within the float32
 * bound (k + 3)·2⁻²⁴·Σ|terms| (k = taps · C, as conv-simd.test.ts); odd channel counts that do not
 * fill a panel of 8 columns; on plain arrays and on tensors in the kernels' memory (the phases'
 * scatter in WASM); 1 and 2 threads give the same bits.
 */
const ctx = { training: true, lr: 0, step: 0, seed: 0 };

interface Case {
  name: string;
  /** x [N, H, W, C] or [N, L, C]; w [C, kh, kw, F] or [C, k, F]. */
  x: number[];
  w: number[];
  attrs: { strides: number[]; padding: string; dilation: number[] };
  /** What the kernel should choose: phases (stride > 1), one product, or the dense GEMM. */
  path: 'phases' | 'single' | 'dense';
}

const cases: Case[] = [
  { name: 'U-Net up-convolution: 2×2 stride 2, 7 → 5 channels', x: [2, 5, 6, 7], w: [7, 2, 2, 5], attrs: { strides: [2, 2], padding: 'valid', dilation: [1, 1] }, path: 'phases' },
  { name: 'DCGAN: 4×4 stride 2 same, 9 → 3 channels', x: [2, 4, 4, 9], w: [9, 4, 4, 3], attrs: { strides: [2, 2], padding: 'same', dilation: [1, 1] }, path: 'phases' },
  { name: '3×3 stride 3 dilation 2 valid, 3 → 6 channels', x: [1, 4, 5, 3], w: [3, 3, 3, 6], attrs: { strides: [3, 3], padding: 'valid', dilation: [2, 2] }, path: 'phases' },
  { name: '3×2 stride 2×1 dilation 1×2 same, 5 → 11 channels', x: [2, 5, 4, 5], w: [5, 3, 2, 11], attrs: { strides: [2, 1], padding: 'same', dilation: [1, 2] }, path: 'phases' },
  { name: '2×2 stride 3 valid, 2 → 3 channels (phases no tap reaches: zeros)', x: [2, 3, 4, 2], w: [2, 2, 2, 3], attrs: { strides: [3, 3], padding: 'valid', dilation: [1, 1] }, path: 'phases' },
  { name: '3×3 stride 1 same, 13 → 9 channels', x: [2, 6, 5, 13], w: [13, 3, 3, 9], attrs: { strides: [1, 1], padding: 'same', dilation: [1, 1] }, path: 'single' },
  { name: 'DCGAN first layer: 1×1 → 4×4 valid (dense GEMM + col2im)', x: [5, 1, 1, 10], w: [10, 4, 4, 12], attrs: { strides: [1, 1], padding: 'valid', dilation: [1, 1] }, path: 'dense' },
  { name: 'conv1d_transpose: k 5 stride 2 same, 5 → 3 channels', x: [3, 7, 5], w: [5, 5, 3], attrs: { strides: [2], padding: 'same', dilation: [1] }, path: 'phases' },
  { name: 'conv1d_transpose: k 3 stride 3 dilation 2 valid, 2 → 7 channels', x: [2, 6, 2], w: [2, 3, 7], attrs: { strides: [3], padding: 'valid', dilation: [2] }, path: 'phases' },
];

/** y's shape: H' = H·s + max(d·(k − 1) + 1 − s, 0) for 'valid', H·s for 'same' (plan/kernels.ts). */
function outShape(c: Case): number[] {
  const oneD = c.x.length === 3;
  const spatial = oneD ? [c.x[1]!] : [c.x[1]!, c.x[2]!];
  const out = spatial.map((h, i) => {
    const [k, s, d] = [c.w[1 + i]!, c.attrs.strides[i]!, c.attrs.dilation[i]!];
    return c.attrs.padding === 'same' ? h * s : h * s + Math.max(d * (k - 1) + 1 - s, 0);
  });
  return [c.x[0]!, ...out, c.w[c.w.length - 1]!];
}

/** The direct scatter in float64, and the magnitude of each output's terms. */
function direct(c: Case, x: Float32Array, w: Float32Array, yShape: number[]) {
  // The convolution whose input gradient this is: its input is y, its weight w [C, kh, kw, F].
  const g = geometry(yShape, c.w, c.attrs);
  const y = new Float64Array(size(yShape));
  const mag = new Float64Array(y.length);
  for (let b = 0; b < g.n; b++) for (let oy = 0; oy < g.oh; oy++) for (let ox = 0; ox < g.ow; ox++) for (let ch = 0; ch < g.f; ch++) {
    const xv = x[((b * g.oh + oy) * g.ow + ox) * g.f + ch]!;
    for (let ky = 0; ky < g.kh; ky++) for (let kx = 0; kx < g.kw; kx++) {
      const iy = oy * g.sh + ky * g.dh - g.padTop;
      const ix = ox * g.sw + kx * g.dw - g.padLeft;
      if (iy < 0 || iy >= g.h || ix < 0 || ix >= g.w) continue;
      for (let f = 0; f < g.c; f++) {
        const term = xv * w[((ch * g.kh + ky) * g.kw + kx) * g.c + f]!;
        y[((b * g.h + iy) * g.w + ix) * g.c + f]! += term;
        mag[((b * g.h + iy) * g.w + ix) * g.c + f]! += Math.abs(term);
      }
    }
  }
  return { g, y, mag };
}

/** The kernel's y, on plain arrays or with x, w and y lying in the kernels' memory (as an executor's tensors: the phases' scatter in WASM). */
function run(c: Case, x: Float32Array, w: Float32Array, yShape: number[], inMemory: boolean): Float32Array {
  const kernel = resolveCpuKernel(c.x.length === 3 ? 'conv1d_transpose' : 'conv2d_transpose');
  const tensors = [{ shape: c.x, data: x }, { shape: c.w, data: w }, { shape: yShape, data: new Float32Array(size(yShape)).fill(Number.NaN) }];
  const placed = inMemory ? placedInKernelMemory(tensors) : null;
  const [xt, wt, yt] = placed ? placed.tensors : tensors;
  kernel(ctx, [xt!, wt!], [yt!], c.attrs);
  const y = Float32Array.from(yt!.data as Float32Array);
  placed?.free();
  return y;
}

describe.runIf(sgemmModule() !== null)('transposed convolutions on the indirect GEMM', () => {
  afterAll(() => setCpuThreads(null));

  it('conv2d_transpose and conv1d_transpose are the WASM input gradient', () => {
    expect(resolveCpuKernel('conv2d_transpose')).toBe(convGradInputSimd);
    expect(resolveCpuKernel('conv1d_transpose')).toBe(convGradInputSimd);
  });

  for (const [c, inMemory] of cases.flatMap((c) => [[c, false], [c, true]] as const)) {
    it(`${c.name}: within the float32 bound of the direct scatter${inMemory ? ' (tensors in the kernels\' memory)' : ''}`, () => {
      const yShape = outShape(c);
      const x = random(size(c.x), 1);
      const w = random(size(c.w), 2);
      const { g, y, mag } = direct(c, x, w, yShape);
      expect([g.oh, g.ow]).toEqual(c.x.length === 3 ? [c.x[1], 1] : [c.x[1], c.x[2]]);
      const phases = phasesOf(g);
      const path = phasedDensity(g, phases) < 0.5 ? 'dense' : phases.length > 1 ? 'phases' : 'single';
      expect(path).toBe(c.path);
      const got = run(c, x, w, yShape, inMemory);
      const k = g.kh * g.kw * g.f;
      y.forEach((v, i) => expect(Math.abs(got[i]! - v), `y[${i}]`).toBeLessThanOrEqual((k + 3) * U * mag[i]! + 1e-30));
    });
  }

  it('each phase keeps its own taps: a 4×4 stride-2 kernel gives each of 4 phases 4 taps', () => {
    const g = geometry([1, 8, 8, 3], [5, 4, 4, 3], { strides: [2, 2], padding: 'same', dilation: [1, 1] });
    const phases = phasesOf(g);
    expect(phases.map((p) => p.taps.length)).toEqual([4, 4, 4, 4]);
    expect(new Set(phases.flatMap((p) => p.taps)).size).toBe(16);
  });

  for (const inMemory of [false, true]) it.runIf(threadsSupported())(`the same bits on 1 and 2 threads, and 2 uses the workers${inMemory ? ' (tensors in the kernels\' memory)' : ''}`, async () => {
    const c: Case = { name: 'large', x: [2, 16, 16, 37], w: [37, 4, 4, 29], attrs: { strides: [2, 2], padding: 'same', dilation: [1, 1] }, path: 'phases' };
    const yShape = outShape(c);
    const x = random(size(c.x), 3);
    const w = random(size(c.w), 4);
    await warmPool(1);
    const one = run(c, x, w, yShape, inMemory);
    await warmPool(2);
    const before = poolStats().jobs;
    const two = run(c, x, w, yShape, inMemory);
    expect(poolStats().jobs).toBeGreaterThan(before);
    expect(bits(two)).toEqual(bits(one));
  });
});
