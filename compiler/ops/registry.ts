import { TRAIN_DEFAULTS } from '../../runtime/plan/train-settings.js';
import { ACTIVATION_OPS } from './activations.js';
import { multi_head_attention } from './attention.js';
import { conv1d, conv1d_transpose, conv2d, conv2d_transpose } from './conv.js';
import { depthwise_conv2d, separable_conv2d } from './depthwise.js';
import { dense } from './dense.js';
import { dropout } from './dropout.js';
import { randomNormal, randomUniform } from './random.js';
import { embedding } from './embedding.js';
import { INITIALIZERS } from './initializers.js';
import { LOSSES } from './losses.js';
import { MATH_OPS } from './math.js';
import { add, concat, divide, multiply, subtract } from './merge.js';
import { batchnorm, groupnorm, layernorm } from './normalization.js';
import { OPTIMIZERS } from './optimizers.js';
import { avgpool1d, avgpool2d, global_avgpool, global_maxpool, maxpool1d, maxpool2d } from './pooling.js';
import { position_embedding } from './position-embedding.js';
import { positional_encoding } from './positional-encoding.js';
import { RECURRENT_OPS } from './recurrent.js';
import { flatten, reshape } from './reshape.js';
import { SHAPE_OPS } from './shape-ops.js';
import type { SettingDef } from './settings-types.js';
import { AUGMENTATIONS, CLIPPINGS, EARLY_STOPPING, METRICS, REGULARIZERS, SCHEDULES } from './train-settings.js';
import type { OpDef } from './types.js';
import { upsample1d, upsample2d } from './upsample.js';

/**
 * Every name the language knows, found by name: ops (layers, activations, merges, shape ops) and
 * the train section's vocabulary. The checker, the docs, completion and hover all read from here.
 */

export const OPS: readonly OpDef[] = [
  dense,
  conv1d,
  conv2d,
  conv1d_transpose,
  conv2d_transpose,
  depthwise_conv2d,
  separable_conv2d,
  upsample1d,
  upsample2d,
  maxpool1d,
  maxpool2d,
  avgpool1d,
  avgpool2d,
  global_avgpool,
  global_maxpool,
  flatten,
  reshape,
  ...SHAPE_OPS,
  dropout,
  randomNormal,
  randomUniform,
  batchnorm,
  layernorm,
  groupnorm,
  embedding,
  ...RECURRENT_OPS,
  multi_head_attention,
  positional_encoding,
  position_embedding,
  add,
  concat,
  multiply,
  subtract,
  divide,
  ...MATH_OPS,
  ...ACTIVATION_OPS,
];

const opsByName = new Map(OPS.map((op) => [op.name, op]));

export function findOp(name: string): OpDef | undefined {
  return opsByName.get(name);
}

/** What the language accepts as an activation argument: the kernel table's activations, and softmax. */
export const ACTIVATION_OP_NAMES: readonly string[] = OPS.filter((op) => op.category === 'activation').map((op) => op.name);

export { EARLY_STOPPING };

export const SETTINGS: readonly SettingDef[] = [
  ...LOSSES,
  ...OPTIMIZERS,
  ...SCHEDULES,
  ...CLIPPINGS,
  ...REGULARIZERS,
  ...AUGMENTATIONS,
  ...METRICS,
  ...INITIALIZERS,
  EARLY_STOPPING,
];

export function findSetting(kind: SettingDef['kind'], name: string): SettingDef | undefined {
  return SETTINGS.find((s) => s.kind === kind && s.name === name);
}

export function settingNames(kind: SettingDef['kind']): string[] {
  return SETTINGS.filter((s) => s.kind === kind).map((s) => s.name);
}

/** The keys a train section understands, with a line of documentation each. */
export const TRAIN_KEYS: Readonly<Record<string, string>> = {
  loss: 'The loss, a weighted sum of losses and scalar model values: loss cross_entropy(logits, label) + 0.5 * mse(recon, x) + kl.',
  optimizer: `The optimizer (default ${TRAIN_DEFAULTS.optimizer.kind} with its defaults): optimizer sgd(lr: 0.1, momentum: 0.9).`,
  schedule: 'A learning-rate schedule: step, exponential, cosine (per: epoch or step), one_cycle (per step).',
  warmup: `Steps of linear learning-rate warmup, on top of the schedule (default ${TRAIN_DEFAULTS.warmup}).`,
  clip: 'Gradient clipping before each update: clip norm(1.0), value(0.5).',
  regularize: 'Global l1/l2 penalties on every weight: regularize l2(1e-4).',
  augment: 'Data augmentation of the inputs: augment noise(0.05), shift(2), flip.',
  epochs: `Passes over the training data (default ${TRAIN_DEFAULTS.epochs}).`,
  batch: `Samples per optimizer step (default ${TRAIN_DEFAULTS.batch}).`,
  validation: `Fraction of the training data held out for validation, in [0, 1) (default ${TRAIN_DEFAULTS.validation}).`,
  early_stopping: 'early_stopping(monitor: val_loss, patience: 3).',
  metrics: 'Metrics reported per epoch, of the loss\'s prediction or a named one: accuracy, f1, mae(out, target) (default: accuracy or mae; the loss is always reported).',
  seed: `Seed for initialisation, shuffling, dropout and augmentation (default ${TRAIN_DEFAULTS.seed}).`,
  data: 'The dataset: a built-in name (digits, iris, xor) or a file path, with options.',
};
