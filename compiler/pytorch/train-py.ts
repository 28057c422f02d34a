import type { CheckedModel } from '../api-types.js';
import type { IRNode } from '../ir/graph.js';
import type { TrainConfig } from '../train-config.js';
import type { ModuleNames } from './model-py.js';
import { PytorchExportError } from './ops.js';

/**
 * train.py's settings: the checked train section as JSON (CONFIG), read by the training loop of
 * python/train.ts. Settings that loop does not reproduce are refused by name, so a train section
 * that gains a setting is never exported as if it had none.
 */
export interface TrainExport {
  config: Record<string, unknown>;
  /** Data files the train section names (relative to the .nnet file), copied next to train.py under data/. */
  dataFiles: string[];
}

/** The keys of a TrainConfig (and of its loss) that train.py reproduces. */
const KNOWN_TRAIN_KEYS = new Set(['loss', 'losses', 'optimizer', 'schedule', 'regularize', 'augment', 'earlyStopping', 'epochs', 'batch', 'validation', 'metrics', 'seed', 'data', 'range', 'warmup', 'clip']);
const KNOWN_SCHEDULE_KEYS = new Set(['kind', 'every', 'gamma', 'per', 'epochs', 'minLr', 'pctStart', 'div', 'finalDiv']);
const KNOWN_CLIP_KEYS = new Set(['value', 'norm']);
const KNOWN_LOSS_KEYS = new Set(['kind', 'fromLogits', 'sparse', 'delta', 'smoothing', 'classWeights', 'pred', 'target', 'mask', 'range', 'weight', 'value']);
const OPTIMIZERS = new Set(['gd', 'sgd', 'adam', 'adamw', 'adagrad', 'rmsprop']);
const LOSSES = new Set(['mse', 'mae', 'huber', 'binary_cross_entropy', 'cross_entropy', 'kl_divergence', 'value']);
const METRICS = new Set(['accuracy', 'mae', 'precision', 'recall', 'f1', 'top_k_accuracy']);
const SCHEDULES = new Set(['step', 'exponential', 'cosine', 'one_cycle']);
const AUGMENTS = new Set(['noise', 'shift', 'flip']);
const BUILTINS = new Set(['digits', 'iris', 'xor']);

