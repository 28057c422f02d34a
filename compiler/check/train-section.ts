import type { Expr, Setting, SourceRange, TrainSection } from '../../grammar/ast.js';
import { TRAIN_DEFAULTS } from '../../runtime/plan/train-settings.js';
import type { Graph } from '../ir/graph.js';
import { formatShape, sameShape } from '../shapes/dims.js';
import { EARLY_STOPPING, findSetting, settingNames, TRAIN_KEYS } from '../ops/registry.js';
import type { SettingDef } from '../ops/settings-types.js';
import type { ArgValue } from '../ops/types.js';
import type {
  AugmentSpec, DataSpec, EarlyStoppingSpec, LossKind, LossSpec, OptimizerSpec, ScheduleSpec, TrainConfig,
} from '../train-config.js';
import { matchArgs, type EvaluatedArg, type MatchedArgs } from './args.js';
import type { Evaluator } from './evaluate.js';
import { suggest } from './suggest.js';
import type { TensorValue } from './values.js';

const MAX_EPOCHS = 1_000_000;
const MAX_BATCH = 1 << 20;

/**
 * Checks a model's train section against the model and resolves it into a TrainConfig with every
 * default filled. Returns null when there is no usable loss (the error is reported).
 */
export function checkTrainSection(ev: Evaluator, section: TrainSection, graph: Graph): TrainConfig | null {
  const config = checkTrainSettings(ev, section, graph, true);
  return config.loss ? { ...config, loss: config.loss } : null;
}

