import type { PlanDim } from '../../../../runtime/plan/format.js';
import { f32Literal, product } from '../dims.js';
import type { KernelSource, StepShapes } from '../program.js';
import { input, output } from './grid.js';
import { scalarReduceKernel } from './reduce-scalar.js';

/**
 * Loss kernels: the mean loss (a scalar) and its gradient w.r.t. the prediction, in one pass. Formulas
 * as runtime/plan/kernels.ts states them. Elementwise losses average over every element; the
 * cross-entropies average over rows (all axes but the last), one thread per row.
 */

const EPS = '1e-7';

const SIGMOID = `
fn nn_sigmoid(x: f32) -> f32 {
  if (x >= 0.0) { return 1.0 / (1.0 + exp(-x)); }
  let e = exp(x);
  return e / (1.0 + e);
}`;

/** Per-element losses: `d` = pred − target, `p` = pred, `t` = target; `loss` and `grad` per element. */
const ELEMENTWISE: Record<string, (attrs: Record<string, unknown>) => string> = {
  mse_loss: () => 'let loss = d * d;\nlet grad = 2.0 * d;',
  mae_loss: () => 'let loss = abs(d);\nlet grad = sign(d);',
  huber_loss: (attrs) => {
    const delta = f32Literal(Number(attrs.delta));
    return `let ad = abs(d);\nlet loss = select(${delta} * (ad - 0.5 * ${delta}), 0.5 * d * d, ad <= ${delta});\nlet grad = select(${delta} * sign(d), d, ad <= ${delta});`;
  },
  binary_cross_entropy_loss: () =>
    `let pc = clamp(p, ${EPS}, 1.0 - ${EPS});\nlet loss = -(t * log(pc) + (1.0 - t) * log(1.0 - pc));\nlet grad = (pc - t) / (pc * (1.0 - pc));`,
  sigmoid_binary_cross_entropy_loss: () =>
    'let loss = max(p, 0.0) - p * t + log(1.0 + exp(-abs(p)));\nlet grad = nn_sigmoid(p) - t;',
};

/** The base kernel of a loss step, without its `masked_` prefix. */
const baseOf = (step: StepShapes): string => step.base.replace(/^masked_/, '');

/**
 * A masked_ step's mask (the third input, i32 or f32) over the items the kernel loops over (the
 * elements, each mask entry covering P.inner consecutive ones, or the rows): its buffer and params, the
 * prologue counting the kept items into `counted` (≥ 1: every entry masked gives loss 0 and no
 * gradient, not 0/0), the test skipping item i, and the divisor. Unmasked: every item counts.
 */
interface MaskParts {
  buffers: KernelSource['buffers'];
  params: NonNullable<KernelSource['params']>;
  prologue?: string;
  skip: (zeroGrad: string) => string;
  divisor: string;
}

/** The losses over the last axis, one thread per row: the multi-class cross-entropies and KL. */
const isRowLoss = (base: string): boolean => (base.endsWith('cross_entropy_loss') && !base.includes('binary')) || base === 'kl_divergence_loss';

function maskParts(step: StepShapes): MaskParts {
  if (!step.base.startsWith('masked_')) return { buffers: [], params: [], skip: () => '', divisor: 'f32(P.count)' };
  const mask = step.inputs[2]!;
  const zero = mask.dtype === 'i32' ? '0' : '0.0';
  const entries = product(mask.shape);
  const inner = product(step.inputs[0]!.shape.slice(mask.shape.length));
  const perEntry = isRowLoss(baseOf(step)) ? 1 : inner;
  return {
    buffers: [input(2, 'mask', mask.dtype === 'i32' ? 'i32' : 'f32')],
    params: [
      { name: 'mask_count', type: 'u32', value: entries },
      { name: 'inner', type: 'u32', value: perEntry },
    ],
    prologue: `var counted = 0.0;\nfor (var r = 0u; r < P.mask_count; r++) { if (mask[r] != ${zero}) { counted += 1.0; } }\ncounted = max(counted, 1.0) * f32(P.inner);`,
    skip: (zeroGrad) => `if (mask[i / P.inner] == ${zero}) {\n  ${zeroGrad}\n  continue;\n}\n`,
    divisor: 'counted',
  };
}