/** The file name of a path (the compiler stays free of node:path, as the playground bundles it). */
function basename(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/** A setting at its off value: absent, null, false, 0 (no label smoothing) or an empty list. */
function isUnset(value: unknown): boolean {
  return value === undefined || value === null || value === false || value === 0 || (Array.isArray(value) && value.length === 0);
}

/** A graph value as train.py finds it: a model input (the batch) or a layer's value (model.forward's \`values\`). */
type ValueRef = { input: string } | { value: string };

export function trainExport(model: CheckedModel, train: TrainConfig, names: ModuleNames): TrainExport {
  const refuse = (what: string): never => {
    throw new PytorchExportError(`${model.name}: the train section's ${what} has no PyTorch export yet`);
  };
  for (const [key, value] of Object.entries(train)) if (!KNOWN_TRAIN_KEYS.has(key) && !isUnset(value)) refuse(`'${key}'`);
  const terms = train.losses.length > 0 ? train.losses : [{ ...train.loss, weight: 1 }];
  for (const term of terms) {
    for (const [key, value] of Object.entries(term)) if (!KNOWN_LOSS_KEYS.has(key) && !isUnset(value)) refuse(`loss setting '${key}'`);
    if (!LOSSES.has(term.kind)) refuse(`loss '${term.kind}'`);
  }
  if (!OPTIMIZERS.has(train.optimizer.kind)) refuse(`optimizer '${train.optimizer.kind}'`);
  if (train.schedule && !SCHEDULES.has(train.schedule.kind)) refuse(`schedule '${train.schedule.kind}'`);
  for (const [key, value] of Object.entries(train.schedule ?? {})) if (!KNOWN_SCHEDULE_KEYS.has(key) && !isUnset(value)) refuse(`schedule setting '${key}'`);
  for (const [key, value] of Object.entries(train.clip ?? {})) if (!KNOWN_CLIP_KEYS.has(key) && !isUnset(value)) refuse(`clip setting '${key}'`);
  for (const a of train.augment) if (!AUGMENTS.has(a.kind)) refuse(`augmentation '${a.kind}'`);

  const { graph } = model;
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const ref = (id: number): ValueRef => {
    const input = graph.inputs.find((i) => i.node === id);
    return input ? { input: input.name } : { value: names.keyOf.get(id)! };
  };

  const losses = terms.map((term) =>
    term.kind === 'value'
      ? { kind: 'value', weight: term.weight, value: ref(term.value) }
      : {
          kind: term.kind,
          fromLogits: term.fromLogits,
          sparse: term.sparse,
          delta: term.delta,
          ...(term.smoothing > 0 ? { smoothing: term.smoothing } : {}),
          ...(term.classWeights ? { classWeights: [...term.classWeights] } : {}),
          weight: term.weight,
          pred: ref(term.pred),
          target: ref(term.target),
          ...(term.mask === null || term.mask === undefined ? {} : { mask: ref(term.mask) }),
        },
  );

  // Each metric's decision, as the loop's: argmax over several classes, else a threshold (0 on a
  // logit, 0.5 on a probability: a prediction squashed by sigmoid/softmax, or read by a loss from probabilities).
  const metrics = train.metrics
    .filter((m) => m.name !== 'loss')
    .map((m) => {
      if (!METRICS.has(m.name)) refuse(`metric '${m.name}'`);
      const pred = byId.get(m.prediction)!;
      const last = pred.type.shape.length > 1 ? pred.type.shape[pred.type.shape.length - 1] : 1;
      const squashed = ['sigmoid', 'softmax'].includes(pred.op) || ['sigmoid', 'softmax'].includes(activationName(pred));
      const fromLogits = m.prediction === train.loss.pred ? train.loss.fromLogits : true;
      const decision = last !== 1 ? 'argmax' : fromLogits && !squashed ? 0 : 0.5;
      return { name: m.name, key: m.key, pred: ref(m.prediction), target: ref(m.target), ...(m.mask === undefined ? {} : { mask: ref(m.mask) }), k: m.k ?? 5, decision, classes: typeof last === 'number' ? last : null };
    });

  // The global penalty covers weights of rank ≥ 2 (compiler/autodiff/backward.ts), plus each layer's own.
  const regularize: Record<string, [number, number]> = {};
  for (const p of graph.params) {
    if (!p.trainable) continue;
    const global = byId.get(p.node)!.type.shape.length >= 2 ? train.regularize : { l1: 0, l2: 0 };
    const l1 = global.l1 + (p.regularize?.l1 ?? 0);
    const l2 = global.l2 + (p.regularize?.l2 ?? 0);
    if (l1 !== 0 || l2 !== 0) regularize[p.name] = [l1, l2];
  }

  // DDP needs to know when a trainable parameter takes no part in the loss.
  const reaches = new Set<number>();
  const visit = (id: number): void => {
    if (reaches.has(id)) return;
    reaches.add(id);
    for (const i of byId.get(id)?.inputs ?? []) visit(i);
  };
  for (const term of terms) visit(term.kind === 'value' ? term.value : term.pred);
  const findUnused = graph.params.some((p) => p.trainable && !reaches.has(p.node));

  const dataFiles: string[] = [];
  let data: { source: string | null; options: Record<string, unknown> } = { source: null, options: {} };
  if (train.data) {
    const options: Record<string, unknown> = { ...train.data.options };
    if (BUILTINS.has(train.data.source)) data = { source: `data/${train.data.source}`, options };
    else {
      for (const key of ['labels', 'test_file']) {
        const file = options[key];
        if (typeof file === 'string') {
          dataFiles.push(file);
          options[key] = basename(file);
        }
      }
      dataFiles.push(train.data.source);
      data = { source: `data/${basename(train.data.source)}`, options };
    }
  }

  const firstInput = graph.inputs.find((i) => !i.labelOnly)?.name ?? null;
  const config = {
    model: model.name,
    inputs: graph.inputs.map((i) => ({ name: i.name, shape: byId.get(i.node)!.type.shape, dtype: byId.get(i.node)!.type.dtype, label: i.labelOnly })),
    losses,
    metrics,
    optimizer: train.optimizer,
    schedule: train.schedule,
    warmup: train.warmup,
    clip: train.clip,
    regularize,
    augment: train.augment,
    augmentInput: firstInput,
    earlyStopping: train.earlyStopping,
    epochs: train.epochs,
    batch: train.batch,
    validation: train.validation,
    seed: train.seed,
    findUnused,
    data,
  };
  return { config, dataFiles };
}

function activationName(node: IRNode): string {
  const a = node.attrs.activation;
  if (typeof a === 'string') return a;
  if (a && typeof a === 'object' && !Array.isArray(a) && typeof a.name === 'string') return a.name;
  return '';
}
