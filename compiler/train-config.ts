import type { SourceRange } from '../grammar/ast.js';

/**
 * The checked `train` section, resolved to plain values with every default filled in.
 * The front end builds it (compiler/check/train-section.ts); the back end turns it into loss,
 * backward and update steps; the training loop reads the loop settings (epochs, batch, ...).
 * Defaults are documented in docs/language.md and must match the ones filled in here.
 */

export type LossKind = 'mse' | 'mae' | 'binary_cross_entropy' | 'cross_entropy' | 'huber' | 'kl_divergence';

export interface LossSpec {
  kind: LossKind;
  /** IR node id of the prediction (a model value) and of the target (usually a label input). */
  pred: number;
  target: number;
  /** binary_cross_entropy / cross_entropy: prediction holds logits (default true) or probabilities. */
  fromLogits: boolean;
  /** cross_entropy: integer class labels of rank one less than pred (inferred from the target's dtype). */
  sparse: boolean;
  /** huber only. */
  delta: number;
  range: SourceRange;
}

export type OptimizerSpec =
  | { kind: 'gd'; lr: number }
  | { kind: 'sgd'; lr: number; momentum: number; nesterov: boolean }
  | { kind: 'adam'; lr: number; beta1: number; beta2: number; epsilon: number }
  | { kind: 'adamw'; lr: number; beta1: number; beta2: number; epsilon: number; weightDecay: number }
  | { kind: 'adagrad'; lr: number; epsilon: number; initialAccumulator: number }
  | { kind: 'rmsprop'; lr: number; rho: number; epsilon: number; momentum: number };

export type OptimizerKind = OptimizerSpec['kind'];

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

export interface EarlyStoppingSpec {
  monitor: 'loss' | 'val_loss' | 'accuracy' | 'val_accuracy';
  patience: number;
  minDelta: number;
  restoreBest: boolean;
}

export interface DataSpec {
  /** A built-in dataset name (`digits`, `iris`, `xor`) or a file path relative to the .nnet file. */
  source: string;
  /** Named options (`label: "species"` for a CSV label column, ...). */
  options: Record<string, string | number | boolean>;
  range: SourceRange;
}

export interface TrainConfig {
  loss: LossSpec;
  optimizer: OptimizerSpec;
  schedule: ScheduleSpec | null;
  /** Global regularisation of every trainable weight (not biases); per-layer terms live on ParamInfo. */
  regularize: { l1: number; l2: number };
  augment: AugmentSpec[];
  earlyStopping: EarlyStoppingSpec | null;
  epochs: number;
  batch: number;
  /** Fraction of the training data held out for validation, in [0, 1). */
  validation: number;
  metrics: Array<'loss' | 'accuracy' | 'mae'>;
  seed: number;
  data: DataSpec | null;
  range: SourceRange;
}

/** A `gan` declaration: two checked models and the adversarial training settings. */
export interface GanConfig {
  name: string;
  generator: string;
  discriminator: string;
  /** The generator's latent input name and the discriminator's input that receives real/fake samples. */
  latentInput: string;
  sampleInput: string;
  optimizer: OptimizerSpec;
  epochs: number;
  batch: number;
  seed: number;
  data: DataSpec | null;
  range: SourceRange;
}
