import { describe, expect, it } from 'vitest';
import type { CpuTensor } from '../../../runtime/cpu/kernel-interface.js';
import { poolingKernels } from '../../../runtime/cpu/kernels/pooling.js';

/**
 * The windowed pooling kernels (channels innermost, no closure per element) against a naive
 * per-output formula: equal to the bit (same comparisons and sums in the same order), with 'same'
 * padding, strides and windows that overlap.
 */
interface Case { h: number; w: number; c: number; size: [number, number]; strides: [number, number]; padding: 'valid' | 'same' }
const CASES: Case[] = [
  { h: 6, w: 6, c: 3, size: [2, 2], strides: [2, 2], padding: 'valid' },
  { h: 7, w: 5, c: 4, size: [3, 3], strides: [2, 2], padding: 'same' },
  { h: 5, w: 6, c: 2, size: [3, 2], strides: [1, 1], padding: 'same' },
  { h: 9, w: 9, c: 1, size: [3, 3], strides: [2, 3], padding: 'valid' },
];

function outSize(n: number, k: number, s: number, padding: string): number {
  return padding === 'same' ? Math.ceil(n / s) : Math.floor((n - k) / s) + 1;
}

/** Per output: its valid input cells in row-major window order. */
function cells(c: Case, n: number, oh: number, ow: number): Array<{ o: number; inputs: number[] }> {
  const pad = (inSize: number, out: number, k: number, s: number) => (c.padding === 'same' ? Math.floor(Math.max((out - 1) * s + k - inSize, 0) / 2) : 0);
  const top = pad(c.h, oh, c.size[0], c.strides[0]);
  const left = pad(c.w, ow, c.size[1], c.strides[1]);
  const list = [];
  for (let b = 0; b < n; b++)
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++)
        for (let ch = 0; ch < c.c; ch++) {
          const inputs = [];
          for (let ky = 0; ky < c.size[0]; ky++)
            for (let kx = 0; kx < c.size[1]; kx++) {
              const iy = oy * c.strides[0] + ky - top;
              const ix = ox * c.strides[1] + kx - left;
              if (iy >= 0 && iy < c.h && ix >= 0 && ix < c.w) inputs.push(((b * c.h + iy) * c.w + ix) * c.c + ch);
            }
          list.push({ o: ((b * oh + oy) * ow + ox) * c.c + ch, inputs });
        }
  return list;
}

const t = (shape: number[], data: Float32Array): CpuTensor => ({ shape, data });
const ctx = { training: true, lr: 0, step: 1, seed: 0 };

describe('pooling kernels', () => {
  for (const c of CASES) {
    it(`match the per-output formula: ${JSON.stringify(c)}`, () => {
      const n = 2;
      const oh = outSize(c.h, c.size[0], c.strides[0], c.padding);
      const ow = outSize(c.w, c.size[1], c.strides[1], c.padding);
      // Rounded values so that windows hold ties (max keeps the first).
      const x = Float32Array.from({ length: n * c.h * c.w * c.c }, (_, i) => Math.round(Math.sin(i * 1.7) * 4) / 4);
      const dy = Float32Array.from({ length: n * oh * ow * c.c }, (_, i) => Math.cos(i * 0.3));
      const attrs = { size: c.size, strides: c.strides, padding: c.padding };
      const xShape = [n, c.h, c.w, c.c];
      const yShape = [n, oh, ow, c.c];
      const windows = cells(c, n, oh, ow);

      const max = new Float32Array(dy.length);
      poolingKernels.maxpool2d!(ctx, [t(xShape, x)], [t(yShape, max)], attrs);
      const avg = new Float32Array(dy.length);
      poolingKernels.avgpool2d!(ctx, [t(xShape, x)], [t(yShape, avg)], attrs);
      const dmax = new Float32Array(x.length);
      poolingKernels.maxpool2d_grad!(ctx, [t(yShape, dy), t(xShape, x)], [t(xShape, dmax)], attrs);
      const davg = new Float32Array(x.length);
      poolingKernels.avgpool2d_grad!(ctx, [t(yShape, dy)], [t(xShape, davg)], attrs);

      const wantMax = new Float32Array(dy.length);
      const wantAvg = new Float32Array(dy.length);
      const wantDmax = new Float32Array(x.length);
      const wantDavg = new Float32Array(x.length);
      for (const { o, inputs } of windows) {
        let m = -Infinity;
        let arg = -1;
        let sum = 0;
        for (const i of inputs) {
          if (arg < 0 || x[i]! > x[arg]!) arg = i;
          if (x[i]! > m) m = x[i]!;
          sum = Math.fround(sum + x[i]!);
        }
        wantMax[o] = m;
        wantAvg[o] = sum / Math.max(inputs.length, 1);
        if (arg >= 0) wantDmax[arg]! += dy[o]!;
        for (const i of inputs) wantDavg[i]! += dy[o]! / inputs.length;
      }
      expect(Array.from(max)).toEqual(Array.from(wantMax));
      expect(Array.from(avg)).toEqual(Array.from(wantAvg));
      expect(Array.from(dmax)).toEqual(Array.from(wantDmax));
      expect(Array.from(davg)).toEqual(Array.from(wantDavg));
    });
  }
});
