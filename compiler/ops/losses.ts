import type { SettingDef } from './settings-types.js';
import type { ParamDef } from './types.js';

/**
 * Losses: `loss NAME(prediction, target, ...)`. Cross-entropies read logits by default
 * (`from_logits: true`); cross_entropy is sparse when the target is an int tensor of rank one less
 * than the prediction (class ids), dense (one-hot or probabilities) when the shapes are equal.
 */

const pred: ParamDef = { name: 'prediction', kind: 'tensor', doc: 'A model value (the prediction).' };
const target: ParamDef = { name: 'target', kind: 'tensor', doc: 'The target, usually a label input.' };
const fromLogits: ParamDef = {
  name: 'from_logits',
  kind: 'bool',
  doc: 'The prediction holds logits (true, the default and the stable choice) or probabilities (false).',
  default: true,
  namedOnly: true,
};

const labelSmoothing: ParamDef = {
  name: 'label_smoothing',
  kind: 'number',
  doc: 'Mixes the targets with the uniform distribution: t·(1 − ε) + ε/K (ε/2 for binary), ε in [0, 1).',
  default: 0,
  min: 0,
  max: 1,
  maxExclusive: true,
  namedOnly: true,
};
const mask: ParamDef = {
  name: 'mask',
  kind: 'tensor',
  doc: 'A mask of the rows (the prediction\'s shape without its class axis, int or float): rows where it is 0 (padding) do not count; the loss is the mean over the others (Keras\' masked loss, PyTorch\'s ignore_index).',
  default: null,
  defaultText: 'none (every row)',
  namedOnly: true,
};
/** The per-element losses' mask: a padded sequence's steps (Keras' mask) or each element. */
const elementMask: ParamDef = {
  ...mask,
  doc: 'A mask (int or float) of the prediction\'s shape without its last axis (a padded sequence\'s steps, Keras\' mask) or of its whole shape (each element): where it is 0 (padding) nothing counts; the loss is the mean over the other elements.',
  defaultText: 'none (every element)',
};
const classWeights: ParamDef = {
  name: 'class_weights',
  kind: 'numbers',
  doc: 'A weight per class (≥ 0; [w0, w1] for binary) multiplying each row\'s loss, as Keras\'s class_weight: the mean over rows of w·loss.',
  default: null,
  defaultText: 'none',
  min: 0,
  namedOnly: true,
};

export const LOSSES: readonly SettingDef[] = [
  { name: 'mse', kind: 'loss', doc: 'Mean squared error; prediction and target of equal shape.', params: [pred, target, elementMask] },
  { name: 'mae', kind: 'loss', doc: 'Mean absolute error; prediction and target of equal shape.', params: [pred, target, elementMask] },
  {
    name: 'huber',
    kind: 'loss',
    doc: 'Squared error below `delta`, absolute error above it: robust regression.',
    params: [pred, target, { name: 'delta', kind: 'number', doc: 'Where the loss turns linear.', default: 1, min: 0, minExclusive: true }, elementMask],
  },
  {
    name: 'binary_cross_entropy',
    kind: 'loss',
    doc: 'Cross-entropy of independent yes/no outputs; targets in [0, 1] of the prediction\'s shape.',
    params: [pred, target, fromLogits, labelSmoothing, classWeights, elementMask],
  },
  {
    name: 'cross_entropy',
    kind: 'loss',
    doc: 'Multi-class cross-entropy over the last axis; sparse (int class ids) or dense (one-hot) targets.',
    params: [pred, target, fromLogits, labelSmoothing, classWeights, mask],
  },
  { name: 'kl_divergence', kind: 'loss', doc: 'KL(target ‖ prediction) over the last axis; both probability distributions.', params: [pred, target, mask] },
];
