import type { DiagnosticDef } from './types.js';

/** The train section and gan training (NN3xxx), reported by compiler/check/train-section.ts and gan.ts. */
export const TRAINING_DIAGNOSTICS = [
  {
    code: 'NN3001',
    severity: 'error',
    template: 'the train section has no loss',
    explanation: 'Training needs a loss: `loss cross_entropy(logits, label)`.',
  },
  {
    code: 'NN3002',
    severity: 'error',
    template: "unknown train setting '{0}'{1}",
    explanation: 'The key is not one of loss, optimizer, schedule, regularize, augment, epochs, batch, validation, early_stopping, metrics, seed, data.',
  },
  {
    code: 'NN3003',
    severity: 'error',
    template: "unknown {0} '{1}'{2}",
    explanation: 'The name is not a known loss, optimizer, schedule, regulariser, augmentation or metric. A close match is suggested.',
  },
  {
    code: 'NN3004',
    severity: 'error',
    template: '{0}: {1}',
    explanation: 'The loss\'s prediction and target do not fit: mse, mae and huber need equal shapes; sparse cross_entropy needs int class ids of rank one less than the prediction; dense cross-entropy needs equal shapes.',
  },
  {
    code: 'NN3005',
    severity: 'error',
    template: '{0} must be {1}, got {2}',
    explanation: 'A training hyper-parameter is out of range: lr > 0, betas and momentum in [0, 1), epochs and batch positive whole numbers, validation in [0, 1).',
  },
  {
    code: 'NN3006',
    severity: 'warning',
    template: "'{0}' is already a {1} output, but {2} reads logits (from_logits: true)",
    explanation: 'The loss applies softmax itself, so the probabilities are squashed twice and training stalls. Pass the logits (the value before softmax) or write `from_logits: false`.',
  },
  {
    code: 'NN3007',
    severity: 'warning',
    template: "'{0}' comes from a sigmoid, but cross_entropy is multi-class; use binary_cross_entropy or softmax",
    explanation: 'Sigmoid outputs are independent yes/no probabilities; multi-class cross-entropy expects a distribution over classes (logits or softmax).',
  },
  {
    code: 'NN3008',
    severity: 'error',
    template: "'{0}' is set twice",
    explanation: 'Each train setting appears at most once (metrics and augment take lists: `metrics accuracy, mae`).',
  },
  {
    code: 'NN3009',
    severity: 'error',
    template: "{0} expects {1}",
    explanation: 'The setting\'s value has the wrong form, such as a name where a number belongs (`epochs ten`) or several values where one belongs.',
  },
  {
    code: 'NN3010',
    severity: 'error',
    template: "the loss target '{0}' is computed by the model; the target must be an input",
    explanation: 'Targets come from the data: declare the labels as an input (`input label: [batch] int`).',
  },
  {
    code: 'NN3011',
    severity: 'warning',
    template: '{0}',
    explanation: 'A training setting is legal but probably not what was meant, such as early stopping on val_loss without a validation split.',
  },
  {
    code: 'NN3012',
    severity: 'error',
    template: "augmentation '{0}' {1}",
    explanation: 'Augmentations apply to a float model input; shift and flip need an image input ([batch, h, w] or [batch, h, w, c]).',
  },
  {
    code: 'NN3013',
    severity: 'error',
    template: 'the loss {0}',
    explanation: 'The loss is a weighted sum: loss functions and scalar model values, each optionally times a constant (`loss cross_entropy(a, y) + 0.5 * mse(b, z) + kl`). A term that is a tensor of more than one element, a product of two tensors or a lone constant has no place in it.',
  },
] as const satisfies readonly DiagnosticDef[];