function elementwiseLoss(step: StepShapes): KernelSource {
  const count = product(step.inputs[0]!.shape);
  const mask = maskParts(step);
  return scalarReduceKernel(
    count,
    [input(0, 'pred'), input(1, 'tgt'), ...mask.buffers, output(0, 'loss_out'), output(1, 'dpred')],
    `${mask.skip('dpred[i] = 0.0;')}let p = pred[i];\nlet t = tgt[i];\nlet d = p - t;\n${ELEMENTWISE[baseOf(step)]!(step.attrs)}\ndpred[i] = grad / ${mask.divisor};\nacc += loss;`,
    `loss_out[0] = total / ${mask.divisor};`,
    { helpers: baseOf(step).startsWith('sigmoid') ? SIGMOID : '', params: mask.params, ...(mask.prologue ? { prologue: mask.prologue } : {}) },
  );
}

/** Row losses: `base` is the row's offset; each body adds the row's loss to `acc` and writes dpred. */
function rowLoss(step: StepShapes): KernelSource {
  const shape = step.inputs[0]!.shape;
  const rows: PlanDim = product(shape.slice(0, -1));
  const width = shape[shape.length - 1]!;
  const base = baseOf(step);
  const sparse = base.startsWith('sparse');
  const logits = base.includes('softmax');
  const mask = maskParts(step);
  const scale = `(1.0 / ${mask.divisor})`;
  const logSoftmax = `
var mx = pred[base];
for (var j = 1u; j < P.width; j++) { mx = max(mx, pred[base + j]); }
var se = 0.0;
for (var j = 0u; j < P.width; j++) { se += exp(pred[base + j] - mx); }
let lse = mx + log(se);`;
  let row: string;
  if (sparse && logits) {
    row = `${logSoftmax}
let label = u32(tgt[i]);
acc += lse - pred[base + label];
for (var j = 0u; j < P.width; j++) {
  dpred[base + j] = (exp(pred[base + j] - lse) - select(0.0, 1.0, j == label)) * ${scale};
}`;
  } else if (sparse) {
    row = `
let label = u32(tgt[i]);
for (var j = 0u; j < P.width; j++) { dpred[base + j] = 0.0; }
let pl = clamp(pred[base + label], ${EPS}, 1.0);
acc += -log(pl);
dpred[base + label] = -1.0 / pl * ${scale};`;
  } else if (logits) {
    row = `${logSoftmax}
var tsum = 0.0;
for (var j = 0u; j < P.width; j++) {
  let t = tgt[base + j];
  tsum += t;
  acc += -t * (pred[base + j] - lse);
}
for (var j = 0u; j < P.width; j++) {
  dpred[base + j] = (exp(pred[base + j] - lse) * tsum - tgt[base + j]) * ${scale};
}`;
  } else if (base === 'kl_divergence_loss') {
    row = `
for (var j = 0u; j < P.width; j++) {
  let t = clamp(tgt[base + j], ${EPS}, 1.0);
  let p = clamp(pred[base + j], ${EPS}, 1.0);
  acc += t * log(t / p);
  dpred[base + j] = -t / p * ${scale};
}`;
  } else {
    row = `
for (var j = 0u; j < P.width; j++) {
  let t = tgt[base + j];
  let p = clamp(pred[base + j], ${EPS}, 1.0);
  acc += -t * log(p);
  dpred[base + j] = -t / p * ${scale};
}`;
  }
  return scalarReduceKernel(
    rows,
    [input(0, 'pred'), input(1, 'tgt', sparse ? 'i32' : 'f32'), ...mask.buffers, output(0, 'loss_out'), output(1, 'dpred')],
    `let base = i * P.width;\n${mask.skip('for (var j = 0u; j < P.width; j++) { dpred[base + j] = 0.0; }')}${row.trim()}`,
    `loss_out[0] = total / ${mask.divisor};`,
    { params: [{ name: 'width', type: 'u32', value: width }, ...mask.params], ...(mask.prologue ? { prologue: mask.prologue } : {}) },
  );
}

