import type { KernelName } from '../../runtime/plan/kernels.js';
import { broadcast, dimProductOf, sameDim } from '../shapes/dims.js';
import type { Attrs, Dim, Shape, TensorType } from './types.js';

/**
 * Shape rules of the primitive ops: the ops left after lowering, named exactly like the plan kernels
 * of runtime/plan/kernels.ts (the `Record<KernelName, ...>` type makes this table cover every kernel).
 * Each rule returns the types of every output of the op (most ops have one). Rules throw on misuse:
 * the front end has already reported user errors, so a failure here is a compiler bug.
 *
 * Structural ops (`input`, `param`, `const`, `output_of`) are not primitives; see verify.ts.
 */

export type ShapeRule = (inputs: TensorType[], attrs: Attrs) => TensorType[];

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

export class ShapeRuleError extends Error {}

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
  const lastA = a!.shape[a!.shape.length - 1]!;
  const rowsA = dimProductOf(a!.shape.slice(0, -1));
  const lastB = b!.shape[b!.shape.length - 1]!;
  const rowsB = dimProductOf(b!.shape.slice(0, -1));
  const transA = attrs.transA === true;
  const transB = attrs.transB === true;
  const k1 = transA ? rowsA : lastA;
  const k2 = transB ? lastB : rowsB;
  if (!sameDim(k1, k2)) fail(`matmul inner dims differ: ${k1} vs ${k2}`);
  const n = transB ? rowsB : lastB;
  const lead = transA ? [lastA] : a!.shape.slice(0, -1);
  const y = f32([...lead, n]);
  return [y, y];
}

function convOut(size: Dim, k: number, stride: number, dilation: number, padding: string): Dim {
  const span = (k - 1) * dilation + 1;
  if (typeof size !== 'number') {
    if (padding === 'same') return stride === 1 ? size : `ceil((${size})/${stride})`;
    return stride === 1 ? `${size}-${span - 1}` : `floor((${size}-${span})/${stride})+1`;
  }
  return padding === 'same' ? Math.ceil(size / stride) : Math.floor((size - span) / stride) + 1;
}

function convShape(spatial: number): ShapeRule {
  return ([x, w], attrs) => {
    const strides = (attrs.strides as number[] | undefined) ?? Array(spatial).fill(1);
    const dilation = (attrs.dilation as number[] | undefined) ?? Array(spatial).fill(1);
    const padding = (attrs.padding as string | undefined) ?? 'valid';
    const xs = x!.shape;
    const ws = w!.shape;
    const out: Shape = [xs[0]!];
    for (let i = 0; i < spatial; i++) {
      out.push(convOut(xs[1 + i]!, ws[1 + i] as number, strides[i]!, dilation[i]!, padding));
    }
    out.push(ws[0]!);
    return [f32(out), f32(out)];
  };
}

