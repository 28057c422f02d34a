import { ACTIVATION_NAMES } from '../../runtime/plan/activations.js';
import type { IRNode } from '../ir/graph.js';
import type { AttrValue, Dim, TensorType } from '../ir/types.js';

/**
 * The PyTorch export's one table: per layer op of the language, the module of model.py that
 * computes it (the classes of python/layers.ts) and the attributes it reads. A new op is one entry;
 * an op without one, or a node with an attribute its entry does not read, is refused by name
 * (PytorchExportError), never exported wrong. test/compiler/pytorch/ops-table.test.ts walks the
 * language's ops against this table.
 */
export interface PyOpContext {
  node: IRNode;
  /** Types of the node's tensor inputs (its parameters left out), in order. */
  inputs: TensorType[];
  /** Whether the node has the optional bias parameter (dense, conv, recurrent: `bias: false` leaves it out). */
  hasBias: boolean;
  /** The node's parameters by their own names (`w_ih`, `bias_reverse`), in order. */
  paramNames: string[];
  /** A dim as a Python expression of the forward's bound dims (`batch`, `seq`), or -1 when unbound. */
  dim: (d: Dim) => string;
}

export interface PyOp {
  /** The attributes the module reads; any other attribute on the node is refused. */
  attrs: readonly string[];
  /** The module's constructor, a Python expression over python/layers.ts. */
  module: (ctx: PyOpContext) => string;
  /** Arguments after the tensor inputs in the forward call (reshape's target shape). */
  callArgs?: (ctx: PyOpContext) => string[];
}

export class PytorchExportError extends Error {
  readonly code = 'NNR7101';
  /** True once the message names the model, the layer and its source line. */
  constructor(
    message: string,
    readonly located = false,
  ) {
    super(message);
  }
}

