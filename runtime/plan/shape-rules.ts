import { perActivation, perActivationGrad } from './activations.js';
import type { PlanAttr } from './format.js';
import { reduceOpOf, unaryOpOf } from './math-ops.js';
import { perMaskedScan, perMaskedScanGrad, perScan, perScanGrad, type KernelName, type RecurrentCellName } from './kernels.js';
import {
  broadcastOf, concatOutputOf, convOutputOf, convTransposeOutputOf, embeddingOutputOf, globalPoolOutputOf, matmulOutputOf, NUMBER_DIMS, padOutputOf, poolOutputOf, reduceOutputOf, scanOutputsOf, sliceOutputOf, stridedMapProblem, upsampleOutputOf,
} from './shape-families.js';

/**
 * What each kernel's outputs must look like, given its inputs' (concrete) shapes and its attributes:
 * the plan validator (runtime/plan/validate-shapes.ts) re-derives every step's outputs with these
 * rules and compares them with the shapes the plan declares, so an edited shape is refused instead
 * of running into NaN, other numbers or a crash. One rule per kernel, keyed by KernelName, so a new
 * kernel without a rule does not compile.
 *
 * A rule returns one expectation per output (in step order), or a string saying which input is
 * inconsistent. An expectation is an exact shape, or, where the kernel reads its operands as flat
 * rows (matmul, reshape), the element count and the last axis.
 */
export type Shape = readonly number[];
export type Expectation = { shape: Shape } | { size: number; last?: number } | null;
export type ShapeRule = (inputs: readonly Shape[], attrs: Readonly<Record<string, PlanAttr>>, evalDims: (dims: readonly (number | string)[]) => Shape) => Expectation[] | string;

const same = (shape: Shape | undefined): Expectation => (shape ? { shape } : null);
const size = (shape: Shape): number => shape.reduce((a, b) => a * b, 1);
const last = (shape: Shape): number => shape[shape.length - 1] ?? 1;
const SCALAR: Expectation = { size: 1 };

/** y has x's shape (activations, softmax, scale, copy ...). */
const unary: ShapeRule = ([x]) => [same(x)];
/** dx has dy's shape, and the saved operand (y or x) agrees. */
const unaryGrad: ShapeRule = ([dy, saved]) => (dy && saved && !equal(dy, saved) ? `dy [${dy.join(', ')}] and the saved operand [${saved.join(', ')}] differ` : [same(dy)]);

function broadcast([a, b]: readonly Shape[]): Expectation[] | string {
  if (!a || !b) return [null];
  const out = broadcastOf(a, b, NUMBER_DIMS);
  return out ? [{ shape: out }] : `[${a.join(', ')}] and [${b.join(', ')}] do not broadcast`;
}

function matmul([a, b]: readonly Shape[], attrs: Readonly<Record<string, PlanAttr>>): Expectation[] | string {
  if (!a || !b) return [null, null];
  const { m, n, k, kB: kb } = matmulOutputOf(a, b, attrs, NUMBER_DIMS);
  if (k !== kb) return `a [${a.join(', ')}] and b [${b.join(', ')}] disagree on the inner size (${k} and ${kb})`;
  const y: Expectation = { size: m * n, last: n };
  return [y, y];
}

function conv(oneD: boolean): ShapeRule {
  return ([x, w], attrs) => {
    if (!x || !w) return [null, null];
    if (x.length !== (oneD ? 3 : 4) || w.length !== x.length) return `x [${x.join(', ')}] and w [${w.join(', ')}] are not a ${oneD ? '1' : '2'}-D convolution's`;
    if (last(x) !== last(w)) return `x has ${last(x)} channels, w expects ${last(w)}`;
    const y = convOutputOf(x, w, attrs, NUMBER_DIMS);
    return [{ shape: y }, { shape: y }];
  };
}

/** x [N, H, W, C] with w [F, kh, kw, C/groups], F a multiple of groups. */
const groupedConv: ShapeRule = ([x, w], attrs) => {
  if (!x || !w) return [null, null];
  const groups = typeof attrs.groups === 'number' ? attrs.groups : 1;
  if (x.length !== 4 || w.length !== 4) return `x [${x.join(', ')}] and w [${w.join(', ')}] are not a 2-D convolution's`;
  if (last(x) !== last(w) * groups || w[0]! % groups !== 0) return `x has ${last(x)} channels and w [${w.join(', ')}] is not their ${groups} groups'`;
  const y = convOutputOf(x, w, attrs, NUMBER_DIMS);
  return [{ shape: y }, { shape: y }];
};

