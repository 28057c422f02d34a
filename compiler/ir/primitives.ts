import {
  KERNELS, kernelArity, kernelBase, parseKernelName, perKernel, perMaskedScan, perMaskedScanGrad, perScan, perScanGrad, POOL_EPILOGUE, type KernelName, type RecurrentCellName,
} from '../../runtime/plan/kernels.js';
import { perActivation, perActivationGrad } from '../../runtime/plan/activations.js';
import {
  broadcastOf, concatOutputOf, convOutputOf, convTransposeOutputOf, embeddingOutputOf, globalPoolOutputOf, matmulOutputOf, padOutputOf, pooledEpilogueOutputOf, poolOutputOf, reduceOutputOf, scanOutputsOf, sliceOutputOf, upsampleOutputOf,
} from '../../runtime/plan/shape-families.js';
import { sameDim, SYMBOLIC_DIMS } from '../shapes/dims.js';
import type { Attrs, Dim, Shape, TensorType } from './types.js';

/**
 * The primitive ops: the ops left after lowering, named exactly like the plan kernels of
 * runtime/plan/kernels.ts. Arity, epilogues, activations and in-place updates are the kernel table's;
 * this file adds only the shape rules (`Record<KernelName, ShapeRule>`, so a kernel without one is a
 * type error). Each rule returns the types of every output of the op (most ops have one). Rules throw
 * on misuse: the front end has already reported user errors, so a failure here is a compiler bug.
 *
 * Structural ops (`input`, `param`, `const`, `output_of`) are not primitives; see verify.ts.
 */

type ShapeRule = (inputs: TensorType[], attrs: Attrs) => TensorType[];

export interface PrimitiveRule {
  arity: number | 'variadic';
  outputs: ShapeRule;
  /** How many outputs the kernel has (the kernel table's), known without running the shape rule. */
  outputCount: number;
  /** Activations: usable as a fusion epilogue; the gradient reads the output y or the input x. */
  activation?: { gradFrom: 'output' | 'input' };
  /** Matmul and conv: accept a `bias` + activation epilogue. */
  epilogue?: boolean;
  /** conv2d: the epilogue may end with POOL_EPILOGUE. */
  poolEpilogue?: boolean;
  /** Optimizer updates and batchnorm write some inputs in place. */
  inPlace?: boolean;
}

class ShapeRuleError extends Error {}

function fail(message: string): never {
  throw new ShapeRuleError(message);
}

/** Numpy broadcasting of two shapes; a mismatch here is a compiler bug (the checker reported the user's). */
function broadcastShapes(a: Shape, b: Shape): Shape {
  return broadcastOf(a, b, SYMBOLIC_DIMS) ?? fail(`cannot broadcast [${a.join(', ')}] with [${b.join(', ')}]`);
}

const same: ShapeRule = ([x]) => [x!];
const f32 = (shape: Shape): TensorType => ({ shape, dtype: 'f32' });
const scalarAndGrad: ShapeRule = ([pred]) => [f32([]), pred!];
const binary: ShapeRule = ([a, b]) => [f32(broadcastShapes(a!.shape, b!.shape))];
const gradLike: ShapeRule = ([dy, ref]) => [{ shape: ref!.shape, dtype: dy!.dtype }];
const fromAttrShape: ShapeRule = ([x], attrs) => [{ shape: attrs.shape as Shape, dtype: x!.dtype }];
const withStats: ShapeRule = ([x]) => {
  const rows = x!.shape.slice(0, -1);
  return [x!, f32(rows), f32(rows)];
};
const channelStats: ShapeRule = ([x]) => {
  const c = x!.shape[x!.shape.length - 1]!;
  return [x!, f32([c]), f32([c])];
};
const normGrad: ShapeRule = ([, x, gamma]) => [x!, gamma!, gamma!];

function matmulShape([a, b]: TensorType[], attrs: Attrs): TensorType[] {
  const { k, kB, y } = matmulOutputOf(a!.shape, b!.shape, attrs, SYMBOLIC_DIMS);
  if (!sameDim(k, kB)) fail(`matmul inner dims differ: ${k} vs ${kB}`);
  const t = f32(y);
  return [t, t];
}

const convShape: ShapeRule = ([x, w], attrs) => {
  const y = f32(convOutputOf(x!.shape, w!.shape, attrs, SYMBOLIC_DIMS));
  return [y, y];
};