export function emitLoss(step: StepShapes): KernelSource {
  const base = baseOf(step);
  if (isRowLoss(base) && base !== 'kl_divergence_loss' && step.base.startsWith('masked_')) return weightedRowLoss(step, labelAttrs(step.attrs) ?? { smoothing: 0, classWeights: null }, true);
  const label = labelAttrs(step.attrs);
  if (label) return base.includes('binary') ? weightedBinaryLoss(step, label) : weightedRowLoss(step, label);
  return ELEMENTWISE[base] ? elementwiseLoss(step) : rowLoss(step);
}

interface LabelAttrs {
  smoothing: number;
  classWeights: readonly number[] | null;
}

/** Label smoothing and class weights of a cross-entropy step (runtime/plan/kernels.ts), null when it has neither. */
function labelAttrs(attrs: Record<string, unknown>): LabelAttrs | null {
  const smoothing = typeof attrs.smoothing === 'number' ? attrs.smoothing : 0;
  const classWeights = Array.isArray(attrs.classWeights) ? (attrs.classWeights as number[]) : null;
  return smoothing === 0 && classWeights === null ? null : { smoothing, classWeights };
}

/** The class weights as a private array (indexable by the row's label at run time). */
function classWeightConst(weights: readonly number[]): string {
  const type = `array<f32, ${weights.length}>`;
  return `var<private> CW: ${type} = ${type}(${weights.map(f32Literal).join(', ')});`;
}

/** Binary cross-entropies with smoothing (t ← t(1 − ε) + ε/2) and class weights [w0, w1]. */
function weightedBinaryLoss(step: StepShapes, label: LabelAttrs): KernelSource {
  const count = product(step.inputs[0]!.shape);
  const mask = maskParts(step);
  const keep = f32Literal(1 - label.smoothing);
  const half = f32Literal(label.smoothing / 2);
  const cw = label.classWeights;
  const weight = cw ? `let w = ${f32Literal(cw[1] ?? 1)} * raw_t + ${f32Literal(cw[0] ?? 1)} * (1.0 - raw_t);` : 'let w = 1.0;';
  const logits = baseOf(step).startsWith('sigmoid');
  const body = logits
    ? 'let loss = max(p, 0.0) - p * t + log(1.0 + exp(-abs(p)));\nlet grad = nn_sigmoid(p) - t;'
    : `let pc = clamp(p, ${EPS}, 1.0 - ${EPS});\nlet loss = -(t * log(pc) + (1.0 - t) * log(1.0 - pc));\nlet grad = (pc - t) / (pc * (1.0 - pc));`;
  return scalarReduceKernel(
    count,
    [input(0, 'pred'), input(1, 'tgt'), ...mask.buffers, output(0, 'loss_out'), output(1, 'dpred')],
    `${mask.skip('dpred[i] = 0.0;')}let p = pred[i];\nlet raw_t = tgt[i];\nlet t = raw_t * ${keep} + ${half};\n${weight}\n${body}\ndpred[i] = w * grad / ${mask.divisor};\nacc += w * loss;`,
    `loss_out[0] = total / ${mask.divisor};`,
    { helpers: logits ? SIGMOID : '', params: mask.params, ...(mask.prologue ? { prologue: mask.prologue } : {}) },
  );
}

/**
 * Multi-class cross-entropies with smoothing and class weights, one thread per row: the smoothed
 * target T(j) (one-hot of the label or the given row, times 1 − ε, plus ε/K), the row weight w,
 * loss w·(−Σ T(j)·ln p_j) and its gradient, as the CPU kernel computes them. `masked` (the
 * masked_ kernels): a row whose mask (third input) is 0 gets dpred 0 and adds nothing, and the mean
 * is over the counted rows, which every thread counts first (rows are batch-sized).
 */
