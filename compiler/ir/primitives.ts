import {
  kernelArity, parseKernelName, perKernel, perScan, perScanGrad, RECURRENT_CELLS, type KernelName, type RecurrentCellName,
} from '../../runtime/plan/kernels.js';
import { perActivation, perActivationGrad } from '../../runtime/plan/activations.js';
import { matmulSizes } from '../../runtime/plan/matmul-sizes.js';
import { broadcast, dimProductOf, sameDim, windowOutput } from '../shapes/dims.js';
import type { Attrs, Shape, TensorType } from './types.js';

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
  /** Activations: usable as a fusion epilogue; the gradient reads the output y or the input x. */
  activation?: { gradFrom: 'output' | 'input' };
  /** Matmul and conv: accept a `bias` + activation epilogue. */
  epilogue?: boolean;
  /** Optimizer updates and batchnorm write some inputs in place. */
  inPlace?: boolean;
}

class ShapeRuleError extends Error {}

function fail(message: string): never {
  throw new ShapeRuleError(message);
}

/** Numpy broadcasting of two shapes; a mismatch here is a compiler bug (the checker reported the user's). */
function broadcastShapes(a: Shape, b: Shape): Shape {
  return broadcast(a, b) ?? fail(`cannot broadcast [${a.join(', ')}] with [${b.join(', ')}]`);
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
  const transA = attrs.transA === true;
  const transB = attrs.transB === true;
  const { m, n, k, kB } = matmulSizes(a!.shape, b!.shape, transA, transB, dimProductOf);
  if (!sameDim(k, kB)) fail(`matmul inner dims differ: ${k} vs ${kB}`);
  // Rows keep a's leading axes (m is their product) unless a is read transposed.
  const lead = transA ? [m] : a!.shape.slice(0, -1);
  const y = f32([...lead, n]);
  return [y, y];
}

type Padding = 'same' | 'valid';

function convShape(spatial: number): ShapeRule {
  return ([x, w], attrs) => {
    const strides = (attrs.strides as number[] | undefined) ?? Array(spatial).fill(1);
    const dilation = (attrs.dilation as number[] | undefined) ?? Array(spatial).fill(1);
    const padding = (attrs.padding as Padding | undefined) ?? 'valid';
    const xs = x!.shape;
    const ws = w!.shape;
    const out: Shape = [xs[0]!];
    for (let i = 0; i < spatial; i++) {
      out.push(windowOutput(xs[1 + i]!, ws[1 + i] as number, strides[i]!, dilation[i]!, padding));
    }
    out.push(ws[0]!);
    return [f32(out), f32(out)];
  };
}

const poolShape: ShapeRule = ([x], attrs) => {
  const size = attrs.size as number[];
  const strides = (attrs.strides as number[] | undefined) ?? size;
  const padding = (attrs.padding as Padding | undefined) ?? 'valid';
  const xs = x!.shape;
  return [f32([xs[0]!, windowOutput(xs[1]!, size[0]!, strides[0]!, 1, padding), windowOutput(xs[2]!, size[1]!, strides[1]!, 1, padding), xs[3]!])];
};

const globalPool: ShapeRule = ([x]) => [f32([x!.shape[0]!, x!.shape[x!.shape.length - 1]!])];

function concatShape(inputs: TensorType[], attrs: Attrs): TensorType[] {
  const axis = attrs.axis as number;
  const first = inputs[0]!.shape;
  const sizes = inputs.map((t) => t.shape[axis]!);
  const shape = [...first];
  shape[axis] = sizes.every((s) => typeof s === 'number') ? (sizes as number[]).reduce((a, b) => a + b, 0) : sizes.join('+');
  return [f32(shape)];
}

function sliceShape([x]: TensorType[], attrs: Attrs): TensorType[] {
  const shape = [...x!.shape];
  shape[attrs.axis as number] = attrs.size as number;
  return [{ shape, dtype: x!.dtype }];
}

function scanShape(cell: RecurrentCellName): ShapeRule {
  const { saved } = RECURRENT_CELLS[cell];
  return ([xw], attrs) => {
    const [batch, steps] = xw!.shape;
    const units = attrs.units as number;
    const y = attrs.return_sequences === true ? [batch!, steps!, units] : [batch!, units];
    return [f32(y), f32([batch!, steps!, saved * units])];
  };
}

const scanGradShape: ShapeRule = ([, wHh, saved]) => {
  const [batch, steps] = saved!.shape;
  return [f32([batch!, steps!, wHh!.shape[0]!]), wHh!];
};

/** Update kernels return the parameter and their slots, updated in place: (param, grad, ...slots). */
const update: ShapeRule = (inputs) => [inputs[0]!, ...inputs.slice(2)];

const SHAPE_RULES: Record<KernelName, ShapeRule> = {
  // linear algebra
  matmul: matmulShape,
  conv2d: convShape(2),
  conv1d: convShape(1),
  // elementwise and broadcasting
  bias_add: same,
  add: binary,
  sub: binary,
  mul: binary,
  scale: same,
  sum_to: fromAttrShape,
  concat: concatShape,
  slice: sliceShape,
  reshape: fromAttrShape,
  copy: same,
  ...perActivation(() => same),
  // normalisation, softmax, dropout, lookup, pooling
  softmax: same,
  log_softmax: same,
  dropout: ([x]) => [x!, x!],
  batchnorm: channelStats,
  layernorm: withStats,
  embedding: ([ids, table]) => [f32([...ids!.shape, table!.shape[1]!])],
  maxpool2d: poolShape,
  avgpool2d: poolShape,
  global_avg_pool: globalPool,
  global_max_pool: globalPool,
  // recurrences
  ...perScan(scanShape),
  ...perScanGrad(() => scanGradShape),
  // attention
  attention: ([q], attrs) => [q!, f32([q!.shape[0]!, attrs.heads as number, q!.shape[1]!, q!.shape[1]!])],
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
  // backward
  ...perActivationGrad(() => gradLike),
  softmax_grad: gradLike,
  log_softmax_grad: gradLike,
  dropout_grad: gradLike,
  batchnorm_grad: normGrad,
  layernorm_grad: normGrad,
  embedding_grad: fromAttrShape,
  conv2d_grad_input: fromAttrShape,
  conv2d_grad_weight: fromAttrShape,
  conv1d_grad_input: fromAttrShape,
  conv1d_grad_weight: fromAttrShape,
  maxpool2d_grad: gradLike,
  avgpool2d_grad: fromAttrShape,
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
  ...(spec.activation ? { activation: spec.activation } : {}),
  ...(spec.epilogue ? { epilogue: true } : {}),
  ...(spec.inPlace ? { inPlace: true } : {}),
}));

export function primitiveRule(op: string): PrimitiveRule | undefined {
  return Object.prototype.hasOwnProperty.call(PRIMITIVES, op) ? PRIMITIVES[op as KernelName] : undefined;
}

/** Output types of a primitive or fused op; fused ops take the bias as an extra last input. */
export function primitiveOutputs(op: string, inputs: TensorType[], attrs: Attrs): TensorType[] {
  const { base, epilogue } = parseKernelName(op);
  const rule = primitiveRule(base);
  if (!rule) fail(`unknown primitive '${base}'`);
  const baseInputs = epilogue.includes('bias') ? inputs.slice(0, -1) : inputs;
  return rule.outputs(baseInputs, attrs);
}