const convTransposeShape: ShapeRule = ([x, w], attrs) => [f32(convTransposeOutputOf(x!.shape, w!.shape, attrs, SYMBOLIC_DIMS))];

const poolShape: ShapeRule = ([x], attrs) => [f32(poolOutputOf(x!.shape, attrs, SYMBOLIC_DIMS))];

const globalPool: ShapeRule = ([x]) => [f32(globalPoolOutputOf(x!.shape))];

const concatShape: ShapeRule = (inputs, attrs) => [f32(concatOutputOf(inputs.map((t) => t.shape), attrs, SYMBOLIC_DIMS) ?? fail(`concat axis ${String(attrs.axis)} is out of range`))];

const sliceShape: ShapeRule = ([x], attrs) => [{ shape: sliceOutputOf(x!.shape, attrs.axis as number, attrs.size as Dim), dtype: x!.dtype }];

function scanShape(cell: RecurrentCellName): ShapeRule {
  return ([xw], attrs) => scanOutputsOf(cell, xw!.shape, attrs, SYMBOLIC_DIMS).map(f32);
}

/** dxw and dw_hh, and db_hh [G·u] for a cell with a recurrent bias (the kernel table says which). */
function scanGradShape(cell: RecurrentCellName): ShapeRule {
  return ([, wHh, saved]) => {
    const [batch, steps] = saved!.shape;
    const gatesTimesUnits = wHh!.shape[0]!;
    const bias = KERNELS[`${cell}_scan_grad`].outputs.length > 2 ? [f32([gatesTimesUnits])] : [];
    return [f32([batch!, steps!, gatesTimesUnits]), wHh!, ...bias];
  };
}

/** Update kernels return the parameter and their slots, updated in place: (param, grad, ...slots). */
const update: ShapeRule = (inputs) => [inputs[0]!, ...inputs.slice(2)];