const poolShape: ShapeRule = ([x], attrs) => {
  const size = attrs.size as number[];
  const strides = (attrs.strides as number[] | undefined) ?? size;
  const padding = (attrs.padding as string | undefined) ?? 'valid';
  const xs = x!.shape;
  return [f32([xs[0]!, convOut(xs[1]!, size[0]!, strides[0]!, 1, padding), convOut(xs[2]!, size[1]!, strides[1]!, 1, padding), xs[3]!])];
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

/** Values saved per unit and time step by each recurrence (see runtime/plan/kernels.ts). */
export const SCAN_SAVED: Record<string, number> = { rnn_scan: 1, lstm_scan: 6, gru_scan: 5 };

function scanShape(op: string): ShapeRule {
  return ([xw], attrs) => {
    const [batch, steps] = xw!.shape;
    const units = attrs.units as number;
    const y = attrs.return_sequences === true ? [batch!, steps!, units] : [batch!, units];
    return [f32(y), f32([batch!, steps!, SCAN_SAVED[op]! * units])];
  };
}

const scanGradShape: ShapeRule = ([, wHh, saved]) => {
  const [batch, steps] = saved!.shape;
  return [f32([batch!, steps!, wHh!.shape[0]!]), wHh!];
};

const activation = (gradFrom: 'output' | 'input'): PrimitiveRule => ({ arity: 1, outputs: same, activation: { gradFrom } });
const unaryGrad: PrimitiveRule = { arity: 2, outputs: gradLike };
const lossRule: PrimitiveRule = { arity: 2, outputs: scalarAndGrad };

function update(slots: number): PrimitiveRule {
  return { arity: 2 + slots, inPlace: true, outputs: (inputs) => [inputs[0]!, ...inputs.slice(2)] };
}

export const PRIMITIVES: Record<KernelName, PrimitiveRule> = {
  // linear algebra
  matmul: { arity: 2, outputs: matmulShape, epilogue: true },
  conv2d: { arity: 2, outputs: convShape(2), epilogue: true },
  conv1d: { arity: 2, outputs: convShape(1), epilogue: true },
  // elementwise and broadcasting
  bias_add: { arity: 2, outputs: same },
  add: { arity: 2, outputs: binary },
  sub: { arity: 2, outputs: binary },
  mul: { arity: 2, outputs: binary },
  scale: { arity: 1, outputs: same },
  sum_to: { arity: 1, outputs: fromAttrShape },
  concat: { arity: 'variadic', outputs: concatShape },
  slice: { arity: 1, outputs: sliceShape },
  reshape: { arity: 1, outputs: fromAttrShape },
  copy: { arity: 1, outputs: same },
  // activations
  linear: activation('output'),
  relu: activation('output'),
  leaky_relu: activation('output'),
  elu: activation('output'),
  gelu: activation('input'),
  sigmoid: activation('output'),
  tanh: activation('output'),
  softplus: activation('output'),
  silu: activation('input'),
  step: activation('output'),
  // normalisation, softmax, dropout, lookup, pooling
  softmax: { arity: 1, outputs: same },
  log_softmax: { arity: 1, outputs: same },
  dropout: { arity: 1, outputs: ([x]) => [x!, x!] },
  batchnorm: { arity: 5, outputs: channelStats, inPlace: true },
  layernorm: { arity: 3, outputs: withStats },
  embedding: { arity: 2, outputs: ([ids, table]) => [f32([...ids!.shape, table!.shape[1]!])] },
  maxpool2d: { arity: 1, outputs: poolShape },
  avgpool2d: { arity: 1, outputs: poolShape },
  global_avg_pool: { arity: 1, outputs: globalPool },
  global_max_pool: { arity: 1, outputs: globalPool },
  // recurrences
  rnn_scan: { arity: 2, outputs: scanShape('rnn_scan') },
  lstm_scan: { arity: 2, outputs: scanShape('lstm_scan') },
  gru_scan: { arity: 2, outputs: scanShape('gru_scan') },
  rnn_scan_grad: { arity: 3, outputs: scanGradShape },
  lstm_scan_grad: { arity: 3, outputs: scanGradShape },
  gru_scan_grad: { arity: 3, outputs: scanGradShape },
  // attention
  attention: {
    arity: 3,
    outputs: ([q], attrs) => [q!, f32([q!.shape[0]!, attrs.heads as number, q!.shape[1]!, q!.shape[1]!])],
  },
  attention_grad: { arity: 5, outputs: ([, q, k, v]) => [q!, k!, v!] },
  positional_encoding: { arity: 1, outputs: same },
  // losses
  mse_loss: lossRule,
  mae_loss: lossRule,
  huber_loss: lossRule,
  binary_cross_entropy_loss: lossRule,
  sigmoid_binary_cross_entropy_loss: lossRule,
  cross_entropy_loss: lossRule,
  softmax_cross_entropy_loss: lossRule,
  sparse_cross_entropy_loss: lossRule,
  sparse_softmax_cross_entropy_loss: lossRule,
  kl_divergence_loss: lossRule,
  // backward
  linear_grad: unaryGrad,
  relu_grad: unaryGrad,
  leaky_relu_grad: unaryGrad,
  elu_grad: unaryGrad,
  gelu_grad: unaryGrad,
  sigmoid_grad: unaryGrad,
  tanh_grad: unaryGrad,
  softplus_grad: unaryGrad,
  silu_grad: unaryGrad,
  step_grad: unaryGrad,
  softmax_grad: unaryGrad,
  log_softmax_grad: unaryGrad,
  dropout_grad: unaryGrad,
  batchnorm_grad: { arity: 5, outputs: normGrad },
  layernorm_grad: { arity: 5, outputs: normGrad },
  embedding_grad: { arity: 2, outputs: fromAttrShape },
  conv2d_grad_input: { arity: 2, outputs: fromAttrShape },
  conv2d_grad_weight: { arity: 2, outputs: fromAttrShape },
  conv1d_grad_input: { arity: 2, outputs: fromAttrShape },
  conv1d_grad_weight: { arity: 2, outputs: fromAttrShape },
  maxpool2d_grad: { arity: 2, outputs: gradLike },
  avgpool2d_grad: { arity: 1, outputs: fromAttrShape },
  global_avg_pool_grad: { arity: 1, outputs: fromAttrShape },
  global_max_pool_grad: { arity: 2, outputs: gradLike },
  // regularisation
  l1_l2_penalty: { arity: 1, outputs: () => [f32([])] },
  l1_l2_grad: { arity: 2, outputs: same },
  // optimizer updates
  gd_update: update(0),
  sgd_update: update(1),
  adam_update: update(2),
  adamw_update: update(2),
  adagrad_update: update(1),
  rmsprop_update: update(2),
};

export function primitiveRule(op: string): PrimitiveRule | undefined {
  return Object.prototype.hasOwnProperty.call(PRIMITIVES, op) ? PRIMITIVES[op as KernelName] : undefined;
}

/** Splits a fused op name (`matmul+bias+relu`) into base and epilogue elements. */
export function splitFused(op: string): { base: string; epilogue: string[] } {
  const [base, ...epilogue] = op.split('+');
  return { base: base ?? '', epilogue };
}

/** Output types of a primitive or fused op; fused ops take the bias as an extra last input. */
export function primitiveOutputs(op: string, inputs: TensorType[], attrs: Attrs): TensorType[] {
  const { base, epilogue } = splitFused(op);
  const rule = primitiveRule(base);
  if (!rule) fail(`unknown primitive '${base}'`);
  const baseInputs = epilogue.includes('bias') ? inputs.slice(0, -1) : inputs;
  return rule.outputs(baseInputs, attrs);
}
