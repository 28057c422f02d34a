import type { Plan } from '../plan/format.js';
import { TRAIN_DEFAULTS, type LossKind, type LossSettings, type MetricName, type MetricSpec, type PlanTrainSettings } from '../plan/train-settings.js';

export type { LossKind } from '../plan/train-settings.js';

/**
 * The loop's settings, read from the plan's `training.config` (runtime/plan/train-settings.ts,
 * written by the compiler from the checked train section). A plan may come from a file, so every
 * field is read defensively: a missing one takes its default (TRAIN_DEFAULTS, the checker's), a wrong
 * one is an error.
 */
export interface LoopConfig extends Omit<PlanTrainSettings, 'loss' | 'losses' | 'optimizer' | 'regularize' | 'clip'> {
  /** The loss as the loop needs it (metrics, decisions; `mask`: a masked loss's rows); its gradient is the plan's business. */
  loss: Pick<LossSettings, 'kind' | 'fromLogits' | 'sparse'> & { mask?: string };
  /** The optimizer's base learning rate, which the schedule scales. */
  lr: number;
}

/** Command-line overrides (`--epochs`, `--batch`, `--seed`). */
export type LoopOverrides = Partial<Pick<LoopConfig, 'epochs' | 'batch' | 'seed' | 'validation'>>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function readLoopConfig(plan: Plan, overrides: LoopOverrides = {}): LoopConfig {
  if (!plan.training) throw new ConfigError(`model '${plan.model}' has no train section, so it cannot be trained`);
  // Partial: a plan read from a file may lack fields (each takes its default below).
  const c: Partial<PlanTrainSettings> = plan.training.config ?? {};
  const config: LoopConfig = {
    loss: { kind: c.loss?.kind ?? 'mse', fromLogits: c.loss?.fromLogits !== false, sparse: c.loss?.sparse === true, ...firstLossMask(c) },
    lr: numberOr(c.optimizer?.lr, TRAIN_DEFAULTS.optimizer.lr),
    schedule: c.schedule ?? null,
    warmup: numberOr(c.warmup, TRAIN_DEFAULTS.warmup),
    augment: c.augment ?? [],
    earlyStopping: c.earlyStopping ?? null,
    epochs: numberOr(c.epochs, TRAIN_DEFAULTS.epochs),
    batch: numberOr(c.batch, TRAIN_DEFAULTS.batch),
    validation: numberOr(c.validation, TRAIN_DEFAULTS.validation),
    metrics: readMetrics(c.metrics),
    seed: numberOr(c.seed, TRAIN_DEFAULTS.seed),
    data: c.data ?? null,
    ...overrides,
  };
  if (!(Number.isInteger(config.epochs) && config.epochs >= 1)) throw new ConfigError(`epochs must be a positive integer, got ${config.epochs}`);
  if (!(Number.isInteger(config.batch) && config.batch >= 1)) throw new ConfigError(`batch must be a positive integer, got ${config.batch}`);
  if (!(config.validation >= 0 && config.validation < 1)) throw new ConfigError(`validation must be in [0, 1), got ${config.validation}`);
  oneOf('the loss', config.loss.kind, ['mse', 'mae', 'binary_cross_entropy', 'cross_entropy', 'huber', 'kl_divergence']);
  if (!(Number.isInteger(config.warmup) && config.warmup >= 0)) throw new ConfigError(`warmup must be a whole number of steps ≥ 0, got ${config.warmup}`);
  if (config.schedule) oneOf('the schedule', config.schedule.kind, ['step', 'exponential', 'cosine', 'one_cycle']);
  if (config.schedule && config.schedule.kind !== 'one_cycle') oneOf('the schedule\'s per', config.schedule.per ?? 'epoch', ['epoch', 'step']);
  for (const augment of config.augment) oneOf('an augmentation', augment.kind, ['noise', 'shift', 'flip']);
  if (config.earlyStopping) oneOf('early stopping monitor', config.earlyStopping.monitor, ['loss', 'val_loss', 'accuracy', 'val_accuracy']);
  return config;
}

/** The first loss function's mask (a masked cross-entropy), which the default metric counts by. */
function firstLossMask(c: Partial<PlanTrainSettings>): { mask?: string } {
  const first = Array.isArray(c.losses) ? c.losses.find((t) => t.kind !== 'value') : undefined;
  return first && 'mask' in first && typeof first.mask === 'string' ? { mask: first.mask } : {};
}

const METRIC_NAMES: readonly MetricName[] = ['accuracy', 'mae', 'precision', 'recall', 'f1', 'top_k_accuracy'];

/** The plan's metrics; plans written before metrics named their tensors list bare names, which add nothing to the default. */
function readMetrics(raw: unknown): MetricSpec[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw new ConfigError(`metrics in the plan's training.config must be a list`);
  const metrics: MetricSpec[] = [];
  for (const m of raw as unknown[]) {
    if (typeof m === 'string') {
      oneOf('a metric', m, ['loss', 'accuracy', 'mae']);
      continue;
    }
    const spec = m as Partial<MetricSpec> | null;
    oneOf('a metric', spec?.name, METRIC_NAMES);
    if (typeof spec!.key !== 'string' || typeof spec!.prediction !== 'string' || typeof spec!.target !== 'string') {
      throw new ConfigError(`metric ${JSON.stringify(spec!.name)} in the plan's training.config needs a key, a prediction and a target`);
    }
    if (spec!.k !== undefined && !(Number.isInteger(spec!.k) && spec!.k >= 1)) throw new ConfigError(`top_k_accuracy's k must be a positive integer, got ${spec!.k}`);
    metrics.push(spec as MetricSpec);
  }
  return metrics;
}

function oneOf(what: string, value: unknown, allowed: readonly string[]): void {
  if (typeof value !== 'string' || !allowed.includes(value)) {
    throw new ConfigError(`${what} in the plan's training.config is ${JSON.stringify(value)}; expected one of ${allowed.join(', ')}`);
  }
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/** Classification losses get accuracy; regression losses get mean absolute error. */
export function isClassification(loss: LossKind): boolean {
  return loss === 'cross_entropy' || loss === 'binary_cross_entropy';
}