const SHAPE_RULES: Record<KernelName, ShapeRule> = {
  // linear algebra
  matmul: matmulShape,
  conv2d: convShape,
  conv1d: convShape,
  grouped_conv2d: convShape,
  conv2d_transpose: convTransposeShape,
  conv1d_transpose: convTransposeShape,
  // elementwise and broadcasting
  bias_add: same,
  add: binary,
  sub: binary,
  mul: binary,
  div: binary,
  unary: same,
  unary_grad: gradLike,
  reduce: ([x], attrs) => [{ shape: reduceOutputOf(x!.shape, attrs, SYMBOLIC_DIMS) ?? fail(`reduce axes ${JSON.stringify(attrs.axes)} are out of range`), dtype: 'f32' }],
  reduce_grad: ([, x]) => [x!],
  scale: same,
  sum_to: fromAttrShape,
  concat: concatShape,
  slice: sliceShape,
  reshape: fromAttrShape,
  copy: same,
  strided_read: fromAttrShape,
  strided_write: fromAttrShape,
  pad_reflect: ([x], attrs) => [f32(padOutputOf(x!.shape, attrs, SYMBOLIC_DIMS))],
  pad_reflect_grad: fromAttrShape,
  ...perActivation(() => same),
  // normalisation, softmax, dropout, lookup, pooling
  softmax: same,
  log_softmax: same,
  dropout: ([x]) => [x!, x!],
  random: ([x]) => [f32(x!.shape)],
  batchnorm: channelStats,
  layernorm: withStats,
  groupnorm: ([x], attrs) => [x!, f32([x!.shape[0]!, attrs.groups as number]), f32([x!.shape[0]!, attrs.groups as number])],
  embedding: ([ids, table]) => [f32(embeddingOutputOf(ids!.shape, table!.shape))],
  maxpool2d: poolShape,
  avgpool2d: poolShape,
  upsample2d: ([x], attrs) => [f32(upsampleOutputOf(x!.shape, attrs, SYMBOLIC_DIMS))],
  global_avg_pool: globalPool,
  global_max_pool: globalPool,
  // recurrences
  ...perScan(scanShape),
  ...perScanGrad(scanGradShape),
  ...perMaskedScan(scanShape),
  ...perMaskedScanGrad(scanGradShape),
  reverse_sequence: ([x]) => [x!],
  nonzero: ([x]) => [f32(x!.shape)],
  // attention
  attention: ([q, k], attrs) => [q!, f32([q!.shape[0]!, attrs.heads as number, q!.shape[1]!, k!.shape[1]!])],
  masked_attention: ([q, k], attrs) => [q!, f32([q!.shape[0]!, attrs.heads as number, q!.shape[1]!, k!.shape[1]!])],
  attention_grad: ([, q, k, v]) => [q!, k!, v!],
  positional_encoding: same,
  // losses
  mse_loss: scalarAndGrad,
  mae_loss: scalarAndGrad,
  huber_loss: scalarAndGrad,
  binary_cross_entropy_loss: scalarAndGrad,
  sigmoid_binary_cross_entropy_loss: scalarAndGrad,
  cross_entropy_loss: scalarAndGrad,
  softmax_cross_entropy_loss: scalarAndGrad,
  sparse_cross_entropy_loss: scalarAndGrad,
  sparse_softmax_cross_entropy_loss: scalarAndGrad,
  kl_divergence_loss: scalarAndGrad,
  masked_cross_entropy_loss: scalarAndGrad,
  masked_softmax_cross_entropy_loss: scalarAndGrad,
  masked_sparse_cross_entropy_loss: scalarAndGrad,
  masked_sparse_softmax_cross_entropy_loss: scalarAndGrad,
  masked_mse_loss: scalarAndGrad,
  masked_mae_loss: scalarAndGrad,
  masked_huber_loss: scalarAndGrad,
  masked_binary_cross_entropy_loss: scalarAndGrad,
  masked_sigmoid_binary_cross_entropy_loss: scalarAndGrad,
  masked_kl_divergence_loss: scalarAndGrad,
  // backward
  ...perActivationGrad(() => gradLike),
  softmax_grad: gradLike,
  log_softmax_grad: gradLike,
  dropout_grad: gradLike,
  batchnorm_grad: normGrad,
  layernorm_grad: normGrad,
  groupnorm_grad: normGrad,
  embedding_grad: fromAttrShape,
  conv2d_grad_input: fromAttrShape,
  conv2d_grad_weight: fromAttrShape,
  grouped_conv2d_grad_input: fromAttrShape,
  grouped_conv2d_grad_weight: fromAttrShape,
  conv1d_grad_input: fromAttrShape,
  conv1d_grad_weight: fromAttrShape,
  maxpool2d_grad: gradLike,
  avgpool2d_grad: fromAttrShape,
  upsample2d_grad: fromAttrShape,
  global_avg_pool_grad: fromAttrShape,
  global_max_pool_grad: gradLike,
  // regularisation
  l1_l2_penalty: () => [f32([])],
  l1_l2_grad: same,
  // optimizer updates
  gd_update: update,
  sgd_update: update,
  adam_update: update,
  adamw_update: update,
  adagrad_update: update,
  rmsprop_update: update,
};

const PRIMITIVES: Record<KernelName, PrimitiveRule> = perKernel((name, spec) => ({
  arity: kernelArity(spec),
  outputs: SHAPE_RULES[name],
  outputCount: spec.outputs.length,
  ...(spec.activation ? { activation: spec.activation } : {}),
  ...(spec.epilogue ? { epilogue: true } : {}),
  ...(spec.poolEpilogue ? { poolEpilogue: true } : {}),
  ...(spec.inPlace ? { inPlace: true } : {}),
}));

export function primitiveRule(op: string): PrimitiveRule | undefined {
  return Object.prototype.hasOwnProperty.call(PRIMITIVES, op) ? PRIMITIVES[op as KernelName] : undefined;
}

/**
 * Output types of a primitive or fused op; fused ops take the bias as an extra last input. A pooled
 * op (`conv2d+bias+relu+maxpool`) has only its y, the base kernel's pooled by `attrs.pool`.
 */
export function primitiveOutputs(op: string, inputs: TensorType[], attrs: Attrs): TensorType[] {
  const base = kernelBase(op);
  const rule = primitiveRule(base);
  if (!rule) fail(`unknown primitive '${base}'`);
  const epilogue = base !== op ? parseKernelName(op).epilogue : [];
  const baseInputs = epilogue.includes('bias') ? inputs.slice(0, -1) : inputs;
  const outputs = rule.outputs(baseInputs, attrs);
  if (!epilogue.includes(POOL_EPILOGUE)) return outputs;
  return [f32(pooledEpilogueOutputOf(outputs[0]!.shape, attrs.pool as number[], SYMBOLIC_DIMS))];
}
