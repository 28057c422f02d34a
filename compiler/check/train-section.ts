import type { Expr, Setting, SourceRange, TrainSection } from '../../grammar/ast.js';
import { TRAIN_DEFAULTS, type SchedulePer } from '../../runtime/plan/train-settings.js';
import type { Graph } from '../ir/graph.js';
import { formatShape } from '../shapes/dims.js';
import { TRAIN_KEYS } from '../ops/registry.js';
import type { ArgValue } from '../ops/types.js';
import type {
  AugmentSpec, DataSpec, EarlyStoppingSpec, LossSpec, LossTermSpec, OptimizerSpec, ScheduleSpec, TrainConfig,
} from '../train-config.js';
import type { Evaluator } from './evaluate.js';
import { checkLossExpression } from './loss-expression.js';
import { checkMetrics } from './metrics-setting.js';
import { namedCall } from './named-call.js';
import { suggest } from './suggest.js';

const MAX_EPOCHS = 1_000_000;
const MAX_BATCH = 1 << 20;
const MAX_STEPS = 1_000_000_000;

/**
 * Checks a model's train section against the model and resolves it into a TrainConfig with every
 * default filled. Returns null when there is no usable loss (the error is reported).
 */
export function checkTrainSection(ev: Evaluator, section: TrainSection, graph: Graph): TrainConfig | null {
  const config = checkTrainSettings(ev, section, graph, true);
  return config.loss ? { ...config, loss: config.loss } : null;
}

/** The first loss function of the terms (the loss expression has at least one). */
function firstLoss(terms: readonly LossTermSpec[]): LossSpec | null {
  for (const term of terms) if (term.kind !== 'value') return term;
  return null;
}

/** Every train setting at its default: what a train section without that setting gets. */
export function defaultTrainSettings(range: SourceRange): Omit<TrainConfig, 'loss'> {
  return {
    losses: [],
    optimizer: TRAIN_DEFAULTS.optimizer,
    schedule: null,
    warmup: TRAIN_DEFAULTS.warmup,
    clip: { ...TRAIN_DEFAULTS.clip },
    regularize: { l1: 0, l2: 0 },
    augment: [],
    earlyStopping: null,
    epochs: TRAIN_DEFAULTS.epochs,
    batch: TRAIN_DEFAULTS.batch,
    validation: TRAIN_DEFAULTS.validation,
    metrics: [],
    seed: TRAIN_DEFAULTS.seed,
    data: null,
    range,
  };
}

/** The train section's settings; `requireLoss` is false for a gan, whose losses are fixed. */
export function checkTrainSettings(ev: Evaluator, section: TrainSection, graph: Graph, requireLoss: boolean): Omit<TrainConfig, 'loss'> & { loss: LossSpec | null } {
  const reporter = ev.ctx.reporter;
  const seen = new Map<string, SourceRange>();
  const config: Omit<TrainConfig, 'loss'> & { loss: LossSpec | null } = { loss: null, ...defaultTrainSettings(section.range) };
  let lossSeen = false;
  const metricSettings: Setting[] = [];

  for (const setting of section.settings) {
    const key = setting.key.name;
    if (setting.key.missing || key === '') continue;
    if (!Object.hasOwn(TRAIN_KEYS, key)) {
      const s = suggest(key, setting.key.range, Object.keys(TRAIN_KEYS));
      reporter.report('NN3002', [key, s.hint], setting.key.range, s.fix ? { fix: s.fix } : {});
      continue;
    }
    if (seen.has(key)) {
      reporter.report('NN3008', [key], setting.key.range, { related: [{ message: `'${key}' is first set here`, range: seen.get(key)! }] });
      continue;
    }
    seen.set(key, setting.key.range);
    switch (key) {
      case 'loss':
        lossSeen = true;
        config.losses = checkLossExpression(ev, setting, graph) ?? [];
        config.loss = firstLoss(config.losses);
        break;
      case 'optimizer':
        config.optimizer = checkOptimizer(ev, setting) ?? config.optimizer;
        break;
      case 'schedule':
        config.schedule = checkSchedule(ev, setting);
        break;
      case 'warmup':
        config.warmup = wholeNumber(ev, setting, 0, MAX_STEPS) ?? config.warmup;
        break;
      case 'clip':
        for (const expr of setting.values) {
          const called = namedCall(ev, setting, expr, 'clip');
          if (called) config.clip[called.def.name as 'norm' | 'value'] = called.args.values.max as number;
        }
        break;
      case 'regularize':
        for (const expr of setting.values) {
          const called = namedCall(ev, setting, expr, 'regularizer');
          if (called) config.regularize[called.def.name as 'l1' | 'l2'] = called.args.values.factor as number;
        }
        break;
      case 'augment':
        for (const expr of setting.values) {
          const augment = checkAugment(ev, setting, expr, graph);
          if (augment) config.augment.push(augment);
        }
        break;
      case 'metrics':
        metricSettings.push(setting); // after the loss, whose prediction and target are the defaults
        break;
      case 'early_stopping': {
        const called = namedCall(ev, setting, setting.values[0], 'callback');
        if (called) config.earlyStopping = earlyStopping(called.args.values);
        break;
      }
      case 'epochs':
        config.epochs = wholeNumber(ev, setting, 1, MAX_EPOCHS) ?? config.epochs;
        break;
      case 'batch':
        config.batch = wholeNumber(ev, setting, 1, MAX_BATCH) ?? config.batch;
        break;
      case 'seed':
        config.seed = wholeNumber(ev, setting, 0, Number.MAX_SAFE_INTEGER) ?? config.seed;
        break;
      case 'validation':
        config.validation = fraction(ev, setting) ?? config.validation;
        break;
      case 'data':
        config.data = checkData(ev, setting);
        break;
    }
  }

  const lossFunctions = config.losses.flatMap((t) => (t.kind === 'value' ? [] : [t]));
  for (const setting of metricSettings) config.metrics = checkMetrics(ev, setting, config.loss, lossFunctions);
  if (!lossSeen && requireLoss) reporter.report('NN3001', [], section.keyword);
  if (config.earlyStopping?.monitor.startsWith('val_') && config.validation === 0) {
    reporter.report('NN3011', [`early stopping monitors ${config.earlyStopping.monitor}, but there is no validation split (add validation 0.1)`], seen.get('early_stopping')!);
  }
  return config;
}

