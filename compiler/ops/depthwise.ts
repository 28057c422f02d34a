import { formatShape, perSampleSize, windowOutput } from '../shapes/dims.js';
import type { Dim } from '../ir/types.js';
import {
  activationAttr, activationFlops, activationOf, activationParam, channelsLastRankError, GLOROT, hasWeight, int, ints, MAX_KERNEL, MAX_UNITS,
  weightTrainingParams, tensorParam, unitsParam, weightParam, ZEROS,
} from './common.js';
import { expects, ok, type OpCall, type OpDef, type ParamDef, type ShapeResult, type WeightDef } from './types.js';

/**
 * depthwise_conv2d(x, kernel, stride = 1, padding = valid, depth_multiplier = 1, dilation = 1, activation = linear, weight:, bias:, l1:, l2:)
 * separable_conv2d(x, filters, kernel, stride = 1, padding = valid, depth_multiplier = 1, dilation = 1, activation = linear, depthwise:, pointwise:, bias:, l1:, l2:)
 *
 * Keras' DepthwiseConv2D and SeparableConv2D over [batch, h, w, C]: each input channel c convolved on
 * its own with `depth_multiplier` = M kernels (output channel c·M + m), sizes as conv2d. The separable
 * form follows with a 1×1 convolution to `filters` and has one bias, on the filters. Parameters as
 * Keras: depthwise kh·kw·C·M (+ C·M bias); separable kh·kw·C·M + C·M·filters + filters.
 *
 * IR form: depthwise_conv2d inputs [x, weight [C·M, kh, kw, 1], bias [C·M]?];
 * separable_conv2d inputs [x, depthwise [C·M, kh, kw, 1], pointwise [filters, 1, 1, C·M], bias [filters]?];
 * attrs { filters (separable), kernel, strides, padding, dilation, depth_multiplier, activation }.
 */
const LAYOUT = '[batch, height, width, channels]';

function windowParams(): ParamDef[] {
  return [
    { name: 'kernel', kind: 'ints', doc: 'Window size: a number or [h, w].', min: 1, max: MAX_KERNEL },
    { name: 'stride', kind: 'ints', doc: 'Step between windows: a number or [h, w].', default: 1, min: 1, max: MAX_KERNEL },
    { name: 'padding', kind: 'choice', doc: '`valid` (no padding) or `same` (output size ceil(n / stride)).', default: 'valid', choices: ['valid', 'same'] },
    { name: 'depth_multiplier', kind: 'int', doc: 'Kernels per input channel (output channels C·depth_multiplier of the depthwise step).', default: 1, min: 1, max: MAX_UNITS },
    { name: 'dilation', kind: 'ints', doc: 'Spacing between kernel taps: a number or [h, w].', default: 1, min: 1, max: MAX_KERNEL },
    activationParam,
  ];
}

function channelsOf(call: OpCall): number {
  return call.inputs[0]!.shape.at(-1) as number;
}

/** [batch, h', w'] of the depthwise step, or why the input does not fit. */
function inferWindows(call: OpCall): ShapeResult {
  const x = call.inputs[0]!;
  if (x.dtype !== 'f32') return expects('float input', { actual: `${formatShape(x.shape)} int` });
  const rankError = channelsLastRankError(x, 2, LAYOUT);
  if (rankError) return rankError;
  if (typeof x.shape.at(-1) !== 'number') return expects('a known number of channels in the last axis');
  const [kernel, stride, dilation] = [ints(call, 'kernel', 2), ints(call, 'stride', 2), ints(call, 'dilation', 2)];
  const spatial: Dim[] = [];
  for (let a = 0; a < 2; a++) {
    const out = windowOutput(x.shape[1 + a]!, kernel[a]!, stride[a]!, dilation[a]!, call.args.padding as 'same' | 'valid');
    if (typeof out === 'number' && out < 1) return expects(`an input of at least ${dilation[a]! * (kernel[a]! - 1) + 1} along axis ${1 + a} for kernel ${kernel[a]}`);
    spatial.push(out);
  }
  return ok([x.shape[0]!, ...spatial]);
}

function depthwiseWeight(call: OpCall, name: string): WeightDef {
  return { name, shape: [channelsOf(call) * int(call, 'depth_multiplier'), ...ints(call, 'kernel', 2), 1], init: GLOROT, trainable: true, regularized: true };
}

