import { activationAlpha, perActivation } from '../plan/activations.js';
import { perMaskedScan, perScan, type KERNELS, type KernelName } from '../plan/kernels.js';
import { ONNX_ACTIVATIONS } from './onnx-activations.js';
import { attention, positionalEncoding } from './onnx-attention.js';
import { attr } from './onnx-graph.js';
import { reduce, unary } from './onnx-math.js';
import { nonzero, reverseSequence, scan } from './onnx-recurrent.js';
import { conv, convTranspose, globalPool, pool, upsample } from './onnx-spatial.js';
import { padReflect, stridedRead, stridedWrite } from './onnx-strided.js';
import type { OnnxRule, StepExport } from './onnx-step.js';

/**
 * THE table: each plan kernel that can run at inference (every differentiable kernel; the type
 * demands an entry for each, so a new kernel without a mapping or a stated refusal does not compile)
 * and its ONNX opset-17 mapping. An entry writes the base kernel's outputs; fused epilogues
 * (`conv2d+bias+relu`) are split back into plain ops by the exporter (runtime/export/onnx.ts).
 * Layout facts are runtime/export/onnx-layouts.ts; the larger mappings have a file each.
 */
type InferenceKernelName = { [K in KernelName]: (typeof KERNELS)[K] extends { grad: unknown } ? K : never }[KernelName];

const elementwise = (opType: string): OnnxRule => (s) => {
  s.op(opType, [s.input(0), s.input(1)], { outputs: [s.out(0)!] });
};

const identity: OnnxRule = (s) => {
  s.op('Identity', [s.input(0)], { outputs: [s.out(0)!] });
};

const lastAxis = (opType: string): OnnxRule => (s) => {
  s.op(opType, [s.input(0)], { outputs: [s.out(0)!], attributes: [attr.int('axis', -1)] });
};

/** matmul: Gemm (bias folded in as C) for a matrix, MatMul with the bias added after for a batch of them. */
const matmul: OnnxRule = (s) => {
  s.expect(['transA', 'transB'], 2);
  const [a, b] = [s.input(0), s.input(1)];
  const transA = s.attrs.transA === true;
  const transB = s.attrs.transB === true;
  if (s.shape(a)?.length === 2) {
    const inputs = s.bias ? [a, b, s.bias] : [a, b];
    s.op('Gemm', inputs, { outputs: [s.out(0, s.bias !== undefined)!], attributes: [attr.int('transA', transA ? 1 : 0), attr.int('transB', transB ? 1 : 0)] });
    return;
  }
  if (transA) return s.refuse('a transposed batched matmul has no ONNX export');
  const right = transB ? s.op('Transpose', [b], { attributes: [attr.ints('perm', [1, 0])] }) : b;
  s.op('MatMul', [a, right], { outputs: [s.out(0)!] });
};

/** reshape: numbers as they are, a symbolic dim equal to the input's on the same axis copied (0), one other inferred (−1), the rest computed. */
const reshape: OnnxRule = (s) => {
  const target = s.attrs.shape as Array<number | string>;
  const from = s.shape(s.input(0)) ?? [];
  const codes = target.map((d, i) => (typeof d === 'number' ? d : d === from[i] ? 0 : -1));
  let shape: string;
  if (codes.filter((c) => c === -1).length <= 1) {
    shape = s.ints(codes);
  } else {
    const pieces = target.map((d) => s.op('Unsqueeze', [s.dim(d), s.ints([0])]));
    shape = s.op('Concat', pieces, { attributes: [attr.int('axis', 0)] });
  }
  s.op('Reshape', [s.input(0), shape], { outputs: [s.out(0)!] });
};

/** Inference batchnorm over the last axis: y = gamma·(x − running_mean)/√(running_var + ε) + beta. */
const batchnorm: OnnxRule = (s) => {
  s.expect(['epsilon', 'momentum'], 5);
  const [x, gamma, beta, mean, variance] = [0, 1, 2, 3, 4].map((i) => s.input(i)) as [string, string, string, string, string];
  const invstd = s.op('Reciprocal', [s.op('Sqrt', [s.op('Add', [variance, s.floats([s.attrs.epsilon as number], [])])])]);
  const scaled = s.op('Mul', [s.op('Mul', [s.op('Sub', [x, mean]), invstd]), gamma]);
  s.op('Add', [scaled, beta], { outputs: [s.out(0)!] });
};

/**
 * groupnorm over channels-last x [N, …, C] (opset 17 has no GroupNormalization): x as [N, P, G, C/G],
 * mean and biased variance over P and C/G, x̂ back in x's shape, then gamma·x̂ + beta per channel.
 */
