import type { CpuKernel, CpuKernelMap } from '../kernel-interface.js';
import { f32 } from '../kernel-interface.js';

/**
 * groupnorm and its gradient over channels-last [N, ..., C]: each sample's group g holds the channels
 * g·C/G … (g+1)·C/G − 1 at every position; its statistics (biased variance) are `mean` and `invstd`
 * [N, G]. The scale and shift are per channel.
 */
export interface GroupLayout {
  n: number;
  /** Positions per sample (the product of the axes between batch and channels). */
  positions: number;
  c: number;
  groups: number;
  cpg: number;
}

/** Where a channels-last tensor's groups lie: samples, positions per sample, channels, channels per group. */
export function groupLayout(shape: number[], groups: number): GroupLayout {
  const c = shape[shape.length - 1]!;
  const n = shape[0]!;
  const positions = shape.slice(1, -1).reduce((a, b) => a * b, 1);
  return { n, positions, c, groups, cpg: c / groups };
}

/** Calls `visit(at, channel)` for every element of sample b's group g. */
function forEachInGroup(l: GroupLayout, b: number, g: number, visit: (at: number, channel: number) => void): void {
  for (let p = 0; p < l.positions; p++) {
    const base = (b * l.positions + p) * l.c + g * l.cpg;
    for (let j = 0; j < l.cpg; j++) visit(base + j, g * l.cpg + j);
  }
}

const groupnorm: CpuKernel = (_ctx, [x, gamma, beta], [y, meanOut, invstdOut], attrs) => {
  const l = groupLayout(x!.shape, attrs.groups as number);
  const [xd, gm, bt, out, mean, invstd] = [f32(x!), f32(gamma!), f32(beta!), f32(y!), f32(meanOut!), f32(invstdOut!)];
  const count = l.positions * l.cpg;
  for (let b = 0; b < l.n; b++) {
    for (let g = 0; g < l.groups; g++) {
      let sum = 0;
      forEachInGroup(l, b, g, (at) => (sum += xd[at]!));
      const m = sum / count;
      let sq = 0;
      forEachInGroup(l, b, g, (at) => (sq += (xd[at]! - m) ** 2));
      const inv = 1 / Math.sqrt(sq / count + (attrs.epsilon as number));
      mean[b * l.groups + g] = m;
      invstd[b * l.groups + g] = inv;
      forEachInGroup(l, b, g, (at, ch) => (out[at] = gm[ch]! * (xd[at]! - m) * inv + bt[ch]!));
    }
  }
};

/** dx = inv/M · (M·d − Σd − x̂·Σd·x̂) per group with d = dy·gamma; dgamma = Σ dy·x̂, dbeta = Σ dy per channel. */
const groupnormGrad: CpuKernel = (_ctx, [dy, x, gamma, meanIn, invstdIn], [dx, dgamma, dbeta], attrs) => {
  const l = groupLayout(x!.shape, attrs.groups as number);
  const [grad, xd, gm, mean, invstd, out, dg, db] = [f32(dy!), f32(x!), f32(gamma!), f32(meanIn!), f32(invstdIn!), f32(dx!), f32(dgamma!), f32(dbeta!)];
  const count = l.positions * l.cpg;
  dg.fill(0);
  db.fill(0);
  for (let b = 0; b < l.n; b++) {
    for (let g = 0; g < l.groups; g++) {
      const m = mean[b * l.groups + g]!;
      const inv = invstd[b * l.groups + g]!;
      let sumD = 0;
      let sumDX = 0;
      forEachInGroup(l, b, g, (at, ch) => {
        const xhat = (xd[at]! - m) * inv;
        const d = grad[at]! * gm[ch]!;
        sumD += d;
        sumDX += d * xhat;
        dg[ch]! += grad[at]! * xhat;
        db[ch]! += grad[at]!;
      });
      forEachInGroup(l, b, g, (at, ch) => {
        const xhat = (xd[at]! - m) * inv;
        out[at] = (inv / count) * (count * grad[at]! * gm[ch]! - sumD - xhat * sumDX);
      });
    }
  }
};

export const groupnormKernels = { groupnorm, groupnorm_grad: groupnormGrad } satisfies CpuKernelMap;