/** x [N, ...spatial, C] with w [C, ...kernel, F]: the transposed convolution's output lengths. */
function convTranspose(oneD: boolean): ShapeRule {
  return ([x, w], attrs) => {
    if (!x || !w) return [null];
    if (x.length !== (oneD ? 3 : 4) || w.length !== x.length) return `x [${x.join(', ')}] and w [${w.join(', ')}] are not a ${oneD ? '1' : '2'}-D transposed convolution's`;
    if (last(x) !== w[0]) return `x has ${last(x)} channels, w expects ${w[0]}`;
    return [{ shape: convTransposeOutputOf(x, w, attrs, NUMBER_DIMS) }];
  };
}

function pool([x]: readonly Shape[], attrs: Readonly<Record<string, PlanAttr>>): Expectation[] | string {
  if (!x) return [null];
  if (x.length !== 4) return `x [${x.join(', ')}] is not [N, H, W, C]`;
  return [{ shape: poolOutputOf(x, attrs, NUMBER_DIMS) }];
}

/** Outputs given by a `shape` attribute (gradients whose shape the forward pass fixed). */
const fromShapeAttr: ShapeRule = (_inputs, attrs, evalDims) => [Array.isArray(attrs.shape) ? { shape: evalDims(attrs.shape as Array<number | string>) } : null];

/** y, and `saved` with the cell's values per unit and step (RECURRENT_CELLS). */
function scan(cell: RecurrentCellName): ShapeRule {
  return ([xw], attrs) => {
    if (!xw || xw.length !== 3) return [null, null];
    const [y, saved] = scanOutputsOf(cell, xw, attrs, NUMBER_DIMS);
    return [{ shape: y }, { shape: saved }];
  };
}

/** A masked scan: the scan's rule, with the mask (the last input) [N, T] of xw. */
function maskedScan(cell: RecurrentCellName): ShapeRule {
  return (inputs, attrs, evalDims) => {
    const [xw, mask] = [inputs[0], inputs[inputs.length - 1]];
    if (xw && mask && !equal(mask, xw.slice(0, 2))) return `the mask [${mask.join(', ')}] is not [N, T] of xw [${xw.join(', ')}]`;
    return scan(cell)(inputs, attrs, evalDims);
  };
}

const globalPool: ShapeRule = ([x]) => [x && x.length >= 2 ? { shape: globalPoolOutputOf(x) } : null];

/**
 * strided_read reads the input through the map; strided_write writes it into the (larger) output.
 * With `bounds: false` (STRIDED_STRUCTURE_RULES) only the map's structure is checked: the plan
 * validator's rule for a map of symbolic size, whose bounds are checked once the dims are bound
 * (bound-shape.ts, checkBoundMaps).
 */
function strided(direction: 'read' | 'write', bounds = true): ShapeRule {
  return ([x], attrs, evalDims) => {
    if (!x || !Array.isArray(attrs.shape) || !Array.isArray(attrs.starts)) return [null];
    const shape = evalDims(attrs.shape as Array<number | string>);
    const [big, small] = direction === 'read' ? [x, shape] : [shape, x];
    const problem = stridedMapProblem(big, small, attrs.axes as number[], evalDims(attrs.starts as Array<number | string>), attrs.steps as number[], bounds);
    return problem ?? [{ shape }];
  };
}

export const STRIDED_STRUCTURE_RULES: Readonly<Record<'strided_read' | 'strided_write', ShapeRule>> = { strided_read: strided('read', false), strided_write: strided('write', false) };

