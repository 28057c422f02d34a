import type { CpuKernel, CpuTensor, CpuKernelMap } from '../kernel-interface.js';
import { f32 } from '../kernel-interface.js';
import { softmaxRows } from './softmax.js';

/**
 * Loss kernels: outputs [loss (scalar mean), dpred]. Sums accumulate in float64. Per-element losses
 * average over all elements; class losses sum over the last axis and average over rows (Keras).
 */
const EPS = 1e-7;
const clip = (p: number, lo = EPS, hi = 1 - EPS): number => Math.min(Math.max(p, lo), hi);

function elementwise(f: (d: number, t: number, p: number) => [number, number]): CpuKernel {
  return (_ctx, [pred, target], [loss, dpred]) => {
    const p = f32(pred!);
    const t = f32(target!);
    const g = f32(dpred!);
    const n = p.length;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const [l, dl] = f(p[i]! - t[i]!, t[i]!, p[i]!);
      total += l;
      g[i] = dl / n;
    }
    f32(loss!)[0] = total / n;
  };
}

const cols = (t: CpuTensor): number => t.shape[t.shape.length - 1] ?? 1;

function labelsOf(target: CpuTensor): ArrayLike<number> {
  return target.data;
}

function checkLabel(label: number, classes: number, row: number): void {
  if (!Number.isInteger(label) || label < 0 || label >= classes) {
    throw new RangeError(`label ${label} in row ${row} is outside the ${classes} classes [0, ${classes - 1}]`);
  }
}

const sparseSoftmaxCE: CpuKernel = (_ctx, [pred, target], [loss, dpred]) => {
  const z = f32(pred!);
  const g = f32(dpred!);
  const c = cols(pred!);
  const rows = z.length / c;
  const labels = labelsOf(target!);
  softmaxRows(z, g, c, false);
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const label = labels[r]!;
    checkLabel(label, c, r);
    total -= Math.log(Math.max(g[r * c + label]!, 1e-30));
    g[r * c + label]! -= 1;
  }
  for (let i = 0; i < g.length; i++) g[i]! /= rows;
  f32(loss!)[0] = total / rows;
};

const sparseCE: CpuKernel = (_ctx, [pred, target], [loss, dpred]) => {
  const p = f32(pred!);
  const g = f32(dpred!);
  const c = cols(pred!);
  const rows = p.length / c;
  const labels = labelsOf(target!);
  g.fill(0);
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const label = labels[r]!;
    checkLabel(label, c, r);
    const q = clip(p[r * c + label]!, EPS, 1);
    total -= Math.log(q);
    g[r * c + label] = -1 / q / rows;
  }
  f32(loss!)[0] = total / rows;
};

const softmaxCE: CpuKernel = (_ctx, [pred, target], [loss, dpred]) => {
  const z = f32(pred!);
  const t = f32(target!);
  const g = f32(dpred!);
  const c = cols(pred!);
  const rows = z.length / c;
  softmaxRows(z, g, c, true);
  let total = 0;
  for (let r = 0; r < rows; r++) {
    let tsum = 0;
    for (let j = 0; j < c; j++) {
      const i = r * c + j;
      total -= t[i]! * g[i]!;
      tsum += t[i]!;
    }
    for (let j = 0; j < c; j++) {
      const i = r * c + j;
      g[i] = (Math.exp(g[i]!) * tsum - t[i]!) / rows;
    }
  }
  f32(loss!)[0] = total / rows;
};

function classwise(f: (t: number, p: number) => [number, number]): CpuKernel {
  return (_ctx, [pred, target], [loss, dpred]) => {
    const p = f32(pred!);
    const t = f32(target!);
    const g = f32(dpred!);
    const rows = p.length / cols(pred!);
    let total = 0;
    for (let i = 0; i < p.length; i++) {
      const [l, dl] = f(t[i]!, p[i]!);
      total += l;
      g[i] = dl / rows;
    }
    f32(loss!)[0] = total / rows;
  };
}

export const lossKernels = {
  mse_loss: elementwise((d) => [d * d, 2 * d]),
  mae_loss: elementwise((d) => [Math.abs(d), Math.sign(d)]),
  huber_loss: (ctx, inputs, outputs, attrs) => {
    const delta = attrs.delta as number;
    elementwise((d) => (Math.abs(d) <= delta ? [0.5 * d * d, d] : [delta * (Math.abs(d) - 0.5 * delta), delta * Math.sign(d)]))(ctx, inputs, outputs, attrs);
  },
  binary_cross_entropy_loss: elementwise((_d, t, raw) => {
    const p = clip(raw);
    const inside = raw > EPS && raw < 1 - EPS;
    return [-(t * Math.log(p) + (1 - t) * Math.log(1 - p)), inside ? (p - t) / (p * (1 - p)) : 0];
  }),
  sigmoid_binary_cross_entropy_loss: elementwise((_d, t, z) => {
    const s = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    return [Math.max(z, 0) - z * t + Math.log1p(Math.exp(-Math.abs(z))), s - t];
  }),
  cross_entropy_loss: classwise((t, raw) => {
    const p = clip(raw, EPS, 1);
    return [-t * Math.log(p), raw > EPS ? -t / p : 0];
  }),
  softmax_cross_entropy_loss: softmaxCE,
  sparse_cross_entropy_loss: sparseCE,
  sparse_softmax_cross_entropy_loss: sparseSoftmaxCE,
  kl_divergence_loss: classwise((rawT, raw) => {
    const t = clip(rawT, EPS, 1);
    const p = clip(raw, EPS, 1);
    return [t * Math.log(t / p), raw > EPS ? -t / p : 0];
  }),
} satisfies CpuKernelMap;
