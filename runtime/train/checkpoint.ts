import type { Executor } from '../executor.js';
import { firstNonFiniteTensor, type HostTensor } from '../tensor.js';
import { readSafetensors, writeSafetensors } from '../weights/safetensors.js';
import { readFileGuarded, writeFileAtomic, type AtomicWriteHooks } from '../../files/guarded-files.js';
import { TrainError } from './errors.js';
import { nestsDeeperThan } from '../plan/json-depth.js';
import type { EpochRecord } from './history.js';
import type { BestWeights } from './loop.js';

/**
 * A checkpoint is ONE safetensors file, so one atomic rename publishes it whole:
 *   - the model's weights under their plan names (`h.weight`), so the file also loads as weights;
 *   - optimizer slots under `optimizer/<slot name>`;
 *   - with early stopping's `restore_best`, the best epoch's weights under `best/<name>` when
 *     that epoch is not the last one finished (`nnet.best_epoch` says which it is);
 *   - metadata: `nnet.kind` = checkpoint, `nnet.model`, `nnet.epoch` (epochs finished),
 *     `nnet.optimizer_step`, `nnet.history` (JSON of the epoch records so far).
 */
const OPTIMIZER_PREFIX = 'optimizer/';
const BEST_PREFIX = 'best/';

export interface Checkpoint {
  model: string;
  epochsDone: number;
  optimizerStep: number;
  weights: Map<string, HostTensor>;
  slots: Map<string, HostTensor>;
  history: EpochRecord[];
  /** The best epoch's weights, when early stopping restores them and they are not `weights`. */
  best: BestWeights | null;
}

export async function captureCheckpoint(
  executor: Executor,
  epochsDone: number,
  history: readonly EpochRecord[],
  best: BestWeights | null = null,
): Promise<Checkpoint> {
  const optimizer = await executor.getOptimizerState();
  return {
    model: executor.plan.model,
    epochsDone,
    optimizerStep: optimizer.step,
    weights: await executor.getWeights(),
    slots: optimizer.slots,
    history: [...history],
    best: best && best.epoch !== epochsDone ? best : null,
  };
}

export function encodeCheckpoint(checkpoint: Checkpoint): Uint8Array {
  const tensors = new Map(checkpoint.weights);
  for (const [name, t] of checkpoint.slots) tensors.set(OPTIMIZER_PREFIX + name, t);
  for (const [name, t] of checkpoint.best?.weights ?? []) tensors.set(BEST_PREFIX + name, t);
  return writeSafetensors(tensors, {
    'nnet.kind': 'checkpoint',
    'nnet.model': checkpoint.model,
    'nnet.epoch': String(checkpoint.epochsDone),
    'nnet.optimizer_step': String(checkpoint.optimizerStep),
    'nnet.history': JSON.stringify(checkpoint.history),
    ...(checkpoint.best ? { 'nnet.best_epoch': String(checkpoint.best.epoch) } : {}),
  });
}

export function writeCheckpoint(path: string, checkpoint: Checkpoint, hooks: AtomicWriteHooks = {}): void {
  const bad = firstNonFiniteTensor(checkpoint.weights);
  if (bad !== null) throw new TrainError('NNR5101', `weight '${bad}' holds NaN or infinity; checkpoint ${path} was not written`);
  writeFileAtomic(path, encodeCheckpoint(checkpoint), hooks);
}

