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
  /** Cross-entropies: label smoothing ε in [0, 1) (0: none). */
  smoothing: number;
  /** Cross-entropies: a weight per class ([w0, w1] for binary), multiplying each row's loss (Keras class_weight); null: none. */
  classWeights: number[] | null;
}

/**
 * One term of the total loss `Σ weight · loss(prediction, target) + Σ weight · value`: a loss
 * function of a prediction and a target, or (`kind: 'value'`) a scalar the model computes itself
 * (a VAE's KL term). `prediction`, `target` and `value` are plan tensor names.
 */
export type LossTerm =
  | (LossSettings & { weight: number; prediction: string; target: string; mask?: string })
  | { kind: 'value'; weight: number; value: string };

export type OptimizerSpec =
  | { kind: 'gd'; lr: number }
  | { kind: 'sgd'; lr: number; momentum: number; nesterov: boolean }
  | { kind: 'adam'; lr: number; beta1: number; beta2: number; epsilon: number }
  | { kind: 'adamw'; lr: number; beta1: number; beta2: number; epsilon: number; weightDecay: number }
  | { kind: 'adagrad'; lr: number; epsilon: number; initialAccumulator: number }
  | { kind: 'rmsprop'; lr: number; rho: number; epsilon: number; momentum: number };


/**
 * Learning-rate schedules. step, exponential and cosine are functions of the epoch e: with
 * `per: 'epoch'` e = 0, 1, ... for a whole epoch; with `per: 'step'` the loop re-evaluates them at
 * every step with the fractional epoch e = step / steps per epoch. one_cycle is per step.
 */
export type ScheduleSpec =
  /** lr * gamma^floor(e / every) */
  | { kind: 'step'; every: number; gamma: number; per: SchedulePer }
  /** lr * gamma^e */
  | { kind: 'exponential'; gamma: number; per: SchedulePer }
  /** minLr + (lr - minLr) * (1 + cos(pi * e / epochs)) / 2, with epochs defaulting to the run's epochs */
  | { kind: 'cosine'; epochs: number | null; minLr: number; per: SchedulePer }
  /**
   * PyTorch's OneCycleLR (cosine annealing, two phases) with max_lr = the optimizer's lr: from
   * lr / div up to lr over the first pctStart of the run's steps, then down to lr / (div · finalDiv).
   */
  | { kind: 'one_cycle'; pctStart: number; div: number; finalDiv: number };

export type SchedulePer = 'epoch' | 'step';

/** Gradient clipping, applied to the gradients (after regularisation) before the optimizer reads them. */
export interface ClipSpec {
  /** Each gradient element clamped to [-value, value]; null: none. */
  value: number | null;
  /** Every gradient scaled by min(1, norm / ‖g‖), ‖g‖ the global L2 norm over all trainable parameters (PyTorch's clip_grad_norm_); null: none. */
  norm: number | null;
}

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

export type MetricName = 'loss' | 'accuracy' | 'mae' | 'precision' | 'recall' | 'f1' | 'top_k_accuracy';

/**
 * A metric the loop reports: of a prediction and a target (plan tensor names; by default the first
 * loss's), under `key` in the history (`accuracy`, `f1`, `mae(out)`, `top5_accuracy`).
 */
export interface MetricSpec {
  name: MetricName;
  key: string;
  prediction: string;
  target: string;
  /** A mask [rows] of the prediction's rows (nonzero = counted): a masked loss's, for its prediction and target. */
  mask?: string;
  /** top_k_accuracy only. */
  k?: number;
}

export interface DataSettings {
  /** A built-in dataset name (`digits`, `iris`, `xor`) or a file path relative to the .nnet file. */
  source: string;
  /** Named options (`label: "species"` for a CSV label column, ...). */
  options: Record<string, string | number | boolean>;
}

export interface PlanTrainSettings {
  /** The first loss function of the loss expression (what the default metric reads). */
  loss: LossSettings;
  /** Every term of the loss expression, the first loss included (weights 1 for a single loss). */
  losses: LossTerm[];
  optimizer: OptimizerSpec;
  schedule: ScheduleSpec | null;
  /** Linear warmup over this many steps: the step's lr (after the schedule) times min(1, (step + 1) / warmup); 0 = none. */
  warmup: number;
  /** Gradient clipping by value and/or by global norm (in the plan's update steps). */
  clip: ClipSpec;
  /** Global regularisation of every trainable weight (not biases); per-layer terms are in the update steps. */
  regularize: { l1: number; l2: number };
  augment: AugmentSpec[];
  earlyStopping: EarlyStoppingSpec | null;
  epochs: number;
  batch: number;
  /** Fraction of the training data held out for validation, in [0, 1). */
  validation: number;
  /** The metrics asked for besides the loss (the loop adds accuracy or mae of the first loss when this is empty). */
  metrics: MetricSpec[];
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
  seed: 42,
  warmup: 0,
  clip: { value: null, norm: null },
} as const satisfies Pick<PlanTrainSettings, 'epochs' | 'batch' | 'validation' | 'seed' | 'warmup' | 'clip'> & {
  optimizer: OptimizerSpec & { kind: 'adam' };
};
