import type { SettingDef } from './settings-types.js';
import type { ParamDef } from './types.js';

/** Schedules, regularisers, augmentations, metrics and early stopping of the train section. */

const perParam: ParamDef = {
  name: 'per',
  kind: 'choice',
  doc: 'epoch: one rate per epoch; step: re-evaluated at every step at the fractional epoch.',
  default: 'epoch',
  choices: ['epoch', 'step'],
  namedOnly: true,
};

export const SCHEDULES: readonly SettingDef[] = [
  {
    name: 'step',
    kind: 'schedule',
    doc: 'lr · gamma^floor(epoch / every).',
    params: [
      { name: 'every', kind: 'int', doc: 'Epochs between drops.', default: 10, min: 1 },
      { name: 'gamma', kind: 'number', doc: 'Factor per drop, in (0, 1].', default: 0.1, min: 0, max: 1, minExclusive: true },
      perParam,
    ],
  },
  {
    name: 'exponential',
    kind: 'schedule',
    doc: 'lr · gamma^epoch.',
    params: [{ name: 'gamma', kind: 'number', doc: 'Factor per epoch, in (0, 1].', default: 0.95, min: 0, max: 1, minExclusive: true }, perParam],
  },
  {
    name: 'cosine',
    kind: 'schedule',
    doc: 'Cosine decay from lr to min_lr over `epochs` (default: the run\'s epochs).',
    params: [
      { name: 'epochs', kind: 'int', doc: 'Length of the decay.', default: null, defaultText: 'the run\'s epochs', min: 1 },
      { name: 'min_lr', kind: 'number', doc: 'Final learning rate (≥ 0).', default: 0, min: 0 },
      perParam,
    ],
  },
  {
    name: 'one_cycle',
    kind: 'schedule',
    doc: 'One cycle per step (PyTorch OneCycleLR, cosine): from lr / div up to the optimizer\'s lr over pct_start of the run, then down to lr / (div · final_div).',
    params: [
      { name: 'pct_start', kind: 'number', doc: 'Fraction of the run spent rising, in (0, 1).', default: 0.3, min: 0, max: 1, minExclusive: true, maxExclusive: true },
      { name: 'div', kind: 'number', doc: 'The starting rate is lr / div (> 0).', default: 25, min: 0, minExclusive: true },
      { name: 'final_div', kind: 'number', doc: 'The final rate is lr / (div · final_div) (> 0).', default: 1e4, min: 0, minExclusive: true },
    ],
  },
];

/** `clip norm(1.0)`, `clip value(0.5)`, or both: gradient clipping before the optimizer step. */
export const CLIPPINGS: readonly SettingDef[] = [
  {
    name: 'norm',
    kind: 'clip',
    doc: 'Scales every gradient by min(1, max / ‖g‖), ‖g‖ the global L2 norm over all trainable parameters (PyTorch clip_grad_norm_).',
    params: [{ name: 'max', kind: 'number', doc: 'The largest global norm (> 0).', min: 0, minExclusive: true }],
  },
  {
    name: 'value',
    kind: 'clip',
    doc: 'Clamps every gradient element to [-max, max] (Keras clipvalue).',
    params: [{ name: 'max', kind: 'number', doc: 'The largest magnitude (> 0).', min: 0, minExclusive: true }],
  },
];

export const REGULARIZERS: readonly SettingDef[] = [
  { name: 'l1', kind: 'regularizer', doc: 'Adds factor·Σ|w| over every weight (not biases).', params: [{ name: 'factor', kind: 'number', doc: 'Penalty factor (≥ 0).', min: 0 }] },
  { name: 'l2', kind: 'regularizer', doc: 'Adds factor·Σw² over every weight (not biases).', params: [{ name: 'factor', kind: 'number', doc: 'Penalty factor (≥ 0).', min: 0 }] },
];

const inputParam = { name: 'on', kind: 'word', doc: 'The input to augment (default: the first float input).', default: null, namedOnly: true } as const;

export const AUGMENTATIONS: readonly SettingDef[] = [
  { name: 'noise', kind: 'augmentation', doc: 'Adds Gaussian noise N(0, std²).', params: [{ name: 'std', kind: 'number', doc: 'Standard deviation (> 0).', default: 0.1, min: 0, minExclusive: true }, inputParam] },
  { name: 'shift', kind: 'augmentation', doc: 'Shifts images by up to `pixels` in each direction.', params: [{ name: 'pixels', kind: 'int', doc: 'Largest shift.', default: 2, min: 1 }, inputParam] },
  { name: 'flip', kind: 'augmentation', doc: 'Mirrors images left-right with probability 0.5.', params: [inputParam] },
];

/**
 * Metrics: `accuracy` reads the first loss's prediction and target; `accuracy(probs, label)` names
 * its own. Classification metrics decide by argmax over the last axis, or by a threshold for one unit.
 */
const metricPred: ParamDef = { name: 'prediction', kind: 'tensor', doc: 'The prediction (default: the first loss\'s).', default: null };
const metricTarget: ParamDef = { name: 'target', kind: 'tensor', doc: 'The target (default: the first loss\'s).', default: null };

export const METRICS: readonly SettingDef[] = [
  { name: 'loss', kind: 'metric', doc: 'The training loss (always reported).', params: [] },
  { name: 'accuracy', kind: 'metric', doc: 'Fraction of correct class predictions (argmax, or > 0.5 for one output).', params: [metricPred, metricTarget] },
  { name: 'mae', kind: 'metric', doc: 'Mean absolute error.', params: [metricPred, metricTarget] },
  { name: 'precision', kind: 'metric', doc: 'True positives / predicted positives: of class 1 for one output, else the mean over classes (macro).', params: [metricPred, metricTarget] },
  { name: 'recall', kind: 'metric', doc: 'True positives / actual positives: of class 1 for one output, else the mean over classes (macro).', params: [metricPred, metricTarget] },
  { name: 'f1', kind: 'metric', doc: 'Harmonic mean of precision and recall: of class 1 for one output, else the mean of per-class f1 (macro).', params: [metricPred, metricTarget] },
  {
    name: 'top_k_accuracy',
    kind: 'metric',
    doc: 'Fraction of rows whose true class is among the k highest scores.',
    params: [metricPred, metricTarget, { name: 'k', kind: 'int', doc: 'How many of the highest scores count.', default: 5, min: 1, namedOnly: true }],
  },
];

export const EARLY_STOPPING: SettingDef = {
  name: 'early_stopping',
  kind: 'callback',
  doc: 'Stops training when the monitored metric stops improving.',
  params: [
    { name: 'monitor', kind: 'choice', doc: 'loss, val_loss, accuracy or val_accuracy.', default: 'val_loss', choices: ['loss', 'val_loss', 'accuracy', 'val_accuracy'] },
    { name: 'patience', kind: 'int', doc: 'Epochs without improvement before stopping.', default: 5, min: 1 },
    { name: 'min_delta', kind: 'number', doc: 'Smallest change that counts as improvement.', default: 0, min: 0 },
    { name: 'restore_best', kind: 'bool', doc: 'Restore the best weights when stopping.', default: true },
  ],
};