/** Every train setting at its default: what a train section without that setting gets. */
export function defaultTrainSettings(range: SourceRange): Omit<TrainConfig, 'loss'> {
  return {
    optimizer: TRAIN_DEFAULTS.optimizer,
    schedule: null,
    regularize: { l1: 0, l2: 0 },
    augment: [],
    earlyStopping: null,
    epochs: TRAIN_DEFAULTS.epochs,
    batch: TRAIN_DEFAULTS.batch,
    validation: TRAIN_DEFAULTS.validation,
    metrics: [...TRAIN_DEFAULTS.metrics],
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
        config.loss = checkLoss(ev, setting, graph);
        break;
      case 'optimizer':
        config.optimizer = checkOptimizer(ev, setting) ?? config.optimizer;
        break;
      case 'schedule':
        config.schedule = checkSchedule(ev, setting);
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
        for (const expr of setting.values) {
          const called = namedCall(ev, setting, expr, 'metric');
          const name = called?.def.name as TrainConfig['metrics'][number] | undefined;
          if (name && !config.metrics.includes(name)) config.metrics.push(name);
        }
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

const KIND_WORDS: Record<SettingDef['kind'], string> = {
  loss: 'loss',
  optimizer: 'optimizer',
  schedule: 'schedule',
  regularizer: 'regulariser',
  augmentation: 'augmentation',
  metric: 'metric',
  initializer: 'initialiser',
  callback: 'callback',
};

/**
 * A value written as `name` or `name(args)` naming a registry entry of `kind`: looked up (with
 * did-you-mean), and its arguments matched. Undefined after reporting a problem.
 */
function namedCall(ev: Evaluator, setting: Setting, expr: Expr | undefined, kind: SettingDef['kind']): { def: SettingDef; args: MatchedArgs; range: SourceRange; call: Expr } | undefined {
  const reporter = ev.ctx.reporter;
  if (!expr) {
    reporter.report('NN3009', [setting.key.name, `a ${KIND_WORDS[kind]}`], setting.range);
    return undefined;
  }
  const callee = expr.kind === 'Call' ? expr.callee : expr.kind === 'Name' ? { name: expr.name, range: expr.range, missing: false } : undefined;
  if (!callee) {
    if (expr.kind !== 'Error') reporter.report('NN3009', [setting.key.name, `a ${KIND_WORDS[kind]} such as ${settingNames(kind).slice(0, 3).join(', ')}`], expr.range);
    return undefined;
  }
  if (callee.missing || callee.name === '') return undefined;
  const def = kind === 'callback' ? (callee.name === EARLY_STOPPING.name ? EARLY_STOPPING : undefined) : findSetting(kind, callee.name);
  if (!def) {
    const s = suggest(callee.name, callee.range, settingNames(kind));
    reporter.report('NN3003', [KIND_WORDS[kind], callee.name, s.hint], callee.range, s.fix ? { fix: s.fix } : {});
    return undefined;
  }
  const args: EvaluatedArg[] = expr.kind === 'Call' ? ev.args(expr.args, { base: setting.key.name, final: null }) : [];
  const matched = matchArgs(def.name, def.params, args, expr.range, { ...ev.matchContext, rangeCode: 'NN3005' });
  return matched.ok ? { def, args: matched, range: expr.range, call: expr } : undefined;
}

function checkLoss(ev: Evaluator, setting: Setting, graph: Graph): LossSpec | null {
  const reporter = ev.ctx.reporter;
  const called = namedCall(ev, setting, single(ev, setting, 'one loss, such as cross_entropy(logits, label)') ? setting.values[0] : undefined, 'loss');
  if (!called || called.args.tensors.length !== 2) return null;
  const [pred, target] = called.args.tensors as [TensorValue, TensorValue];
  const kind = called.def.name as LossKind;
  const fromLogits = (called.args.values.from_logits as boolean | undefined) ?? true;
  const p = pred.type;
  const t = target.type;
  const fail = (why: string): null => {
    reporter.report('NN3004', [kind, why], called.range, {
      related: [
        { message: `'${pred.name}' gets its shape ${formatShape(p.shape)} here`, range: pred.origin },
        { message: `'${target.name}' gets its shape ${formatShape(t.shape)} here`, range: target.origin },
      ],
    });
    return null;
  };
  if (p.dtype !== 'f32') return fail(`the prediction '${pred.name}' must be float, got int`);
  let sparse = false;
  if (kind === 'cross_entropy' && t.dtype === 'i32') {
    sparse = true;
    const labels = p.shape.slice(0, -1);
    if (!sameShape(labels, t.shape)) {
      return fail(`int class labels need shape ${formatShape(labels)} (the prediction ${formatShape(p.shape)} without its class axis), got ${formatShape(t.shape)}`);
    }
  } else if (!sameShape(p.shape, t.shape)) {
    const sparseHint = kind === 'cross_entropy' ? ' (for class ids, declare the label input as int)' : '';
    return fail(`prediction and target need equal shapes, got ${formatShape(p.shape)} and ${formatShape(t.shape)}${sparseHint}`);
  } else if (t.dtype !== 'f32') {
    return fail(`the target '${target.name}' must be float, got int`);
  }
  if (graph.nodes[target.node]?.op !== 'input') reporter.report('NN3010', [target.name], called.args.ranges.get('target') ?? called.range);

  const usesLogits = kind === 'cross_entropy' || kind === 'binary_cross_entropy';
  const predRange = called.args.ranges.get('prediction') ?? called.range;
  if (usesLogits && fromLogits && (pred.lastOp === 'softmax' || pred.lastOp === 'sigmoid')) {
    const call = called.call;
    const insertAt = call.range.end - 1;
    reporter.report('NN3006', [pred.name, pred.lastOp, kind], predRange, {
      fix: { title: 'Read probabilities (from_logits: false)', edits: [{ range: { start: insertAt, end: insertAt }, newText: ', from_logits: false' }] },
    });
  } else if (kind === 'cross_entropy' && pred.lastOp === 'sigmoid' && (p.shape.at(-1) ?? 1) !== 1) {
    reporter.report('NN3007', [pred.name], predRange);
  }
  if (kind === 'cross_entropy' && pred.lastOp === 'sigmoid' && !fromLogits) reporter.report('NN3007', [pred.name], predRange);
  const delta = typeof called.args.values.delta === 'number' ? called.args.values.delta : 1;
  return { kind, pred: pred.node, target: target.node, fromLogits: usesLogits ? fromLogits : false, sparse, delta, range: called.range };
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
  const called = namedCall(ev, setting, single(ev, setting, 'one schedule: step, exponential or cosine') ? setting.values[0] : undefined, 'schedule');
  if (!called) return null;
  const v = called.args.values;
  switch (called.def.name) {
    case 'step':
      return { kind: 'step', every: v.every as number, gamma: v.gamma as number };
    case 'exponential':
      return { kind: 'exponential', gamma: v.gamma as number };
    default:
      return { kind: 'cosine', epochs: (v.epochs as number | null) ?? null, minLr: v.min_lr as number };
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
