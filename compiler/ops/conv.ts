import { formatShape, perSampleSize, transposedWindowOutput, windowOutput } from '../shapes/dims.js';
import type { Dim } from '../ir/types.js';
import {
  activationAttr, activationFlops, activationOf, activationParam, channelsLastRankError, GLOROT, hasWeight, int, ints, MAX_KERNEL,
  MAX_UNITS, weightTrainingParams, tensorParam, unitsParam, weightParam, ZEROS,
} from './common.js';
import { expects, ok, type OpCall, type OpDef, type ParamDef, type WeightDef } from './types.js';

/**
 * conv1d(x, filters, kernel, stride = 1, padding = valid, dilation = 1, activation = linear, weight:, bias:, l1:, l2:)
 * conv2d(x, filters, kernel, stride = 1, padding = valid, dilation = 1, activation = linear, groups: 1, weight:, bias:, l1:, l2:)
 *
 * Channels last. conv1d: [batch, len, in] → [batch, len', filters]; conv2d: [batch, h, w, in] →
 * [batch, h', w', filters], where along each axis valid gives floor((n − dilation·(k−1) − 1)/stride) + 1
 * and same gives ceil(n / stride). `kernel`, `stride` and `dilation` take one number or one per axis.
 *
 * IR form: inputs [x, weight, bias [filters]?], weight [filters, k, in] (conv1d) or
 * [filters, kh, kw, in / groups] (conv2d); attrs { filters, kernel: int[], strides: int[], padding, dilation: int[],
 * activation, groups (only when > 1) }.
 */

/** conv2d's `groups` (Keras, PyTorch): depthwise_conv2d is the case groups = channels. */
const GROUPS: ParamDef = {
  name: 'groups',
  kind: 'int',
  doc: 'Splits the input channels and the filters into this many groups, each convolved on its own; both must divide by it.',
  default: 1,
  namedOnly: true,
  min: 1,
  max: MAX_UNITS,
};

/** The `groups` argument, 1 where the op has none. */
function groupsOf(call: OpCall): number {
  return typeof call.args.groups === 'number' ? call.args.groups : 1;
}

function convParams(axes: number): ParamDef[] {
  const perAxis = axes === 1 ? 'a number' : 'a number or [h, w]';
  return [
    tensorParam(),
    unitsParam('filters', 'Number of output channels.'),
    { name: 'kernel', kind: 'ints', doc: `Window size: ${perAxis}.`, min: 1, max: MAX_KERNEL },
    { name: 'stride', kind: 'ints', doc: `Step between windows: ${perAxis}.`, default: 1, min: 1, max: MAX_KERNEL },
    { name: 'padding', kind: 'choice', doc: '`valid` (no padding) or `same` (output size ceil(n / stride)).', default: 'valid', choices: ['valid', 'same'] },
    { name: 'dilation', kind: 'ints', doc: `Spacing between kernel taps: ${perAxis}.`, default: 1, min: 1, max: MAX_KERNEL },
    activationParam,
    ...(axes === 2 ? [GROUPS] : []),
    weightParam('weight', `The [filters, ${axes === 1 ? 'k' : 'kh, kw'}, in${axes === 2 ? ' / groups' : ''}] kernel.`, GLOROT),
    weightParam('bias', 'The [filters] bias.', ZEROS, true),
    ...weightTrainingParams,
  ];
}

function convDef(axes: 1 | 2): OpDef {
  const name = axes === 1 ? 'conv1d' : 'conv2d';
  const layout = axes === 1 ? '[batch, length, channels]' : '[batch, height, width, channels]';
  return {
    name,
    category: 'layer',
    doc: `${axes}-D convolution over a channels-last ${layout} input.`,
    params: convParams(axes),
    shapeRule: axes === 1 ? '[batch, len, in] → [batch, len\', filters]' : '[batch, h, w, in] → [batch, h\', w\', filters]',
    irForm: axes === 1
      ? 'inputs [x, weight [filters, k, in], bias [filters]?]; attrs { filters, kernel, strides, padding, dilation, activation }'
      : 'inputs [x, weight [filters, kh, kw, in / groups], bias [filters]?]; attrs { filters, kernel, strides, padding, dilation, activation, groups (when > 1) }',
    infer(call) {
      const x = call.inputs[0]!;
      if (x.dtype !== 'f32') return expects('float input', { actual: `${formatShape(x.shape)} int` });
      const rankError = channelsLastRankError(x, axes, layout);
      if (rankError) return rankError;
      if (typeof x.shape.at(-1) !== 'number') return expects('a known number of channels in the last axis');
      const groups = groupsOf(call);
      if ((x.shape.at(-1) as number) % groups !== 0 || int(call, 'filters') % groups !== 0) {
        return expects(`input channels and filters that divide into ${groups} groups`, { actual: `${x.shape.at(-1)} channels and ${int(call, 'filters')} filters` });
      }
      const kernel = ints(call, 'kernel', axes);
      const stride = ints(call, 'stride', axes);
      const dilation = ints(call, 'dilation', axes);
      const padding = call.args.padding as 'same' | 'valid';
      const spatial: Dim[] = [];
      for (let a = 0; a < axes; a++) {
        const n = x.shape[1 + a]!;
        const out = windowOutput(n, kernel[a]!, stride[a]!, dilation[a]!, padding);
        if (typeof out === 'number' && out < 1) {
          return expects(`an input of at least ${dilation[a]! * (kernel[a]! - 1) + 1} along axis ${1 + a} for kernel ${kernel[a]}`);
        }
        spatial.push(out);
      }
      return ok([x.shape[0]!, ...spatial, int(call, 'filters')]);
    },
    weights(call) {
      const inChannels = call.inputs[0]!.shape.at(-1) as number;
      const filters = int(call, 'filters');
      const weights: WeightDef[] = [
        { name: 'weight', shape: [filters, ...ints(call, 'kernel', axes), inChannels / groupsOf(call)], init: GLOROT, trainable: true, regularized: true },
      ];
      if (hasWeight(call, 'bias')) weights.push({ name: 'bias', shape: [filters], init: ZEROS, trainable: true, regularized: false });
      return weights;
    },
    attrs: (call) => ({
      filters: int(call, 'filters'),
      kernel: ints(call, 'kernel', axes),
      strides: ints(call, 'stride', axes),
      padding: call.args.padding as string,
      dilation: ints(call, 'dilation', axes),
      activation: activationAttr(activationOf(call)),
      // Only when grouped, so an ordinary convolution's IR reads as before.
      ...(groupsOf(call) > 1 ? { groups: groupsOf(call) } : {}),
    }),
    flops(call: OpCall, out) {
      const positions = perSampleSize(out.shape.slice(0, -1));
      if (positions === null) return null;
      const taps = ints(call, 'kernel', axes).reduce((a, b) => a * b, 1) * (call.inputs[0]!.shape.at(-1) as number) / groupsOf(call);
      const filters = int(call, 'filters');
      return positions * filters * (2 * taps + 1 + activationFlops(activationOf(call).name));
    },
  };
}

