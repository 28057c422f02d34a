import type { SourceRange } from '../grammar/ast.js';
import type { DataSettings, LossSettings, MetricSpec, OptimizerSpec, PlanTrainSettings } from '../runtime/plan/train-settings.js';

/**
 * The checked `train` section, resolved to plain values with every default filled in.
 * The front end builds it (compiler/check/train-section.ts); the back end turns it into loss,
 * backward and update steps; the training loop reads the loop settings (epochs, batch, ...).
 * Defaults are documented in docs/language.md and must match the ones filled in here.
 */

export type { AugmentSpec, EarlyStoppingSpec, LossKind, OptimizerSpec, ScheduleSpec } from '../runtime/plan/train-settings.js';

/** The loss as checked: the plan's loss settings, plus the graph nodes it compares and where it was written. */
export interface LossSpec extends LossSettings {
  /** IR node id of the prediction (a model value) and of the target (usually a label input). */
  pred: number;
  target: number;
  /** The loss's `mask:` node: rows (or elements) whose mask is 0 (padding) do not count; null: every one. */
  mask?: number | null;
  range: SourceRange;
}

/** One term of the loss expression: a weighted loss function, or a weighted scalar model value (`kind: 'value'`). */
export type LossTermSpec =
  | (LossSpec & { weight: number })
  | { kind: 'value'; weight: number; value: number; range: SourceRange };

/** A metric as checked: the plan's metric with graph nodes in place of tensor names. */
export interface MetricCheck extends Omit<MetricSpec, 'prediction' | 'target' | 'mask'> {
  prediction: number;
  target: number;
  mask?: number;
}

export interface DataSpec extends DataSettings {
  range: SourceRange;
}

/** The plan's train settings (runtime/plan/train-settings.ts) with their source locations. */
export interface TrainConfig extends Omit<PlanTrainSettings, 'loss' | 'losses' | 'metrics' | 'data'> {
  /** The first loss function of the loss expression. */
  loss: LossSpec;
  /** Every term of the loss expression (the first loss included). */
  losses: LossTermSpec[];
  metrics: MetricCheck[];
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