export function readCheckpoint(path: string): Checkpoint {
  const bytes = readFileGuarded(path, { code: 'NNR5102', what: 'checkpoint' });
  const { tensors, metadata } = readSafetensors(bytes, `checkpoint ${path}`);
  if (metadata['nnet.kind'] !== 'checkpoint') {
    throw new TrainError('NNR5102', `${path} is a weights file, not a checkpoint (it has no epoch or optimizer state); use it with --weights`);
  }
  const weights = new Map<string, HostTensor>();
  const slots = new Map<string, HostTensor>();
  const best = new Map<string, HostTensor>();
  for (const [name, t] of tensors) {
    if (name.startsWith(OPTIMIZER_PREFIX)) slots.set(name.slice(OPTIMIZER_PREFIX.length), t);
    else if (name.startsWith(BEST_PREFIX)) best.set(name.slice(BEST_PREFIX.length), t);
    else weights.set(name, t);
  }
  const epochsDone = count(metadata['nnet.epoch'], 'nnet.epoch', path, 0);
  const bestEpoch = metadata['nnet.best_epoch'] === undefined ? 0 : count(metadata['nnet.best_epoch'], 'nnet.best_epoch', path, 1);
  if (bestEpoch > epochsDone) throw new TrainError('NNR5102', `checkpoint ${path}: nnet.best_epoch ${bestEpoch} is after nnet.epoch ${epochsDone}`);
  return {
    model: metadata['nnet.model'] ?? '',
    epochsDone,
    optimizerStep: count(metadata['nnet.optimizer_step'], 'nnet.optimizer_step', path, 0),
    weights,
    slots,
    history: readHistory(metadata['nnet.history'], epochsDone, path),
    best: bestEpoch > 0 && best.size > 0 ? { epoch: bestEpoch, weights: best } : null,
  };
}

/** A metadata count: absent means 0; anything but a whole number from `min` up is refused. */
function count(text: string | undefined, key: string, path: string, min: number): number {
  if (text === undefined) return 0;
  const value = /^\d{1,15}$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < min) {
    throw new TrainError('NNR5102', `checkpoint ${path}: ${key} is ${JSON.stringify(text.slice(0, 40))}, not a whole number of at least ${min}`);
  }
  return value;
}

const RECORD_NUMBERS = ['epoch', 'lr', 'loss', 'seconds'] as const;
const RECORD_OPTIONAL = ['accuracy', 'mae', 'valLoss', 'valAccuracy', 'valMae', 'discriminatorLoss'] as const;

/** `nnet.history`: a JSON list of at most one record per epoch done, epochs 1, 2, ... in order. */
function readHistory(text: string | undefined, epochsDone: number, path: string): EpochRecord[] {
  const fail = (reason: string): never => {
    throw new TrainError('NNR5102', `checkpoint ${path}: nnet.history ${reason}`);
  };
  if (text === undefined) return [];
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return fail('is not valid JSON');
  }
  if (!Array.isArray(doc) || nestsDeeperThan(doc, 3)) return fail('is not a list of epoch records');
  if (doc.length > epochsDone) fail(`has ${doc.length} records, but nnet.epoch is ${epochsDone}`);
  return doc.map((item: unknown, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return fail(`record ${i + 1} is not an object`);
    const record = item as Record<string, unknown>;
    for (const key of RECORD_NUMBERS) if (typeof record[key] !== 'number') fail(`record ${i + 1} has no number '${key}'`);
    for (const key of RECORD_OPTIONAL) if (Object.hasOwn(record, key) && typeof record[key] !== 'number') fail(`record ${i + 1}: '${key}' is not a number`);
    if (record.epoch !== i + 1) fail(`record ${i + 1} says epoch ${String(record.epoch)}`);
    const out: Record<string, number> = {};
    for (const key of [...RECORD_NUMBERS, ...RECORD_OPTIONAL]) if (Object.hasOwn(record, key)) out[key] = record[key] as number;
    const metrics = record.metrics;
    if (metrics === undefined) return out as unknown as EpochRecord;
    const entries = typeof metrics === 'object' && metrics !== null && !Array.isArray(metrics) ? Object.entries(metrics) : null;
    if (!entries || entries.some(([, v]) => typeof v !== 'number')) return fail(`record ${i + 1}: 'metrics' is not a map of numbers`);
    return { ...out, metrics: Object.fromEntries(entries) } as unknown as EpochRecord;
  });
}

/** Puts a checkpoint's weights and optimizer state into an executor of the same model. */
export async function restoreCheckpoint(executor: Executor, checkpoint: Checkpoint, path: string): Promise<void> {
  if (checkpoint.model && checkpoint.model !== executor.plan.model) {
    throw new TrainError('NNR5102', `checkpoint ${path} is of model '${checkpoint.model}', not '${executor.plan.model}'`);
  }
  await executor.setWeights(checkpoint.weights);
  await executor.setOptimizerState({ step: checkpoint.optimizerStep, slots: checkpoint.slots });
}
