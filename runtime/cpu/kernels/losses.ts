import type { CpuKernel, CpuTensor, CpuKernelMap } from '../kernel-interface.js';
import { f32 } from '../kernel-interface.js';
import { softmaxRows } from './softmax.js';

/**
 * Loss kernels: outputs [loss (scalar mean), dpred]. Sums accumulate in float64. Per-element losses
 * average over all elements; class losses sum over the last axis and average over rows (Keras). The
 * masked_ forms (`loss mse(..., mask: m)`) average over what the mask keeps (runtime/plan/kernels.ts).
 */
const EPS = 1e-7;
const clip = (p: number, lo = EPS, hi = 1 - EPS): number => Math.min(Math.max(p, lo), hi);

/** The nonzero entries of a mask (at least 1: every entry masked gives loss 0 and no gradient, not 0/0). */
function counted(mask: ArrayLike<number>): number {
  let n = 0;
  for (let r = 0; r < mask.length; r++) if (mask[r] !== 0) n++;
  return Math.max(n, 1);
}

/**
 * A per-element loss averaged over every element, or with a mask (the masked_ kernels' third input,
 * covering the rows or every element: each entry covers n/|mask| consecutive elements) over the
 * elements whose entry is nonzero; the others get dpred 0.
 */
function elementwise(f: (d: number, t: number, p: number) => [number, number]): CpuKernel {
  return (_ctx, [pred, target, maskIn], [loss, dpred]) => {
    const p = f32(pred!);
    const t = f32(target!);
    const g = f32(dpred!);
    const n = p.length;
    const mask = maskIn?.data;
    const inner = mask ? n / mask.length : 1;
    const count = mask ? counted(mask) * inner : n;
    let total = 0;
    for (let i = 0; i < n; i++) {
      if (mask && mask[Math.floor(i / inner)] === 0) {
        g[i] = 0;
        continue;
      }
      const [l, dl] = f(p[i]! - t[i]!, t[i]!, p[i]!);
      total += l;
      g[i] = dl / count;
    }
    f32(loss!)[0] = total / count;
  };
}

const cols = (t: CpuTensor): number => t.shape[t.shape.length - 1] ?? 1;

function labelsOf(target: CpuTensor): ArrayLike<number> {
  return target.data;
}

export function checkLabel(label: number, classes: number, row: number): void {
  if (!Number.isInteger(label) || label < 0 || label >= classes) {
    throw new RangeError(`label ${label} in row ${row} is outside the ${classes} classes [0, ${classes - 1}]`);
  }
}

/**
 * −log_softmax(z)[label] of the row at `base`, from the logits: max + ln Σ e^(z − max) − z_label.
 * Not −ln of the float32 probability, which underflows to 0 once the label's logit is ~87 below the
 * row's largest (a diverging run): the loss stays exact there, as WebGPU's and PyTorch's.
 */
