import { perSampleSize } from '../shapes/dims.js';
import { frozenParam, ONES, tensorParam, weightParam, ZEROS } from './common.js';
import { expects, ok, type OpCall, type OpDef, type WeightDef } from './types.js';

/**
 * batchnorm(x, momentum = 0.99, epsilon = 1e-3, gamma: = ones, beta: = zeros)
 * layernorm(x, epsilon = 1e-3, gamma: = ones, beta: = zeros)
 * groupnorm(x, groups = 32, epsilon = 1e-3, gamma: = ones, beta: = zeros)
 *
 * Both normalise over the last axis (C) and keep the shape. batchnorm normalises with batch
 * statistics while training and with its running statistics in inference; layernorm per sample.
 *
 * IR form: batchnorm inputs [x, gamma [C], beta [C], running_mean [C], running_var [C]] (the last two
 * are non-trainable params) attrs { momentum, epsilon }; layernorm inputs [x, gamma, beta] attrs { epsilon };
 * groupnorm inputs [x, gamma, beta] attrs { groups, epsilon }: per sample over its positions and the
 * channels of each of `groups` groups (Keras GroupNormalization, PyTorch GroupNorm), scale and shift per channel.
 */

function channels(call: OpCall): number {
  return call.inputs[0]!.shape.at(-1) as number;
}

function inferNorm({ inputs: [x] }: OpCall) {
  if (x!.shape.length < 2) return expects('[batch, ..., channels]');
  if (typeof x!.shape.at(-1) !== 'number') return expects('a known number of channels in the last axis');
  if (x!.dtype !== 'f32') return expects('float input', { actual: 'int' });
  return ok(x!.shape);
}

function affine(call: OpCall): WeightDef[] {
  const c = channels(call);
  return [
    { name: 'gamma', shape: [c], init: ONES, trainable: true, regularized: false },
    { name: 'beta', shape: [c], init: ZEROS, trainable: true, regularized: false },
  ];
}

const epsilon = { name: 'epsilon', kind: 'number', doc: 'Added to the variance for stability.', default: 1e-3, min: 0, minExclusive: true } as const;

export const batchnorm: OpDef = {
  name: 'batchnorm',
  category: 'layer',
  doc: 'Batch normalisation over the last axis, with learned scale (gamma) and shift (beta).',
  params: [
    tensorParam(),
    { name: 'momentum', kind: 'number', doc: 'Running statistics: running = momentum·running + (1 − momentum)·batch.', default: 0.99, min: 0, max: 1, maxExclusive: true },
    epsilon,
    weightParam('gamma', 'The [C] scale.', ONES),
    weightParam('beta', 'The [C] shift.', ZEROS),
    frozenParam,
  ],
  shapeRule: 'unchanged ([batch, ..., C])',
  irForm: 'inputs [x, gamma [C], beta [C], running_mean [C], running_var [C]]; attrs { momentum, epsilon }',
  infer: inferNorm,
  weights: (call) => [
    ...affine(call),
    { name: 'running_mean', shape: [channels(call)], init: ZEROS, trainable: false, regularized: false },
    { name: 'running_var', shape: [channels(call)], init: ONES, trainable: false, regularized: false },
  ],
  attrs: (call) => ({ momentum: call.args.momentum as number, epsilon: call.args.epsilon as number }),
  flops: ({ inputs: [x] }) => {
    const n = perSampleSize(x!.shape);
    return n === null ? null : 4 * n;
  },
};

export const layernorm: OpDef = {
  name: 'layernorm',
  category: 'layer',
  doc: 'Layer normalisation over the last axis of each sample, with learned scale and shift.',
  params: [tensorParam(), epsilon, weightParam('gamma', 'The [C] scale.', ONES), weightParam('beta', 'The [C] shift.', ZEROS), frozenParam],
  shapeRule: 'unchanged ([batch, ..., C])',
  irForm: 'inputs [x, gamma [C], beta [C]]; attrs { epsilon }',
  infer: inferNorm,
  weights: affine,
  attrs: (call) => ({ epsilon: call.args.epsilon as number }),
  flops: ({ inputs: [x] }) => {
    const n = perSampleSize(x!.shape);
    return n === null ? null : 8 * n;
  },
};

export const groupnorm: OpDef = {
  name: 'groupnorm',
  category: 'layer',
  doc: 'Group normalisation: each sample normalised over its positions and the channels of each group, with learned per-channel scale and shift (Keras GroupNormalization).',
  params: [
    tensorParam(),
    { name: 'groups', kind: 'int', doc: 'Number of channel groups; the channels must divide by it (1 is layer norm over all positions, C instance norm).', default: 32, min: 1, max: 1 << 20 },
    epsilon,
    weightParam('gamma', 'The [C] scale.', ONES),
    weightParam('beta', 'The [C] shift.', ZEROS),
    frozenParam,
  ],
  shapeRule: 'unchanged ([batch, ..., C])',
  irForm: 'inputs [x, gamma [C], beta [C]]; attrs { groups, epsilon }',
  infer(call) {
    const checked = inferNorm(call);
    if (!checked.ok) return checked;
    const groups = call.args.groups as number;
    if (channels(call) % groups !== 0) {
      const divisors = Array.from({ length: channels(call) }, (_, i) => i + 1).filter((d) => channels(call) % d === 0);
      return expects(`channels that divide into ${groups} groups (${channels(call)} channels divide into ${divisors.join(', ')})`);
    }
    return checked;
  },
  weights: affine,
  attrs: (call) => ({ groups: call.args.groups as number, epsilon: call.args.epsilon as number }),
  flops: ({ inputs: [x] }) => {
    const n = perSampleSize(x!.shape);
    return n === null ? null : 8 * n;
  },
};
