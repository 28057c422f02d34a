import { describe, expect, it } from 'vitest';
import '../../../runtime/cpu/index.js';
import { resolveCpuKernel } from '../../../runtime/cpu/kernel-registry.js';
import { groupnormGradSimd, groupnormSimd } from '../../../runtime/cpu/wasm/groupnorm-simd.js';
import { sgemmModule } from '../../../runtime/cpu/wasm/sgemm-simd.js';

/**
 * groupnorm on batchnorm's WASM SIMD passes (wasm/groupnorm-simd.ts) against float64 formulas: per
 * sample and group, mean and biased variance over positions × C/G channels, y = γ·x̂ + β; the gradient
 * dx = inv/M·(M·d − Σd − x̂·Σd·x̂) with d = dy·γ, dγ = Σ dy·x̂, dβ = Σ dy. Float32 sums over at most a few
 * hundred terms of size ~1: 1e-5 relative to the magnitude (the op suite holds CPU to 1e-4).
 */
const ctx = { training: true, lr: 0, step: 0, seed: 0 };
const random = (n: number, seed: number, scale = 1, shift = 0): Float32Array => Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 3.7 + i * 1.13) * scale + shift);

interface Case {
  name: string;
  shape: number[];
  groups: number;
}

const cases: Case[] = [
  { name: '[2, 5, 6, 8], 2 groups', shape: [2, 5, 6, 8], groups: 2 },
  { name: '[3, 4, 12], 3 groups (a sequence)', shape: [3, 4, 12], groups: 3 },
  { name: '[2, 3, 3, 16], 16 groups (instance norm)', shape: [2, 3, 3, 16], groups: 16 },
  { name: '[4, 8], 1 group (layer norm over channels)', shape: [4, 8], groups: 1 },
];

function reference(shape: number[], groups: number, x: Float32Array, gamma: Float32Array, beta: Float32Array, dy: Float32Array) {
  const c = shape[shape.length - 1]!;
  const n = shape[0]!;
  const positions = x.length / (n * c);
  const cpg = c / groups;
  const count = positions * cpg;
  const y = new Float64Array(x.length);
  const dx = new Float64Array(x.length);
  const dg = new Float64Array(c);
  const db = new Float64Array(c);
  const mean = new Float64Array(n * groups);
  const invstd = new Float64Array(n * groups);
  const cells = (b: number, g: number): Array<[number, number]> => {
    const out: Array<[number, number]> = [];
    for (let p = 0; p < positions; p++) for (let j = 0; j < cpg; j++) out.push([(b * positions + p) * c + g * cpg + j, g * cpg + j]);
    return out;
  };
  for (let b = 0; b < n; b++) {
    for (let g = 0; g < groups; g++) {
      const group = cells(b, g);
      const m = group.reduce((s, [at]) => s + x[at]!, 0) / count;
      const inv = 1 / Math.sqrt(group.reduce((s, [at]) => s + (x[at]! - m) ** 2, 0) / count + 1e-3);
      mean[b * groups + g] = m;
      invstd[b * groups + g] = inv;
      let sumD = 0;
      let sumDX = 0;
      for (const [at, ch] of group) {
        const xhat = (x[at]! - m) * inv;
        y[at] = gamma[ch]! * xhat + beta[ch]!;
        sumD += dy[at]! * gamma[ch]!;
        sumDX += dy[at]! * gamma[ch]! * xhat;
        dg[ch]! += dy[at]! * xhat;
        db[ch]! += dy[at]!;
      }
      for (const [at, ch] of group) dx[at] = (inv / count) * (count * dy[at]! * gamma[ch]! - sumD - (x[at]! - m) * inv * sumDX);
    }
  }
  return { y, mean, invstd, dx, dg, db };
}

const close = (got: Float32Array, want: Float64Array, what: string): void => {
  const scale = Math.max(1, ...Array.from(want, Math.abs));
  want.forEach((v, i) => expect(Math.abs(got[i]! - v), `${what}[${i}]`).toBeLessThanOrEqual(1e-5 * scale));
};

describe.runIf(sgemmModule() !== null)('groupnorm on the WASM SIMD passes', () => {
  it('groupnorm and groupnorm_grad are the WASM kernels', () => {
    expect(resolveCpuKernel('groupnorm')).toBe(groupnormSimd);
    expect(resolveCpuKernel('groupnorm_grad')).toBe(groupnormGradSimd);
  });

  for (const c of cases) {
    it(`${c.name}: forward statistics and output, gradients of x, gamma and beta`, () => {
      const size = c.shape.reduce((a, b) => a * b, 1);
      const ch = c.shape[c.shape.length - 1]!;
      // An offset mean and a spread that differs per element; one gamma of zero.
      const x = random(size, 1, 2, 0.7);
      const gamma = random(ch, 2, 1, 0.5);
      gamma[1] = 0;
      const beta = random(ch, 3);
      const dy = random(size, 4);
      const want = reference(c.shape, c.groups, x, gamma, beta, dy);
      const attrs = { groups: c.groups, epsilon: 1e-3 };
      const stats = [c.shape[0]!, c.groups];
      const [y, mean, invstd] = [new Float32Array(size), new Float32Array(stats[0]! * c.groups), new Float32Array(stats[0]! * c.groups)];
      groupnormSimd(ctx, [{ shape: c.shape, data: x }, { shape: [ch], data: gamma }, { shape: [ch], data: beta }], [{ shape: c.shape, data: y }, { shape: stats, data: mean }, { shape: stats, data: invstd }], attrs);
      close(y, want.y, 'y');
      close(mean, want.mean, 'mean');
      close(invstd, want.invstd, 'invstd');
      const [dx, dg, db] = [new Float32Array(size).fill(Number.NaN), new Float32Array(ch).fill(Number.NaN), new Float32Array(ch).fill(Number.NaN)];
      groupnormGradSimd(
        ctx,
        [{ shape: c.shape, data: dy }, { shape: c.shape, data: x }, { shape: [ch], data: gamma }, { shape: stats, data: mean }, { shape: stats, data: invstd }],
        [{ shape: c.shape, data: dx }, { shape: [ch], data: dg }, { shape: [ch], data: db }],
        attrs,
      );
      close(dx, want.dx, 'dx');
      close(dg, want.dg, 'dgamma');
      close(db, want.db, 'dbeta');
    });
  }
});