function windowAttrs(call: OpCall) {
  return {
    kernel: ints(call, 'kernel', 2),
    strides: ints(call, 'stride', 2),
    padding: call.args.padding as string,
    dilation: ints(call, 'dilation', 2),
    depth_multiplier: int(call, 'depth_multiplier'),
    activation: activationAttr(activationOf(call)),
  };
}

/** Multiply-adds per output position of the depthwise step. */
function depthwiseTaps(call: OpCall): number {
  return ints(call, 'kernel', 2).reduce((a, b) => a * b, 1) * channelsOf(call) * int(call, 'depth_multiplier');
}

export const depthwise_conv2d: OpDef = {
  name: 'depthwise_conv2d',
  category: 'layer',
  doc: 'Depthwise 2-D convolution: each input channel convolved on its own with `depth_multiplier` kernels (Keras DepthwiseConv2D).',
  params: [
    tensorParam(),
    ...windowParams(),
    weightParam('weight', 'The [C·depth_multiplier, kh, kw, 1] kernel.', GLOROT),
    weightParam('bias', 'The [C·depth_multiplier] bias.', ZEROS, true),
    ...weightTrainingParams,
  ],
  shapeRule: "[batch, h, w, C] → [batch, h', w', C·depth_multiplier]",
  irForm: 'inputs [x, weight [C·M, kh, kw, 1], bias [C·M]?]; attrs { kernel, strides, padding, dilation, depth_multiplier, activation }',
  infer(call) {
    const windows = inferWindows(call);
    return windows.ok ? ok([...windows.type.shape, channelsOf(call) * int(call, 'depth_multiplier')]) : windows;
  },
  weights(call) {
    const weights = [depthwiseWeight(call, 'weight')];
    if (hasWeight(call, 'bias')) weights.push({ name: 'bias', shape: [channelsOf(call) * int(call, 'depth_multiplier')], init: ZEROS, trainable: true, regularized: false });
    return weights;
  },
  attrs: windowAttrs,
  flops(call, out) {
    const positions = perSampleSize(out.shape.slice(0, -1));
    const channels = channelsOf(call) * int(call, 'depth_multiplier');
    return positions === null ? null : positions * (2 * depthwiseTaps(call) + channels * (1 + activationFlops(activationOf(call).name)));
  },
};

export const separable_conv2d: OpDef = {
  name: 'separable_conv2d',
  category: 'layer',
  doc: 'Depthwise separable 2-D convolution: a depthwise convolution, then a 1×1 convolution to `filters` (Keras SeparableConv2D).',
  params: [
    tensorParam(),
    unitsParam('filters', 'Number of output channels.'),
    ...windowParams(),
    weightParam('depthwise', 'The [C·depth_multiplier, kh, kw, 1] depthwise kernel.', GLOROT),
    weightParam('pointwise', 'The [filters, 1, 1, C·depth_multiplier] pointwise kernel.', GLOROT),
    weightParam('bias', 'The [filters] bias.', ZEROS, true),
    ...weightTrainingParams,
  ],
  shapeRule: "[batch, h, w, C] → [batch, h', w', filters]",
  irForm: 'inputs [x, depthwise [C·M, kh, kw, 1], pointwise [filters, 1, 1, C·M], bias [filters]?]; attrs { filters, kernel, strides, padding, dilation, depth_multiplier, activation }',
  infer(call) {
    const windows = inferWindows(call);
    return windows.ok ? ok([...windows.type.shape, int(call, 'filters')]) : windows;
  },
  weights(call) {
    const filters = int(call, 'filters');
    const mid = channelsOf(call) * int(call, 'depth_multiplier');
    const weights = [depthwiseWeight(call, 'depthwise'), { name: 'pointwise', shape: [filters, 1, 1, mid], init: GLOROT, trainable: true, regularized: true }];
    if (hasWeight(call, 'bias')) weights.push({ name: 'bias', shape: [filters], init: ZEROS, trainable: true, regularized: false });
    return weights;
  },
  attrs: (call) => ({ filters: int(call, 'filters'), ...windowAttrs(call) }),
  flops(call, out) {
    const positions = perSampleSize(out.shape.slice(0, -1));
    const mid = channelsOf(call) * int(call, 'depth_multiplier');
    const filters = int(call, 'filters');
    return positions === null ? null : positions * (2 * depthwiseTaps(call) + filters * (2 * mid + 1 + activationFlops(activationOf(call).name)));
  },
};