/** The single value of a key/value setting, or a report that the setting expects one. */
function single(ev: Evaluator, setting: Setting, expected: string): Expr | undefined {
  if (setting.values.length !== 1) {
    ev.ctx.reporter.report('NN3009', [setting.key.name, expected], setting.range);
    return undefined;
  }
  return setting.values[0];
}

function number(ev: Evaluator, setting: Setting, expected: string): number | undefined {
  const expr = single(ev, setting, expected);
  if (!expr) return undefined;
  const value = ev.expr(expr, { base: setting.key.name, final: null });
  if (value.kind === 'number') return value.value;
  if (value.kind !== 'error') ev.ctx.reporter.report('NN3009', [setting.key.name, expected], expr.range);
  return undefined;
}

function wholeNumber(ev: Evaluator, setting: Setting, min: number, max: number): number | undefined {
  const expected = min === 0 ? 'a whole number ≥ 0' : 'a positive whole number';
  const n = number(ev, setting, expected);
  if (n === undefined) return undefined;
  if (!Number.isInteger(n) || n < min || n > max) {
    ev.ctx.reporter.report('NN3005', [setting.key.name, n > max ? `at most ${max}` : expected, n], setting.values[0]!.range);
    return undefined;
  }
  return n;
}

function fraction(ev: Evaluator, setting: Setting): number | undefined {
  const n = number(ev, setting, 'a fraction in [0, 1)');
  if (n === undefined) return undefined;
  if (n < 0 || n >= 1) {
    ev.ctx.reporter.report('NN3005', [setting.key.name, 'in [0, 1)', n], setting.values[0]!.range);
    return undefined;
  }
  return n;
}

function checkOptimizer(ev: Evaluator, setting: Setting): OptimizerSpec | undefined {
  const called = namedCall(ev, setting, single(ev, setting, 'one optimizer, such as adam(lr: 1e-3)') ? setting.values[0] : undefined, 'optimizer');
  if (!called) return undefined;
  // matchArgs has checked every argument against the optimizer's parameter kinds and filled the defaults.
  const v = called.args.values;
  const n = (name: string): number => v[name] as number;
  switch (called.def.name) {
    case 'gd':
      return { kind: 'gd', lr: n('lr') };
    case 'sgd':
      return { kind: 'sgd', lr: n('lr'), momentum: n('momentum'), nesterov: v.nesterov === true };
    case 'adam':
      return { kind: 'adam', lr: n('lr'), beta1: n('beta1'), beta2: n('beta2'), epsilon: n('epsilon') };
    case 'adamw':
      return { kind: 'adamw', lr: n('lr'), beta1: n('beta1'), beta2: n('beta2'), epsilon: n('epsilon'), weightDecay: n('weight_decay') };
    case 'adagrad':
      return { kind: 'adagrad', lr: n('lr'), epsilon: n('epsilon'), initialAccumulator: n('initial_accumulator') };
    default:
      return { kind: 'rmsprop', lr: n('lr'), rho: n('rho'), epsilon: n('epsilon'), momentum: n('momentum') };
  }
}