function labelNll(z: Float32Array, base: number, c: number, label: number): number {
  let max = -Infinity;
  for (let j = 0; j < c; j++) max = Math.max(max, z[base + j]!);
  let sum = 0;
  for (let j = 0; j < c; j++) sum += Math.exp(z[base + j]! - max);
  return max + Math.log(sum) - z[base + label]!;
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
    total += labelNll(z, r * c, c, label);
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

/** A loss summed over the last axis and averaged over the rows, or with a mask of the rows (a third input) over the rows whose mask is nonzero. */
function classwise(f: (t: number, p: number) => [number, number]): CpuKernel {
  return (_ctx, [pred, target, maskIn], [loss, dpred]) => {
    const p = f32(pred!);
    const t = f32(target!);
    const g = f32(dpred!);
    const c = cols(pred!);
    const mask = maskIn?.data;
    const rows = mask ? counted(mask) : p.length / c;
    let total = 0;
    for (let i = 0; i < p.length; i++) {
      if (mask && mask[Math.floor(i / c)] === 0) {
        g[i] = 0;
        continue;
      }
      const [l, dl] = f(t[i]!, p[i]!);
      total += l;
      g[i] = dl / rows;
    }
    f32(loss!)[0] = total / rows;
  };
}

/** Label smoothing ε of a cross-entropy step (kernels.ts, LABEL_ATTRS), 0 when it has none. */
export const smoothingOf = (attrs: Record<string, unknown>): number => (typeof attrs.smoothing === 'number' ? attrs.smoothing : 0);
/** Class weights of a cross-entropy step, null when it has none. */
export const classWeightsOf = (attrs: Record<string, unknown>): readonly number[] | null => (Array.isArray(attrs.classWeights) ? (attrs.classWeights as number[]) : null);
/** Whether a cross-entropy step has label smoothing or class weights (read without an object per call). */
export const hasLabelAttrs = (attrs: Record<string, unknown>): boolean => smoothingOf(attrs) !== 0 || classWeightsOf(attrs) !== null;

/** weightedCE's rows of smoothed targets and log-probabilities, grown as needed (none per call). */
let smoothed = new Float64Array(0);
let logp = new Float64Array(0);

/**
 * The multi-class cross-entropies with label smoothing and class weights: per row, the smoothed
 * target t' (one-hot of the label or the given row, times 1 − ε, plus ε/K) and the row weight w
 * (classWeights of the label, or Σ t·classWeights of the unsmoothed row); loss w·(−Σ t'·ln p) and
 * its gradient, averaged over rows (Keras's class_weight). `masked`: the third input is a mask of the
 * rows; a row whose mask is 0 is skipped (dpred 0, its label unread) and the mean is over the others.
 */
function weightedCE(sparse: boolean, logits: boolean, masked = false): CpuKernel {
  return (_ctx, inputs, outputs, attrs) => {
    const pred = inputs[0]!;
    const z = f32(pred);
    const g = f32(outputs[1]!);
    const c = cols(pred);
    const mask = masked ? inputs[2]!.data : null;
    const rows = mask ? counted(mask) : z.length / c;
    const t = inputs[1]!.data;
    const eps = smoothingOf(attrs);
    const cw = classWeightsOf(attrs);
    if (smoothed.length < c) [smoothed, logp] = [new Float64Array(c), new Float64Array(c)];
    let total = 0;
    for (let r = 0; r < z.length / c; r++) {
      const base = r * c;
      if (mask && mask[r] === 0) {
        g.fill(0, base, base + c);
        continue;
      }
      let w = 1;
      if (sparse) {
        const l = t[r]!;
        checkLabel(l, c, r);
        for (let j = 0; j < c; j++) smoothed[j] = (j === l ? 1 - eps : 0) + eps / c;
        if (cw) w = cw[l]!;
      } else {
        if (cw) w = 0;
        for (let j = 0; j < c; j++) {
          smoothed[j] = t[base + j]! * (1 - eps) + eps / c;
          if (cw) w += t[base + j]! * cw[j]!;
        }
      }
      let rowLoss = 0;
      if (logits) {
        let max = -Infinity;
        for (let j = 0; j < c; j++) max = Math.max(max, z[base + j]!);
        let sum = 0;
        for (let j = 0; j < c; j++) sum += Math.exp(z[base + j]! - max);
        const lse = max + Math.log(sum);
        let tsum = 0;
        for (let j = 0; j < c; j++) {
          logp[j] = z[base + j]! - lse;
          rowLoss -= smoothed[j]! * logp[j]!;
          tsum += smoothed[j]!;
        }
        for (let j = 0; j < c; j++) g[base + j] = (w * (Math.exp(logp[j]!) * tsum - smoothed[j]!)) / rows;
      } else {
        for (let j = 0; j < c; j++) {
          const raw = z[base + j]!;
          const p = clip(raw, EPS, 1);
          rowLoss -= smoothed[j]! * Math.log(p);
          g[base + j] = raw > EPS ? (w * -smoothed[j]! / p) / rows : 0;
        }
      }
      total += w * rowLoss;
    }
    f32(outputs[0]!)[0] = total / rows;
  };
}

/**
 * Binary cross-entropy with smoothing (t ← t(1 − ε) + ε/2) and class weights [w0, w1] (w = w1·t +
 * w0·(1 − t)), averaged over every element or over those a mask keeps (as `elementwise`).
 */
function weightedBCE(logits: boolean): CpuKernel {
  return (_ctx, inputs, outputs, attrs) => {
    const x = f32(inputs[0]!);
    const target = f32(inputs[1]!);
    const g = f32(outputs[1]!);
    const eps = smoothingOf(attrs);
    const cw = classWeightsOf(attrs);
    const w0 = cw ? (cw[0] ?? 1) : 1;
    const w1 = cw ? (cw[1] ?? 1) : 1;
    const n = x.length;
    const mask = inputs[2]?.data;
    const inner = mask ? n / mask.length : 1;
    const count = mask ? counted(mask) * inner : n;
    let total = 0;
    for (let i = 0; i < n; i++) {
      if (mask && mask[Math.floor(i / inner)] === 0) {
        g[i] = 0;
        continue;
      }
      const rawT = target[i]!;
      const xi = x[i]!;
      const t = rawT * (1 - eps) + eps / 2;
      const w = cw ? w1 * rawT + w0 * (1 - rawT) : 1;
      if (logits) {
        const s = xi >= 0 ? 1 / (1 + Math.exp(-xi)) : Math.exp(xi) / (1 + Math.exp(xi));
        total += w * (Math.max(xi, 0) - xi * t + Math.log1p(Math.exp(-Math.abs(xi))));
        g[i] = (w * (s - t)) / count;
      } else {
        const p = clip(xi);
        const inside = xi > EPS && xi < 1 - EPS;
        total += -w * (t * Math.log(p) + (1 - t) * Math.log(1 - p));
        g[i] = inside ? (w * (p - t)) / (p * (1 - p)) / count : 0;
      }
    }
    f32(outputs[0]!)[0] = total / count;
  };
}

/** A cross-entropy kernel: the plain one, or the smoothed/weighted one when the step asks for it. */
function withLabelAttrs(plain: CpuKernel, weighted: CpuKernel): CpuKernel {
  return (ctx, inputs, outputs, attrs) => (hasLabelAttrs(attrs) ? weighted : plain)(ctx, inputs, outputs, attrs);
}

const mse: CpuKernel = elementwise((d) => [d * d, 2 * d]);
const mae: CpuKernel = elementwise((d) => [Math.abs(d), Math.sign(d)]);
const huber: CpuKernel = (ctx, inputs, outputs, attrs) => {
  const delta = attrs.delta as number;
  elementwise((d) => (Math.abs(d) <= delta ? [0.5 * d * d, d] : [delta * (Math.abs(d) - 0.5 * delta), delta * Math.sign(d)]))(ctx, inputs, outputs, attrs);
};
const binaryCE: CpuKernel = withLabelAttrs(
  elementwise((_d, t, raw) => {
    const p = clip(raw);
    const inside = raw > EPS && raw < 1 - EPS;
    return [-(t * Math.log(p) + (1 - t) * Math.log(1 - p)), inside ? (p - t) / (p * (1 - p)) : 0];
  }),
  weightedBCE(false),
);
const sigmoidBinaryCE: CpuKernel = withLabelAttrs(
  elementwise((_d, t, z) => {
    const s = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    return [Math.max(z, 0) - z * t + Math.log1p(Math.exp(-Math.abs(z))), s - t];
  }),
  weightedBCE(true),
);
const klDivergence: CpuKernel = classwise((rawT, raw) => {
  const t = clip(rawT, EPS, 1);
  const p = clip(raw, EPS, 1);
  return [t * Math.log(t / p), raw > EPS ? -t / p : 0];
});

// The per-element and KL kernels read a mask when a step gives one, so each masked_ form is the kernel itself.
export const lossKernels = {
  mse_loss: mse,
  mae_loss: mae,
  huber_loss: huber,
  masked_mse_loss: mse,
  masked_mae_loss: mae,
  masked_huber_loss: huber,
  binary_cross_entropy_loss: binaryCE,
  sigmoid_binary_cross_entropy_loss: sigmoidBinaryCE,
  masked_binary_cross_entropy_loss: binaryCE,
  masked_sigmoid_binary_cross_entropy_loss: sigmoidBinaryCE,
  kl_divergence_loss: klDivergence,
  masked_kl_divergence_loss: klDivergence,
  cross_entropy_loss: withLabelAttrs(
    classwise((t, raw) => {
      const p = clip(raw, EPS, 1);
      return [-t * Math.log(p), raw > EPS ? -t / p : 0];
    }),
    weightedCE(false, false),
  ),
  softmax_cross_entropy_loss: withLabelAttrs(softmaxCE, weightedCE(false, true)),
  sparse_cross_entropy_loss: withLabelAttrs(sparseCE, weightedCE(true, false)),
  sparse_softmax_cross_entropy_loss: withLabelAttrs(sparseSoftmaxCE, weightedCE(true, true)),
  // The masked forms: the weighted kernel over the rows whose mask is nonzero.
  masked_cross_entropy_loss: weightedCE(false, false, true),
  masked_softmax_cross_entropy_loss: weightedCE(false, true, true),
  masked_sparse_cross_entropy_loss: weightedCE(true, false, true),
  masked_sparse_softmax_cross_entropy_loss: weightedCE(true, true, true),
} satisfies CpuKernelMap;