/** A Python literal for an attribute value. */
function py(value: AttrValue | undefined): string {
  if (value === undefined || value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : value > 0 ? 'math.inf' : '-math.inf';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(py).join(', ')}]`;
  return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${py(v)}`).join(', ')}}`;
}

/** `activation: relu` or `leaky_relu(0.2)` → the Python arguments `activation='relu', alpha=None`. */
function activationArgs(value: AttrValue | undefined): string {
  if (value === undefined || value === null) return 'activation=None';
  if (typeof value === 'string') return `activation=${py(value)}`;
  if (typeof value === 'object' && !Array.isArray(value) && typeof value.name === 'string') {
    if (value.axis !== undefined && value.axis !== -1) throw new PytorchExportError(`an activation over axis ${String(value.axis)} has no PyTorch export (only the last axis)`);
    return `activation=${py(value.name)}, alpha=${py(value.alpha)}`;
  }
  throw new PytorchExportError(`unexpected activation ${JSON.stringify(value)}`);
}

const lastDim = (t: TensorType | undefined): number => {
  const d = t?.shape[t.shape.length - 1];
  if (typeof d !== 'number') throw new PytorchExportError('the last axis must have a fixed size');
  return d;
};

const ints = (v: AttrValue | undefined, fallback: AttrValue): string => py(v ?? fallback);

function conv(rank: 1 | 2): PyOp {
  return {
    attrs: ['filters', 'kernel', 'strides', 'padding', 'dilation', 'activation', 'groups'],
    module: ({ node, inputs, hasBias }) => {
      const a = node.attrs;
      const ones = Array.from({ length: rank }, () => 1);
      return `Conv(${rank}, ${lastDim(inputs[0])}, ${py(a.filters)}, ${py(a.kernel)}, ${ints(a.strides, ones)}, ${py(a.padding ?? 'valid')}, ${ints(a.dilation, ones)}, bias=${py(hasBias)}, ${activationArgs(a.activation)}, groups=${py(a.groups ?? 1)})`;
    },
  };
}

/** depthwise_conv2d: a grouped conv2d with one group per input channel (weight [C·M, kh, kw, 1]). */
const depthwise: PyOp = {
  attrs: ['kernel', 'strides', 'padding', 'dilation', 'depth_multiplier', 'activation'],
  module: ({ node, inputs, hasBias }) => {
    const a = node.attrs;
    const channels = lastDim(inputs[0]);
    const filters = channels * ((a.depth_multiplier as number | undefined) ?? 1);
    return `Conv(2, ${channels}, ${filters}, ${py(a.kernel)}, ${ints(a.strides, [1, 1])}, ${py(a.padding ?? 'valid')}, ${ints(a.dilation, [1, 1])}, bias=${py(hasBias)}, ${activationArgs(a.activation)}, groups=${channels})`;
  },
};

const separable: PyOp = {
  attrs: ['filters', 'kernel', 'strides', 'padding', 'dilation', 'depth_multiplier', 'activation'],
  module: ({ node, inputs, hasBias }) => {
    const a = node.attrs;
    return `SeparableConv(${lastDim(inputs[0])}, ${py(a.filters)}, ${py(a.kernel)}, ${ints(a.strides, [1, 1])}, ${py(a.padding ?? 'valid')}, ${ints(a.dilation, [1, 1])}, depth_multiplier=${py(a.depth_multiplier ?? 1)}, bias=${py(hasBias)}, ${activationArgs(a.activation)})`;
  },
};

function convTranspose(rank: 1 | 2): PyOp {
  return {
    attrs: ['filters', 'kernel', 'strides', 'padding', 'dilation', 'activation'],
    module: ({ node, inputs, hasBias }) => {
      const a = node.attrs;
      const ones = Array.from({ length: rank }, () => 1);
      return `ConvTranspose(${rank}, ${lastDim(inputs[0])}, ${py(a.filters)}, ${py(a.kernel)}, ${ints(a.strides, ones)}, ${py(a.padding ?? 'valid')}, ${ints(a.dilation, ones)}, bias=${py(hasBias)}, ${activationArgs(a.activation)})`;
    },
  };
}

function upsample(rank: 1 | 2): PyOp {
  return { attrs: ['size', 'mode'], module: ({ node }) => `Upsample(${rank}, ${py(node.attrs.size)}, ${py(node.attrs.mode ?? 'nearest')})` };
}

/** An elementwise math op as the `unary` module: its numbers named as the op names them. */
function math(op: string, numbers: { a?: string; b?: string } = {}): PyOp {
  return {
    attrs: Object.values(numbers),
    module: ({ node }) => `Unary(${py(op)}, ${py(numbers.a ? node.attrs[numbers.a] : 0)}, ${py(numbers.b ? node.attrs[numbers.b] : 0)})`,
  };
}

const reduction = (op: string): [string, PyOp] => [
  op,
  { attrs: ['axes', 'keepdims'], module: ({ node }) => `Reduce(${py(op)}, ${py(node.attrs.axes)}, keepdims=${py(node.attrs.keepdims === true)})` },
];

function pool(kind: 'max' | 'avg', rank: 1 | 2): PyOp {
  return {
    attrs: ['size', 'strides', 'padding'],
    module: ({ node }) => `Pool(${py(kind)}, ${rank}, ${py(node.attrs.size)}, ${ints(node.attrs.strides, node.attrs.size ?? null)}, ${py(node.attrs.padding ?? 'valid')})`,
  };
}

const activation = (name: string): [string, PyOp] => [name, { attrs: ['alpha'], module: ({ node }) => `Activation(${py(name)}, ${py(node.attrs.alpha)})` }];

function softmax(log: boolean): PyOp {
  return { attrs: ['axis'], module: ({ node }) => `Softmax(${py(node.attrs.axis ?? -1)}, log=${py(log)})` };
}

const recurrent = (cell: string): [string, PyOp] => [
  cell,
  {
    attrs: ['units', 'return_sequences', 'bidirectional', 'masked', ...(cell === 'gru' ? ['reset_after'] : [])],
    module: ({ node, inputs, hasBias, paramNames }) =>
      `Recurrent(${py(cell)}, ${lastDim(inputs[0])}, ${py(node.attrs.units)}, return_sequences=${py(node.attrs.return_sequences === true)}, bias=${py(hasBias)}, reset_after=${py(node.attrs.reset_after === true)}, bidirectional=${py(typeof node.attrs.bidirectional === 'string' ? node.attrs.bidirectional : null)}, reverse_bias=${py(paramNames.includes('bias_reverse'))}${node.attrs.masked === true ? ', masked=True' : ''})`,
  },
];

export const PYTORCH_OPS: Readonly<Record<string, PyOp>> = {
  dense: {
    attrs: ['units', 'activation'],
    module: ({ node, inputs, hasBias }) => `Dense(${lastDim(inputs[0])}, ${py(node.attrs.units)}, bias=${py(hasBias)}, ${activationArgs(node.attrs.activation)})`,
  },
  conv1d: conv(1),
  conv2d: conv(2),
  depthwise_conv2d: depthwise,
  separable_conv2d: separable,
  conv1d_transpose: convTranspose(1),
  conv2d_transpose: convTranspose(2),
  upsample1d: upsample(1),
  upsample2d: upsample(2),
  maxpool1d: pool('max', 1),
  maxpool2d: pool('max', 2),
  avgpool1d: pool('avg', 1),
  avgpool2d: pool('avg', 2),
  global_avgpool: { attrs: ['masked'], module: () => `GlobalPool('avg')` },
  global_maxpool: { attrs: ['masked'], module: () => `GlobalPool('max')` },
  flatten: { attrs: [], module: () => 'Flatten()' },
  reshape: {
    attrs: ['shape'],
    module: () => 'Reshape()',
    callArgs: ({ node, dim }) => [`(${(node.attrs.shape as Dim[]).map(dim).join(', ')},)`],
  },
  dropout: { attrs: ['rate'], module: ({ node }) => `Dropout(${py(node.attrs.rate ?? 0.5)})` },
  random_normal: { attrs: ['dist', 'a', 'b', 'inference'], module: ({ node }) => `RandomLike('normal', ${py(node.attrs.a)}, ${py(node.attrs.b)}, ${py(node.attrs.inference === true)})` },
  random_uniform: { attrs: ['dist', 'a', 'b', 'inference'], module: ({ node }) => `RandomLike('uniform', ${py(node.attrs.a)}, ${py(node.attrs.b)}, ${py(node.attrs.inference === true)})` },
  batchnorm: {
    attrs: ['momentum', 'epsilon'],
    module: ({ node, inputs }) => `BatchNorm(${lastDim(inputs[0])}, momentum=${py(node.attrs.momentum ?? 0.99)}, epsilon=${py(node.attrs.epsilon ?? 1e-3)})`,
  },
  groupnorm: {
    attrs: ['groups', 'epsilon'],
    module: ({ node, inputs }) => `GroupNorm(${lastDim(inputs[0])}, ${py(node.attrs.groups)}, epsilon=${py(node.attrs.epsilon ?? 1e-3)})`,
  },
  layernorm: { attrs: ['epsilon'], module: ({ node, inputs }) => `LayerNorm(${lastDim(inputs[0])}, epsilon=${py(node.attrs.epsilon ?? 1e-3)})` },
  embedding: { attrs: ['vocab', 'dim'], module: ({ node }) => `Embedding(${py(node.attrs.vocab)}, ${py(node.attrs.dim)})` },
  // The recurrent layers (the gru_reset_after cell is gru with reset_after).
  ...Object.fromEntries(['rnn', 'lstm', 'gru'].map(recurrent)),
  multi_head_attention: {
    attrs: ['heads', 'causal', 'cross', 'masked'],
    module: ({ node, inputs }) =>
      `MultiHeadAttention(${lastDim(inputs[0])}, ${py(node.attrs.heads)}, causal=${py(node.attrs.causal === true)}, cross=${py(node.attrs.cross === true)}, masked=${py(node.attrs.masked === true)})`,
  },
  positional_encoding: { attrs: [], module: () => 'PositionalEncoding()' },
  position_embedding: { attrs: ['max_len'], module: ({ node, inputs }) => `PositionEmbedding(${py(node.attrs.max_len)}, ${lastDim(inputs[0])})` },
  add: { attrs: [], module: () => 'Add()' },
  multiply: { attrs: [], module: () => 'Multiply()' },
  subtract: { attrs: [], module: () => 'Subtract()' },
  divide: { attrs: [], module: () => 'Divide()' },
  // The arithmetic operators on a tensor and a number (x * 0.5, 1 / x) are `unary` nodes.
  unary: { attrs: ['op', 'a', 'b'], module: ({ node }) => `Unary(${py(node.attrs.op)}, ${py(node.attrs.a ?? 0)}, ${py(node.attrs.b ?? 0)})` },
  exp: math('exp'),
  log: math('log'),
  sqrt: math('sqrt'),
  abs: math('abs'),
  square: math('square'),
  pow: math('pow', { a: 'exponent' }),
  clip: math('clip', { a: 'min', b: 'max' }),
  ...Object.fromEntries(['sum', 'mean', 'max', 'min'].map(reduction)),
  concat: {
    attrs: ['axis'],
    module: ({ node, inputs }) => {
      const raw = typeof node.attrs.axis === 'number' ? node.attrs.axis : -1;
      return `Concat(${raw < 0 ? inputs[0]!.shape.length + raw : raw})`;
    },
  },
  transpose: { attrs: ['axes'], module: ({ node }) => `Transpose(${py(node.attrs.axes)})` },
  expand_dims: { attrs: ['axis'], module: ({ node }) => `ExpandDims(${py(node.attrs.axis)})` },
  squeeze: { attrs: ['axes'], module: ({ node }) => `Squeeze(${py(node.attrs.axes)})` },
  stack: { attrs: ['axis'], module: ({ node }) => `Stack(${py(node.attrs.axis)})` },
  pad: { attrs: ['before', 'after', 'mode'], module: ({ node }) => `Pad(${py(node.attrs.before)}, ${py(node.attrs.after ?? node.attrs.before)}, ${py(node.attrs.mode ?? 'zeros')})` },
  // Indexing (x[0], x[:, 1:5], x[:, -1]) is a strided_read node; its starts and sizes may be dims of the input.
  strided_read: {
    attrs: ['axes', 'starts', 'steps', 'shape'],
    module: ({ node }) => {
      const axes = node.attrs.axes as number[];
      if (axes.some((a, i) => a < 0 || (i > 0 && a <= axes[i - 1]!))) throw new PytorchExportError('a read that reorders or adds axes has no PyTorch export yet');
      return `StridedRead(${py(axes)})`;
    },
    callArgs: ({ node, dim }) => [
      `[${(node.attrs.starts as Dim[]).map(dim).join(', ')}]`,
      py(node.attrs.steps),
      `[${(node.attrs.shape as Dim[]).map(dim).join(', ')}]`,
    ],
  },
  ...Object.fromEntries(ACTIVATION_NAMES.map(activation)),
  softmax: softmax(false),
  log_softmax: softmax(true),
};

/** The entry for a node, or a refusal naming the op or the attribute the export does not know. */
export function pyOpFor(node: IRNode): PyOp {
  const op = Object.hasOwn(PYTORCH_OPS, node.op) ? PYTORCH_OPS[node.op] : undefined;
  if (!op) throw new PytorchExportError(`op '${node.op}' has no PyTorch export yet`);
  const unknown = Object.keys(node.attrs).filter((a) => !op.attrs.includes(a) && node.attrs[a] !== null && node.attrs[a] !== undefined);
  if (unknown.length > 0) {
    throw new PytorchExportError(`${node.op}'s ${unknown.map((a) => `'${a}'`).join(', ')} ${unknown.length > 1 ? 'have' : 'has'} no PyTorch export yet`);
  }
  return op;
}