function checkSchedule(ev: Evaluator, setting: Setting): ScheduleSpec | null {
  const called = namedCall(ev, setting, single(ev, setting, 'one schedule: step, exponential, cosine or one_cycle') ? setting.values[0] : undefined, 'schedule');
  if (!called) return null;
  const v = called.args.values;
  const per = v.per as SchedulePer;
  switch (called.def.name) {
    case 'step':
      return { kind: 'step', every: v.every as number, gamma: v.gamma as number, per };
    case 'exponential':
      return { kind: 'exponential', gamma: v.gamma as number, per };
    case 'one_cycle':
      return { kind: 'one_cycle', pctStart: v.pct_start as number, div: v.div as number, finalDiv: v.final_div as number };
    default:
      return { kind: 'cosine', epochs: (v.epochs as number | null) ?? null, minLr: v.min_lr as number, per };
  }
}

function checkAugment(ev: Evaluator, setting: Setting, expr: Expr, graph: Graph): AugmentSpec | undefined {
  const called = namedCall(ev, setting, expr, 'augmentation');
  if (!called) return undefined;
  const v = called.args.values;
  const inputName = (v.on as string | null) ?? null;
  const input = inputName === null ? graph.inputs.find((i) => graph.nodes[i.node]!.type.dtype === 'f32') : graph.inputs.find((i) => i.name === inputName);
  const name = called.def.name;
  if (!input) {
    const why = inputName === null ? 'needs a float model input' : `names '${inputName}', which is not an input of this model`;
    ev.ctx.reporter.report('NN3012', [name, why], called.range);
    return undefined;
  }
  const type = graph.nodes[input.node]!.type;
  if ((name === 'shift' || name === 'flip') && (type.shape.length < 3 || type.shape.length > 4)) {
    ev.ctx.reporter.report('NN3012', [name, `needs an image input ([batch, h, w] or [batch, h, w, c]); '${input.name}' is ${formatShape(type.shape)}`], called.range);
    return undefined;
  }
  if (name === 'noise') return { kind: 'noise', std: v.std as number, input: inputName };
  if (name === 'shift') return { kind: 'shift', pixels: v.pixels as number, input: inputName };
  return { kind: 'flip', input: inputName };
}

function earlyStopping(v: Record<string, ArgValue>): EarlyStoppingSpec {
  return {
    monitor: v.monitor as EarlyStoppingSpec['monitor'],
    patience: v.patience as number,
    minDelta: v.min_delta as number,
    restoreBest: v.restore_best as boolean,
  };
}

/** `data digits`, `data "train.csv"`, or `data csv("train.csv", label: "species")` with options. */
function checkData(ev: Evaluator, setting: Setting): DataSpec | null {
  const expr = single(ev, setting, 'a dataset name or a file path');
  if (!expr) return null;
  if (expr.kind === 'Name') return { source: expr.name, options: {}, range: expr.range };
  if (expr.kind === 'String') return { source: expr.value, options: {}, range: expr.range };
  if (expr.kind === 'Call') {
    const options: DataSpec['options'] = {};
    let source = expr.callee.name;
    for (const arg of expr.args) {
      const value = ev.expr(arg.value, { base: 'data', final: null });
      const plain = value.kind === 'number' || value.kind === 'string' || value.kind === 'bool' ? value.value : value.kind === 'word' ? value.name : undefined;
      if (plain === undefined) {
        ev.ctx.reporter.report('NN3009', ['data', 'options that are numbers, strings, true/false or names'], arg.range);
        continue;
      }
      if (arg.name) options[arg.name.name] = plain;
      else if (typeof plain === 'string') source = plain;
    }
    return { source, options, range: expr.range };
  }
  if (expr.kind !== 'Error') ev.ctx.reporter.report('NN3009', ['data', 'a dataset name or a file path'], expr.range);
  return null;
}
