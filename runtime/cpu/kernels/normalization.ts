import type { CpuKernel, CpuTensor, CpuKernelMap } from '../kernel-interface.js';
import { f32 } from '../kernel-interface.js';
import { mixSeeds } from '../random.js';
import { mulberry32 } from '../../plan/random.js';

/** batchnorm, layernorm (with their gradients), dropout and embedding lookup. */
const lastDim = (t: CpuTensor): number => t.shape[t.shape.length - 1] ?? 1;

const batchnorm: CpuKernel = (ctx, [x, gamma, beta, runMean, runVar], [y, meanOut, invstdOut], attrs) => {
  const xd = f32(x!);
  const out = f32(y!);
  const c = lastDim(x!);
  const rows = xd.length / c;
  const eps = attrs.epsilon as number;
  const momentum = attrs.momentum as number;
  const g = f32(gamma!);
  const b = f32(beta!);
  const rm = f32(runMean!);
  const rv = f32(runVar!);
  const mean = f32(meanOut!);
  const invstd = f32(invstdOut!);
  if (ctx.training) {
    mean.fill(0);
    const sq = new Float64Array(c);
    for (let r = 0; r < rows; r++) for (let j = 0; j < c; j++) mean[j]! += xd[r * c + j]!;
    for (let j = 0; j < c; j++) mean[j]! /= rows;
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < c; j++) {
        const d = xd[r * c + j]! - mean[j]!;
        sq[j]! += d * d;
      }
    }
    for (let j = 0; j < c; j++) {
      invstd[j] = 1 / Math.sqrt(sq[j]! / rows + eps);
      rm[j] = momentum * rm[j]! + (1 - momentum) * mean[j]!;
      rv[j] = momentum * rv[j]! + (1 - momentum) * (rows > 1 ? sq[j]! / (rows - 1) : 0);
    }
  } else {
    for (let j = 0; j < c; j++) {
      mean[j] = rm[j]!;
      invstd[j] = 1 / Math.sqrt(rv[j]! + eps);
    }
  }
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < c; j++) {
      const i = r * c + j;
      out[i] = g[j]! * (xd[i]! - mean[j]!) * invstd[j]! + b[j]!;
    }
  }
};

const batchnormGrad: CpuKernel = (_ctx, [dy, x, gamma, meanIn, invstdIn], [dx, dgamma, dbeta]) => {
  const g = f32(dy!);
  const xd = f32(x!);
  const c = lastDim(x!);
  const rows = xd.length / c;
  const mean = f32(meanIn!);
  const invstd = f32(invstdIn!);
  const gm = f32(gamma!);
  const dg = f32(dgamma!);
  const db = f32(dbeta!);
  dg.fill(0);
  db.fill(0);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < c; j++) {
      const i = r * c + j;
      db[j]! += g[i]!;
      dg[j]! += g[i]! * (xd[i]! - mean[j]!) * invstd[j]!;
    }
  }
  const out = f32(dx!);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < c; j++) {
      const i = r * c + j;
      const xhat = (xd[i]! - mean[j]!) * invstd[j]!;
      out[i] = (gm[j]! * invstd[j]! / rows) * (rows * g[i]! - db[j]! - xhat * dg[j]!);
    }
  }
};

const layernorm: CpuKernel = (_ctx, [x, gamma, beta], [y, meanOut, invstdOut], attrs) => {
  const xd = f32(x!);
  const out = f32(y!);
  const c = lastDim(x!);
  const rows = xd.length / c;
  const eps = attrs.epsilon as number;
  const g = f32(gamma!);
  const b = f32(beta!);
  const mean = f32(meanOut!);
  const invstd = f32(invstdOut!);
  for (let r = 0; r < rows; r++) {
    const o = r * c;
    let sum = 0;
    for (let j = 0; j < c; j++) sum += xd[o + j]!;
    const m = sum / c;
    let sq = 0;
    for (let j = 0; j < c; j++) sq += (xd[o + j]! - m) ** 2;
    const inv = 1 / Math.sqrt(sq / c + eps);
    mean[r] = m;
    invstd[r] = inv;
    for (let j = 0; j < c; j++) out[o + j] = g[j]! * (xd[o + j]! - m) * inv + b[j]!;
  }
};

