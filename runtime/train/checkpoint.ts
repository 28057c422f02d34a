import { readFileSync } from 'node:fs';
import type { Executor } from '../executor.js';
import type { HostTensor } from '../tensor.js';
import { readSafetensors, writeSafetensors } from '../weights/safetensors.js';
import { writeFileAtomic, type AtomicWriteHooks } from './atomic-write.js';
import { TrainError } from './errors.js';
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
  writeFileAtomic(path, encodeCheckpoint(checkpoint), hooks);
}

export function readCheckpoint(path: string): Checkpoint {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new TrainError('NNR5102', `cannot read checkpoint ${path}: ${reason}`);
  }
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
  const bestEpoch = Number(metadata['nnet.best_epoch']);
  return {
    model: metadata['nnet.model'] ?? '',
    epochsDone: Number(metadata['nnet.epoch'] ?? 0),
    optimizerStep: Number(metadata['nnet.optimizer_step'] ?? 0),
    weights,
    slots,
    history: JSON.parse(metadata['nnet.history'] ?? '[]') as EpochRecord[],
    best: Number.isInteger(bestEpoch) && bestEpoch > 0 && best.size > 0 ? { epoch: bestEpoch, weights: best } : null,
  };
}

/** Puts a checkpoint's weights and optimizer state into an executor of the same model. */
export async function restoreCheckpoint(executor: Executor, checkpoint: Checkpoint, path: string): Promise<void> {
  if (checkpoint.model && checkpoint.model !== executor.plan.model) {
    throw new TrainError('NNR5102', `checkpoint ${path} is of model '${checkpoint.model}', not '${executor.plan.model}'`);
  }
  await executor.setWeights(checkpoint.weights);
  await executor.setOptimizerState({ step: checkpoint.optimizerStep, slots: checkpoint.slots });
}