export const conv1d = convDef(1);
export const conv2d = convDef(2);

/**
 * conv1d_transpose(x, filters, kernel, stride = 1, padding = valid, dilation = 1, activation = linear, weight:, bias:, l1:, l2:)
 * conv2d_transpose(x, filters, kernel, stride = 1, padding = valid, dilation = 1, activation = linear, weight:, bias:, l1:, l2:)
 *
 * The transposed (fractionally strided) convolution, Keras' Conv1DTranspose / Conv2DTranspose: along
 * each axis valid gives n·stride + max(dilation·(k−1) + 1 − stride, 0) and same gives n·stride
 * (runtime/plan/shape-families.ts). Parameters as Keras: in·k…·filters + filters.
 *
 * IR form: inputs [x, weight, bias [filters]?], weight [in, k, filters] (conv1d_transpose) or
 * [in, kh, kw, filters] (conv2d_transpose); attrs { filters, kernel, strides, padding, dilation, activation }.
 */
function convTransposeDef(axes: 1 | 2): OpDef {
  const forward = convDef(axes);
  const name = `conv${axes}d_transpose`;
  const kernelDims = axes === 1 ? 'k' : 'kh, kw';
  return {
    ...forward,
    name,
    doc: `Transposed ${axes}-D convolution (upsampling by \`stride\`) over a channels-last ${axes === 1 ? '[batch, length, channels]' : '[batch, height, width, channels]'} input.`,
    params: forward.params.filter((p) => p.name !== 'groups').map((p) => {
      if (p.name === 'weight') return weightParam('weight', `The [in, ${kernelDims}, filters] kernel.`, GLOROT);
      if (p.name === 'padding') return { ...p, doc: '`valid` (output size n·stride + max(k − stride, 0)) or `same` (output size n·stride).' };
      return p;
    }),
    shapeRule: axes === 1 ? "[batch, len, in] → [batch, len', filters]" : "[batch, h, w, in] → [batch, h', w', filters]",
    irForm: `inputs [x, weight [in, ${kernelDims}, filters], bias [filters]?]; attrs { filters, kernel, strides, padding, dilation, activation }`,
    infer(call) {
      const checked = forward.infer({ ...call, args: { ...call.args, stride: 1, padding: 'same' } });
      if (!checked.ok) return checked;
      const x = call.inputs[0]!;
      const kernel = ints(call, 'kernel', axes);
      const stride = ints(call, 'stride', axes);
      const dilation = ints(call, 'dilation', axes);
      const padding = call.args.padding as 'same' | 'valid';
      const spatial = kernel.map((k, a) => transposedWindowOutput(x.shape[1 + a]!, k, stride[a]!, dilation[a]!, padding));
      return ok([x.shape[0]!, ...spatial, int(call, 'filters')]);
    },
    weights(call) {
      const inChannels = call.inputs[0]!.shape.at(-1) as number;
      const filters = int(call, 'filters');
      const weights: WeightDef[] = [
        { name: 'weight', shape: [inChannels, ...ints(call, 'kernel', axes), filters], init: GLOROT, trainable: true, regularized: true },
      ];
      if (hasWeight(call, 'bias')) weights.push({ name: 'bias', shape: [filters], init: ZEROS, trainable: true, regularized: false });
      return weights;
    },
    flops(call: OpCall, out) {
      // Every input position meets every tap once: in·taps·filters multiply-adds per input cell.
      const positions = perSampleSize(call.inputs[0]!.shape.slice(0, -1));
      const outputs = perSampleSize(out.shape);
      if (positions === null || outputs === null) return null;
      const taps = ints(call, 'kernel', axes).reduce((a, b) => a * b, 1) * (call.inputs[0]!.shape.at(-1) as number);
      return positions * taps * int(call, 'filters') * 2 + outputs * (1 + activationFlops(activationOf(call).name));
    },
  };
}

export const conv1d_transpose = convTransposeDef(1);
export const conv2d_transpose = convTransposeDef(2);