const groupnorm: OnnxRule = (s) => {
  s.expect(['groups', 'epsilon'], 3);
  const x = s.input(0);
  const channels = s.shape(x)!.at(-1);
  const groups = s.attrs.groups as number;
  if (typeof channels !== 'number') return s.refuse(`groupnorm over a symbolic channel count '${channels}' has no ONNX export`);
  const grouped = s.op('Reshape', [x, s.ints([0, -1, groups, channels / groups])]);
  const axes = [attr.ints('axes', [1, 3]), attr.int('keepdims', 1)];
  const centred = s.op('Sub', [grouped, s.op('ReduceMean', [grouped], { attributes: axes })]);
  const variance = s.op('ReduceMean', [s.op('Mul', [centred, centred])], { attributes: axes });
  const normalised = s.op('Mul', [centred, s.op('Reciprocal', [s.op('Sqrt', [s.op('Add', [variance, s.floats([s.attrs.epsilon as number], [])])])])]);
  const xhat = s.op('Reshape', [normalised, s.op('Shape', [x])]);
  s.op('Add', [s.op('Mul', [xhat, s.input(1)]), s.input(2)], { outputs: [s.out(0)!] });
};

const layernorm: OnnxRule = (s) => {
  s.expect(['epsilon'], 3);
  s.op('LayerNormalization', [s.input(0), s.input(1), s.input(2)], {
    outputs: [s.out(0)!],
    attributes: [attr.int('axis', -1), attr.float('epsilon', s.attrs.epsilon as number)],
  });
};

const activation = perActivation((name): OnnxRule => (s: StepExport) => ONNX_ACTIVATIONS[name](s, s.input(0), s.out(0)!, activationAlpha(name, s.attrs)));

export const ONNX_OPS: Record<InferenceKernelName, OnnxRule> & Partial<Record<KernelName, OnnxRule>> = {
  matmul,
  conv1d: conv,
  conv2d: conv,
  grouped_conv2d: conv,
  conv1d_transpose: convTranspose,
  conv2d_transpose: convTranspose,
  bias_add: elementwise('Add'),
  add: elementwise('Add'),
  sub: elementwise('Sub'),
  mul: elementwise('Mul'),
  div: elementwise('Div'),
  unary,
  reduce,
  scale: (s) => {
    s.op('Mul', [s.input(0), s.floats([s.attrs.factor as number], [])], { outputs: [s.out(0)!] });
  },
  concat: (s) => {
    s.op('Concat', s.step.inputs.map((_, i) => s.input(i)), { outputs: [s.out(0)!], attributes: [attr.int('axis', s.attrs.axis as number)] });
  },
  slice: (s) => {
    const start = s.dim(s.attrs.start as number | string);
    const end = s.op('Add', [start, s.dim(s.attrs.size as number | string)]);
    const asList = (scalar: string): string => s.op('Unsqueeze', [scalar, s.ints([0])]);
    s.op('Slice', [s.input(0), asList(start), asList(end), s.ints([s.attrs.axis as number])], { outputs: [s.out(0)!] });
  },
  reshape,
  strided_read: stridedRead,
  strided_write: stridedWrite,
  pad_reflect: padReflect,
  copy: identity,
  ...activation,
  softmax: lastAxis('Softmax'),
  log_softmax: lastAxis('LogSoftmax'),
  // Inference: dropout passes x through.
  dropout: identity,
  // Inference: the distribution's mean, shaped like x. A sample drawn in inference (inference: true)
  // is refused: ONNX's RandomNormalLike would draw other numbers than nnet run does.
  random: (s) => {
    s.expect(['dist', 'a', 'b', 'seed', 'inference'], 1);
    if (s.attrs.inference === true) s.refuse('a random sample drawn in inference (inference: true) has no ONNX export: ONNX would draw other numbers than nnet');
    const [a, b] = [s.attrs.a as number, s.attrs.b as number];
    s.op('Expand', [s.floats([s.attrs.dist === 'normal' ? a : (a + b) / 2], []), s.op('Shape', [s.input(0)])], { outputs: [s.out(0)!] });
  },
  batchnorm,
  layernorm,
  groupnorm,
  embedding: (s) => {
    s.op('Gather', [s.input(1), s.input(0)], { outputs: [s.out(0)!], attributes: [attr.int('axis', 0)] });
  },
  maxpool2d: pool('MaxPool'),
  avgpool2d: pool('AveragePool'),
  upsample2d: upsample,
  global_avg_pool: globalPool('ReduceMean'),
  global_max_pool: globalPool('ReduceMax'),
  ...perScan((cell) => scan(cell)),
  ...perMaskedScan((cell) => scan(cell, true)),
  reverse_sequence: reverseSequence,
  nonzero,
  attention,
  masked_attention: attention,
  positional_encoding: positionalEncoding,
};
