/**
 * What a plan records of the model's train section (`Plan.training.config`): the loss and
 * optimizer with their hyper-parameters, and the loop's settings. The compiler writes it from the
 * checked train section (compiler/train-config.ts builds on these types, adding source ranges and
 * graph nodes); the training loop reads it back (runtime/train/config.ts). Declared once here,
 * in the plan contract, so the two sides cannot drift apart. Their defaults are TRAIN_DEFAULTS below.
 */

export type LossKind = 'mse' | 'mae' | 'binary_cross_entropy' | 'cross_entropy' | 'huber' | 'kl_divergence';

export interface LossSettings {
  kind: LossKind;
  /** binary_cross_entropy / cross_entropy: prediction holds logits (default true) or probabilities. */
  fromLogits: boolean;
  /** cross_entropy: integer class labels of rank one less than the prediction. */
  sparse: boolean;
  /** huber only. */
  delta: number;
}

export type OptimizerSpec =
  | { kind: 'gd'; lr: number }
  | { kind: 'sgd'; lr: number; momentum: number; nesterov: boolean }
  | { kind: 'adam'; lr: number; beta1: number; beta2: number; epsilon: number }
  | { kind: 'adamw'; lr: number; beta1: number; beta2: number; epsilon: number; weightDecay: number }
  | { kind: 'adagrad'; lr: number; epsilon: number; initialAccumulator: number }
  | { kind: 'rmsprop'; lr: number; rho: number; epsilon: number; momentum: number };


/** Learning-rate schedules, applied once per epoch: lr(e) for epoch e = 0, 1, ... */
export type ScheduleSpec =
  /** lr * gamma^floor(e / every) */
  | { kind: 'step'; every: number; gamma: number }
  /** lr * gamma^e */
  | { kind: 'exponential'; gamma: number }
  /** minLr + (lr - minLr) * (1 + cos(pi * e / epochs)) / 2, with epochs defaulting to the run's epochs */
  | { kind: 'cosine'; epochs: number | null; minLr: number };

export type AugmentSpec =
  /** Adds N(0, std²) noise to the augmented input. */
  | { kind: 'noise'; std: number; input: string | null }
  /** Shifts images by up to `pixels` in each direction, filling with zeros. */
  | { kind: 'shift'; pixels: number; input: string | null }
  /** Mirrors images left-right with probability 0.5. */
  | { kind: 'flip'; input: string | null };

type Monitor = 'loss' | 'val_loss' | 'accuracy' | 'val_accuracy';

export interface EarlyStoppingSpec {
  monitor: Monitor;
  patience: number;
  minDelta: number;
  restoreBest: boolean;
}

export type MetricName = 'loss' | 'accuracy' | 'mae';

export interface DataSettings {
  /** A built-in dataset name (`digits`, `iris`, `xor`) or a file path relative to the .nnet file. */
  source: string;
  /** Named options (`label: "species"` for a CSV label column, ...). */
  options: Record<string, string | number | boolean>;
}

export interface PlanTrainSettings {
  loss: LossSettings;
  optimizer: OptimizerSpec;
  schedule: ScheduleSpec | null;
  /** Global regularisation of every trainable weight (not biases); per-layer terms are in the update steps. */
  regularize: { l1: number; l2: number };
  augment: AugmentSpec[];
  earlyStopping: EarlyStoppingSpec | null;
  epochs: number;
  batch: number;
  /** Fraction of the training data held out for validation, in [0, 1). */
  validation: number;
  metrics: MetricName[];
  seed: number;
  data: DataSettings | null;
}

/**
 * What a train section without a setting gets, declared once: the checker fills them in
 * (compiler/check/train-section.ts), adam's own parameter defaults are these
 * (compiler/ops/optimizers.ts), the loop falls back to them for a plan file that lacks a field
 * (runtime/train/config.ts), and docs/language.md states them (the TRAIN_KEYS lines of
 * compiler/ops/registry.ts are written from them, and a test compares the docs with those lines).
 */
export const TRAIN_DEFAULTS = {
  optimizer: { kind: 'adam', lr: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
  epochs: 10,
  batch: 32,
  validation: 0,
  metrics: ['loss'],
  seed: 42,
} as const satisfies Pick<PlanTrainSettings, 'epochs' | 'batch' | 'validation' | 'seed'> & {
  optimizer: OptimizerSpec & { kind: 'adam' };
  metrics: readonly MetricName[];
};