/** The op a unary or reduce step names, checked: the message when it names none. */
function mathOpProblem(read: () => unknown): string | null {
  try {
    read();
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** A reflection needs widths below the axis size (it mirrors the values next to the edge). */
function reflectProblem(x: Shape, attrs: Readonly<Record<string, PlanAttr>>): string | null {
  const before = (attrs.before ?? []) as number[];
  const after = (attrs.after ?? []) as number[];
  if (before.length !== x.length || after.length !== x.length) return `the widths are not one per axis of [${x.join(', ')}]`;
  const bad = x.findIndex((d, i) => before[i]! < 0 || after[i]! < 0 || before[i]! >= d || after[i]! >= d);
  return bad === -1 ? null : `reflect widths ${before[bad]} and ${after[bad]} do not fit axis ${bad} of [${x.join(', ')}]`;
}

const loss: ShapeRule = ([pred]) => [SCALAR, same(pred)];
/** A masked loss: its mask covers pred's leading axes (the rows, or every element). */
const maskedLoss: ShapeRule = ([pred, , mask]) =>
  pred && mask && !(equal(mask, pred) || equal(mask, pred.slice(0, -1))) ? `the mask [${mask.join(', ')}] covers neither the rows nor the elements of pred [${pred.join(', ')}]` : [SCALAR, same(pred)];
const update: ShapeRule = ([param, grad]) => (param && grad && !equal(param, grad) ? `the gradient [${grad.join(', ')}] is not the parameter's shape [${param.join(', ')}]` : []);

export const SHAPE_RULES: Readonly<Record<KernelName, ShapeRule>> = {
  matmul,
  conv2d: conv(false),
  conv1d: conv(true),
  grouped_conv2d: groupedConv,
  conv2d_transpose: convTranspose(false),
  conv1d_transpose: convTranspose(true),
  bias_add: ([x, bias]) => (x && bias && size(bias) !== last(x) ? `the bias has ${size(bias)} values, x's last axis ${last(x)}` : [same(x)]),
  add: broadcast,
  sub: broadcast,
  mul: broadcast,
  div: broadcast,
  unary: (inputs, attrs, evalDims) => mathOpProblem(() => unaryOpOf(attrs)) ?? unary(inputs, attrs, evalDims),
  unary_grad: (inputs, attrs, evalDims) => mathOpProblem(() => unaryOpOf(attrs)) ?? unaryGrad(inputs, attrs, evalDims),
  reduce: ([x], attrs) => {
    const problem = mathOpProblem(() => reduceOpOf(attrs));
    if (problem) return problem;
    if (!x) return [null];
    const y = reduceOutputOf(x, attrs, NUMBER_DIMS);
    return y ? [{ shape: y }] : `reduce axes ${JSON.stringify(attrs.axes)} are outside [${x.join(', ')}]`;
  },
  reduce_grad: ([dy, x, y], attrs) => mathOpProblem(() => reduceOpOf(attrs)) ?? (dy && y && size(dy) !== size(y) ? `dy [${dy.join(', ')}] is not the reduced shape [${y.join(', ')}]` : [same(x)]),
  scale: unary,
  sum_to: fromShapeAttr,
  concat: (inputs, attrs) => {
    const out = concatOutputOf(inputs, attrs, NUMBER_DIMS);
    if (!out) return [null];
    const axis = attrs.axis as number;
    if (inputs.some((s) => s.length !== out.length || s.some((d, i) => i !== axis && d !== out[i]))) return 'the inputs differ outside the concatenation axis';
    return [{ shape: out }];
  },
  slice: ([x], attrs, evalDims) => {
    const { axis } = attrs;
    if (!x || typeof axis !== 'number' || !isDim(attrs.start) || !isDim(attrs.size)) return [null];
    // start and size may be dim expressions (the gradient of a concat along a symbolic axis).
    const [start, n] = evalDims([attrs.start, attrs.size]);
    if (typeof start !== 'number' || typeof n !== 'number') return [null];
    if (axis < 0 || axis >= x.length || start < 0 || start + n > x[axis]!) return `slice ${start}:${start + n} of axis ${axis} is outside [${x.join(', ')}]`;
    return [{ shape: sliceOutputOf(x, axis, n) }];
  },
  reshape: ([x], attrs, evalDims) => {
    if (!x || !Array.isArray(attrs.shape)) return [null];
    const target = evalDims(attrs.shape as Array<number | string>);
    return size(target) !== size(x) ? `reshape to [${target.join(', ')}] from [${x.join(', ')}] changes the number of elements` : [{ size: size(x) }];
  },
  copy: unary,
  strided_read: strided('read'),
  strided_write: strided('write'),
  pad_reflect: ([x], attrs) => (x ? reflectProblem(x, attrs) ?? [{ shape: padOutputOf(x, attrs, NUMBER_DIMS) }] : [null]),
  pad_reflect_grad: (inputs, attrs, evalDims) => {
    const x = Array.isArray(attrs.shape) ? evalDims(attrs.shape as Array<number | string>) : undefined;
    if (!x || !inputs[0]) return [null];
    const y = padOutputOf(x, attrs, NUMBER_DIMS);
    return reflectProblem(x, attrs) ?? (equal(inputs[0], y) ? [{ shape: x }] : `dy [${inputs[0].join(', ')}] is not the padded shape [${y.join(', ')}]`);
  },
  ...perActivation(() => unary),
  softmax: unary,
  log_softmax: unary,
  dropout: ([x]) => [same(x), same(x)],
  random: ([x]) => [same(x)],
  batchnorm: ([x]) => [same(x), null, null],
  layernorm: ([x]) => [same(x), null, null],
  groupnorm: ([x], attrs) => (x && typeof attrs.groups === 'number' && last(x) % attrs.groups !== 0 ? `x's ${last(x)} channels do not split into ${attrs.groups} groups` : [same(x), x ? { shape: [x[0]!, attrs.groups as number] } : null, x ? { shape: [x[0]!, attrs.groups as number] } : null]),
  embedding: ([ids, table]) => (ids && table ? (table.length === 2 ? [{ shape: embeddingOutputOf(ids, table) }] : `the table [${table.join(', ')}] is not [rows, features]`) : [null]),
  maxpool2d: pool,
  avgpool2d: pool,
  upsample2d: ([x], attrs) => (x ? (x.length === 4 ? [{ shape: upsampleOutputOf(x, attrs, NUMBER_DIMS) }] : `x [${x.join(', ')}] is not [N, H, W, C]`) : [null]),
  global_avg_pool: globalPool,
  global_max_pool: globalPool,
  ...perScan(scan),
  ...perMaskedScan(maskedScan),
  nonzero: unary,
  reverse_sequence: ([x, mask]) => (x && mask && !equal(mask, x.slice(0, 2)) ? `the mask [${mask.join(', ')}] is not [N, T] of x [${x.join(', ')}]` : [same(x)]),
  attention: ([q, k, v]) => (q && k && v && (!equal(k, v) || last(q) !== last(k)) ? 'q, k and v disagree' : [same(q), null]),
  masked_attention: ([q, k, v, mask]) => (q && k && v && mask && (!equal(k, v) || last(q) !== last(k) || !(equal(mask, k.slice(0, 2)) || equal(mask, [...q.slice(0, 2), k[1]!]))) ? 'q, k, v and mask disagree' : [same(q), null]),
  positional_encoding: unary,
  mse_loss: loss,
  mae_loss: loss,
  huber_loss: loss,
  binary_cross_entropy_loss: loss,
  sigmoid_binary_cross_entropy_loss: loss,
  cross_entropy_loss: loss,
  softmax_cross_entropy_loss: loss,
  sparse_cross_entropy_loss: loss,
  sparse_softmax_cross_entropy_loss: loss,
  kl_divergence_loss: loss,
  masked_mse_loss: maskedLoss,
  masked_mae_loss: maskedLoss,
  masked_huber_loss: maskedLoss,
  masked_binary_cross_entropy_loss: maskedLoss,
  masked_sigmoid_binary_cross_entropy_loss: maskedLoss,
  masked_cross_entropy_loss: maskedLoss,
  masked_softmax_cross_entropy_loss: maskedLoss,
  masked_sparse_cross_entropy_loss: maskedLoss,
  masked_sparse_softmax_cross_entropy_loss: maskedLoss,
  masked_kl_divergence_loss: maskedLoss,
  ...perActivationGrad(() => unaryGrad),
  softmax_grad: unaryGrad,
  log_softmax_grad: unaryGrad,
  dropout_grad: unaryGrad,
  batchnorm_grad: ([dy, x, gamma]) => [same(dy ?? x), same(gamma), same(gamma)],
  layernorm_grad: ([dy, x, gamma]) => [same(dy ?? x), same(gamma), same(gamma)],
  groupnorm_grad: ([dy, x, gamma]) => [same(dy ?? x), same(gamma), same(gamma)],
  embedding_grad: fromShapeAttr,
  conv2d_grad_input: fromShapeAttr,
  conv2d_grad_weight: fromShapeAttr,
  grouped_conv2d_grad_input: fromShapeAttr,
  grouped_conv2d_grad_weight: fromShapeAttr,
  conv1d_grad_input: fromShapeAttr,
  conv1d_grad_weight: fromShapeAttr,
  maxpool2d_grad: ([, x]) => [same(x)],
  avgpool2d_grad: fromShapeAttr,
  upsample2d_grad: fromShapeAttr,
  global_avg_pool_grad: fromShapeAttr,
  global_max_pool_grad: ([, x]) => [same(x)],
  ...perScanGrad(() => ([, wHh]) => [null, same(wHh), wHh ? { shape: [wHh[0]!] } : null]),
  ...perMaskedScanGrad(() => ([, wHh]) => [null, same(wHh), wHh ? { shape: [wHh[0]!] } : null]),
  attention_grad: ([, q, k, v]) => [same(q), same(k), same(v)],
  l1_l2_penalty: () => [SCALAR],
  l1_l2_grad: ([grad, w]) => (grad && w && !equal(grad, w) ? `the gradient [${grad.join(', ')}] is not w's shape [${w.join(', ')}]` : [same(grad)]),
  gd_update: update,
  sgd_update: update,
  adam_update: update,
  adamw_update: update,
  adagrad_update: update,
  rmsprop_update: update,
};

/** Whether `actual` meets the expectation. */
export function meets(actual: Shape, expected: Expectation): boolean {
  if (expected === null) return true;
  if ('shape' in expected) return equal(actual, expected.shape);
  return size(actual) === expected.size && (expected.last === undefined || last(actual) === expected.last);
}

export function expectationText(expected: Exclude<Expectation, null>): string {
  return 'shape' in expected ? `[${expected.shape.join(', ')}]` : `${expected.size} elements${expected.last !== undefined ? ` with a last axis of ${expected.last}` : ''}`;
}

function equal(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function isDim(value: PlanAttr | undefined): value is number | string {
  return typeof value === 'number' || typeof value === 'string';
}
