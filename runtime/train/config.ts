import type { Plan, PlanAttr } from '../plan/format.js';

/**
 * The loop's settings, read from the plan's `training.config` (the checked train section, written
 * by the compiler as JSON; see compiler/train-config.ts for the meaning and defaults of each field).
 * The runtime never imports the compiler, so this file restates the shape it reads and checks it.
 */
export type Schedule =
  | { kind: 'step'; every: number; gamma: number }
  | { kind: 'exponential'; gamma: number }
  | { kind: 'cosine'; epochs: number | null; minLr: number };

export type Augment =
  | { kind: 'noise'; std: number; input: string | null }
  | { kind: 'shift'; pixels: number; input: string | null }
  | { kind: 'flip'; input: string | null };

export type Monitor = 'loss' | 'val_loss' | 'accuracy' | 'val_accuracy';

export interface EarlyStoppingConfig {
  monitor: Monitor;
  patience: number;
  minDelta: number;
  restoreBest: boolean;
}

export type LossKind = 'mse' | 'mae' | 'binary_cross_entropy' | 'cross_entropy' | 'huber' | 'kl_divergence';

export interface LoopConfig {
  loss: { kind: LossKind; fromLogits: boolean; sparse: boolean };
  lr: number;
  schedule: Schedule | null;
  augment: Augment[];
  earlyStopping: EarlyStoppingConfig | null;
  epochs: number;
  batch: number;
  validation: number;
  metrics: Array<'loss' | 'accuracy' | 'mae'>;
  seed: number;
  data: { source: string; options: Record<string, string | number | boolean> } | null;
}

/** Command-line overrides (`--epochs`, `--batch`, `--seed`). */
export type LoopOverrides = Partial<Pick<LoopConfig, 'epochs' | 'batch' | 'seed' | 'validation'>>;

export class ConfigError extends Error {}

export function readLoopConfig(plan: Plan, overrides: LoopOverrides = {}): LoopConfig {
  if (!plan.training) throw new ConfigError(`model '${plan.model}' has no train section, so it cannot be trained`);
  const c = plan.training.config as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const loss = (c.loss ?? {}) as Record<string, PlanAttr>;
  const optimizer = (c.optimizer ?? {}) as Record<string, PlanAttr>;
  const config: LoopConfig = {
    loss: { kind: (loss.kind as LossKind) ?? 'mse', fromLogits: loss.fromLogits !== false, sparse: loss.sparse === true },
    lr: numberOr(optimizer.lr, 0.01),
    schedule: (c.schedule as Schedule | null) ?? null,
    augment: (c.augment as Augment[] | undefined) ?? [],
    earlyStopping: (c.earlyStopping as EarlyStoppingConfig | null) ?? null,
    epochs: numberOr(c.epochs, 10),
    batch: numberOr(c.batch, 32),
    validation: numberOr(c.validation, 0),
    metrics: (c.metrics as LoopConfig['metrics'] | undefined) ?? ['loss'],
    seed: numberOr(c.seed, 0),
    data: (c.data as LoopConfig['data']) ?? null,
    ...overrides,
  };
  if (!(Number.isInteger(config.epochs) && config.epochs >= 1)) throw new ConfigError(`epochs must be a positive integer, got ${config.epochs}`);
  if (!(Number.isInteger(config.batch) && config.batch >= 1)) throw new ConfigError(`batch must be a positive integer, got ${config.batch}`);
  if (!(config.validation >= 0 && config.validation < 1)) throw new ConfigError(`validation must be in [0, 1), got ${config.validation}`);
  return config;
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/** Classification losses get accuracy; regression losses get mean absolute error. */
export function isClassification(loss: LossKind): boolean {
  return loss === 'cross_entropy' || loss === 'binary_cross_entropy';
}