const layernormGrad: CpuKernel = (_ctx, [dy, x, gamma, meanIn, invstdIn], [dx, dgamma, dbeta]) => {
  const g = f32(dy!);
  const xd = f32(x!);
  const c = lastDim(x!);
  const rows = xd.length / c;
  const mean = f32(meanIn!);
  const invstd = f32(invstdIn!);
  const gm = f32(gamma!);
  const dg = f32(dgamma!);
  const db = f32(dbeta!);
  const out = f32(dx!);
  dg.fill(0);
  db.fill(0);
  for (let r = 0; r < rows; r++) {
    const o = r * c;
    const inv = invstd[r]!;
    let sumD = 0;
    let sumDX = 0;
    for (let j = 0; j < c; j++) {
      const xhat = (xd[o + j]! - mean[r]!) * inv;
      const d = g[o + j]! * gm[j]!;
      sumD += d;
      sumDX += d * xhat;
      dg[j]! += g[o + j]! * xhat;
      db[j]! += g[o + j]!;
    }
    for (let j = 0; j < c; j++) {
      const xhat = (xd[o + j]! - mean[r]!) * inv;
      out[o + j] = (inv / c) * (c * g[o + j]! * gm[j]! - sumD - xhat * sumDX);
    }
  }
};

const dropout: CpuKernel = (ctx, [x], [y, maskOut], attrs) => {
  const xd = f32(x!);
  const out = f32(y!);
  const mask = f32(maskOut!);
  const rate = attrs.rate as number;
  if (!ctx.training || rate === 0) {
    out.set(xd);
    mask.fill(1);
    return;
  }
  const random = mulberry32(mixSeeds(ctx.seed, attrs.seed as number));
  const keep = 1 / (1 - rate);
  for (let i = 0; i < xd.length; i++) {
    const m = random() >= rate ? keep : 0;
    mask[i] = m;
    out[i] = xd[i]! * m;
  }
};

const dropoutGrad: CpuKernel = (_ctx, [dy, mask], [dx]) => {
  const g = f32(dy!);
  const m = f32(mask!);
  const out = f32(dx!);
  for (let i = 0; i < out.length; i++) out[i] = g[i]! * m[i]!;
};

const embedding: CpuKernel = (_ctx, [ids, table], [y]) => {
  const dim = lastDim(table!);
  const vocab = table!.shape[0]!;
  const t = f32(table!);
  const out = f32(y!);
  const idd = ids!.data;
  for (let r = 0; r < idd.length; r++) {
    const id = idd[r]!;
    if (!Number.isInteger(id) || id < 0 || id >= vocab) throw new RangeError(`embedding id ${id} at position ${r} is outside the vocabulary [0, ${vocab - 1}]`);
    // A copy loop, not set(subarray): a view per row was ~25 KB a step on a masked LSTM's ids.
    for (let j = 0, from = id * dim, to = r * dim; j < dim; j++) out[to + j] = t[from + j]!;
  }
};

const embeddingGrad: CpuKernel = (_ctx, [dy, ids], [dtable]) => {
  const dim = lastDim(dtable!);
  const g = f32(dy!);
  const out = f32(dtable!);
  out.fill(0);
  const idd = ids!.data;
  for (let r = 0; r < idd.length; r++) {
    const o = idd[r]! * dim;
    for (let j = 0; j < dim; j++) out[o + j]! += g[r * dim + j]!;
  }
};

export const normalizationKernels = {
  batchnorm,
  batchnorm_grad: batchnormGrad,
  layernorm,
  layernorm_grad: layernormGrad,
  dropout,
  dropout_grad: dropoutGrad,
  embedding,
  embedding_grad: embeddingGrad,
} satisfies CpuKernelMap;