function weightedRowLoss(step: StepShapes, label: LabelAttrs, masked = false): KernelSource {
  const shape = step.inputs[0]!.shape;
  const rows: PlanDim = product(shape.slice(0, -1));
  const width = shape[shape.length - 1]!;
  const classes = typeof width === 'number' ? width : 1;
  const base = step.base.replace(/^masked_/, '');
  const sparse = base.startsWith('sparse');
  const logits = base.includes('softmax');
  const maskType = masked && step.inputs[2]!.dtype === 'i32' ? 'i32' : 'f32';
  const maskZero = maskType === 'i32' ? '0' : '0.0';
  const scale = masked ? '(1.0 / counted)' : '(1.0 / f32(P.count))';
  const skip = masked ? `if (mask[i] == ${maskZero}) {
  for (var j = 0u; j < P.width; j++) { dpred[base + j] = 0.0; }
  continue;
}
` : '';
  const keep = f32Literal(1 - label.smoothing);
  const spread = f32Literal(label.smoothing / classes);
  const cw = label.classWeights;
  const T = sparse ? `(select(0.0, 1.0, j == label) * ${keep} + ${spread})` : `(tgt[base + j] * ${keep} + ${spread})`;
  let weight = 'let w = 1.0;';
  if (cw && sparse) weight = 'let w = CW[label];';
  else if (cw) weight = 'var w = 0.0;\nfor (var j = 0u; j < P.width; j++) { w += tgt[base + j] * CW[j]; }';
  const head = sparse ? 'let label = u32(tgt[i]);\n' : '';
  const row = logits
    ? `${head}${weight}
var mx = pred[base];
for (var j = 1u; j < P.width; j++) { mx = max(mx, pred[base + j]); }
var se = 0.0;
for (var j = 0u; j < P.width; j++) { se += exp(pred[base + j] - mx); }
let lse = mx + log(se);
var tsum = 0.0;
var row_loss = 0.0;
for (var j = 0u; j < P.width; j++) {
  let t = ${T};
  tsum += t;
  row_loss += -t * (pred[base + j] - lse);
}
for (var j = 0u; j < P.width; j++) {
  dpred[base + j] = w * (exp(pred[base + j] - lse) * tsum - ${T}) * ${scale};
}
acc += w * row_loss;`
    : `${head}${weight}
var row_loss = 0.0;
for (var j = 0u; j < P.width; j++) {
  let t = ${T};
  let raw = pred[base + j];
  let p = clamp(raw, ${EPS}, 1.0);
  row_loss += -t * log(p);
  dpred[base + j] = select(0.0, w * (-t / p) * ${scale}, raw > ${EPS});
}
acc += w * row_loss;`;
  return scalarReduceKernel(
    rows,
    [input(0, 'pred'), input(1, 'tgt', sparse ? 'i32' : 'f32'), ...(masked ? [input(2, 'mask', maskType)] : []), output(0, 'loss_out'), output(1, 'dpred')],
    `let base = i * P.width;\n${skip}${row.trim()}`,
    masked ? 'loss_out[0] = total / counted;' : 'loss_out[0] = total / f32(P.count);',
    {
      params: [{ name: 'width', type: 'u32', value: width }],
      helpers: cw ? classWeightConst(cw) : '',
      // Every row masked: loss 0 and no gradient (not 0/0).
      ...(masked ? { prologue: `var counted = 0.0;\nfor (var r = 0u; r < P.count; r++) { if (mask[r] != ${maskZero}) { counted += 1.0; } }\ncounted = max(counted, 1.0);` } : {}),
    },
  );
}

/** penalty = l1·Σ|w| + l2·Σw² (a scalar), and its gradient term added to an existing gradient. */
export function emitPenalty(step: StepShapes): KernelSource {
  const l1 = f32Literal(Number(step.attrs.l1));
  const l2 = f32Literal(Number(step.attrs.l2));
  return scalarReduceKernel(
    product(step.inputs[0]!.shape),
    [input(0, 'w'), output(0, 'penalty')],
    `let v = w[i];\nacc += ${l1} * abs(v) + ${l2} * v * v;`,
    'penalty[0] = total;',
  );
}
