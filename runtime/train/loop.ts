import { bindDataset, feeds, type Binding } from '../data/bind.js';
import { batchCount, batches, shuffledBatches, split, type Dataset } from '../data/dataset.js';
import { mixSeed as mix, Random } from '../data/random.js';
import { createStepResult, type Executor } from '../executor.js';
import type { Plan } from '../plan/format.js';
import { firstNonFiniteTensor, type HostTensor } from '../tensor.js';
import { augmentBatch } from './augment.js';
import { isClassification, type LoopConfig } from './config.js';
import { EarlyStopping } from './early-stopping.js';
import { TrainError } from './errors.js';
import { DataError } from '../data/errors.js';
import { monitorValue, type EpochRecord } from './history.js';
import type { MetricName, MetricSpec } from '../plan/train-settings.js';
import { metricCounter } from './metric-counters.js';
import { decisionFor, MetricAccumulator, type Decision } from './metrics.js';
import { silentReporter, type ProgressReporter } from './reporter.js';
import { stepLearningRate } from './schedule.js';

export interface TrainRun {
  executor: Executor;
  plan: Plan;
  config: LoopConfig;
  train: Dataset;
  /** A validation set; when absent, `config.validation` of `train` is held out (seeded split). */
  validation?: Dataset | null;
  reporter?: ProgressReporter;
  /**
   * Called after every epoch (checkpoints); `history` includes the epoch just finished, `best` is
   * the weights early stopping would restore (when it restores any), up to that epoch.
   */
  onEpochEnd?: (epoch: number, history: readonly EpochRecord[], best: BestWeights | null) => Promise<void>;
  /**
   * Continue after this many finished epochs (weights and optimizer state already restored), with
   * the best weights so far when early stopping restores them (a checkpoint keeps them).
   */
  resume?: { epochsDone: number; history: EpochRecord[]; best?: BestWeights | null };
}

/** The weights of the best epoch so far, kept for early stopping's `restore_best`. */
export interface BestWeights {
  /** 1-based. */
  epoch: number;
  weights: Map<string, HostTensor>;
}

export interface TrainReport {
  history: EpochRecord[];
  stoppedEarly: boolean;
  /** 1-based epoch whose weights the executor holds at the end (the best one when restored). */
  finalEpoch: number;
  seconds: number;
}

/** The figures of one pass over a dataset in inference mode: the loss and each metric by its key. */
export interface Evaluation {
  loss: number;
  accuracy?: number;
  mae?: number;
  [metric: string]: number | undefined;
}

/**
 * The training loop: per epoch, a seeded shuffle, batches (augmented), one `trainStep` each with
 * the scheduled learning rate and a per-step dropout seed, running metrics, then validation, early
 * stopping and the epoch callback. Everything random derives from `config.seed`, so a run — and a
 * resumed run — is reproducible.
 */
export async function trainModel(run: TrainRun): Promise<TrainReport> {
  const { executor, plan, config } = run;
  const reporter = run.reporter ?? silentReporter;
  const started = performance.now();
  let trainSet = run.train;
  let validation = run.validation ?? null;
  if (run.validation === undefined && config.validation > 0) [trainSet, validation] = split(run.train, config.validation, config.seed);
  if (trainSet.length === 0) throw new DataError('NNR5005', `no samples to train on (${run.train.length} given${run.train.length > 0 ? `, all held out for validation ${config.validation}` : ''})`);
  const binding = bindDataset(plan, trainSet, true);
  const metrics = metricPlan(plan, config);
  const history = [...(run.resume?.history ?? [])];
  const stopping = config.earlyStopping ? new EarlyStopping(config.earlyStopping) : null;
  history.forEach((record, i) => stopping?.update(i, monitorValue(record, stopping.config.monitor)));
  const restoring = stopping?.config.restoreBest === true;
  let best = restoring ? await resumedBest(run, stopping!, reporter) : null;
  let stoppedEarly = false;
  const batchesPerEpoch = batchCount(trainSet.length, config.batch);
  // One options object and, on back ends that step synchronously (the CPU), one result record for
  // every step: the executor refills them (Executor.trainStepSync), so its step makes no garbage.
  const stepOptions = { lr: 0, seed: 0, outputs: metrics.reads };
  const stepResult = createStepResult();

  for (let epoch = run.resume?.epochsDone ?? 0; epoch < config.epochs; epoch++) {
    const epochStart = performance.now();
    const lrAt = (step: number): number => stepLearningRate(config.lr, config.schedule, config.warmup, { step, stepsPerEpoch: batchesPerEpoch, totalEpochs: config.epochs });
    const lr = lrAt(epoch * batchesPerEpoch);
    const random = new Random(mix(config.seed, epoch));
    const running = new MetricAccumulator();
    const counters = metrics.counters();
    reporter.epochStart(epoch + 1, config.epochs, batchesPerEpoch);
    let index = 0;
    for (const batch of shuffledBatches(trainSet, config.batch, mix(config.seed, epoch, 1))) {
      const inputs = augmentInputs(feeds(binding, batch, plan), plan, config, random);
      const step = epoch * batchesPerEpoch + index;
      stepOptions.lr = lrAt(step);
      stepOptions.seed = random.seed();
      const result = executor.trainStepSync ? executor.trainStepSync(inputs, stepOptions, stepResult) : await executor.trainStep(inputs, stepOptions);
      const badWeight = Number.isFinite(result.loss) ? executor.nonFiniteWeight?.() ?? null : null;
      if (!Number.isFinite(result.loss) || badWeight !== null) {
        const what = badWeight === null ? `the loss became ${result.loss}` : `weight '${badWeight}' became NaN or infinite`;
        throw new TrainError('NNR5101', `${what} at step ${step + 1} (epoch ${epoch + 1}, batch ${index + 1})${whereNonFinite(executor)}; ${NAN_ADVICE}`);
      }
      running.addLoss(result.loss, batch.length);
      counters.add(result.outputs, inputs);
      index++;
      const accuracy = counters.values().accuracy;
      reporter.batchEnd(index, { loss: running.loss, ...(accuracy !== undefined ? { accuracy } : {}) });
    }
    const record: EpochRecord = { epoch: epoch + 1, lr, loss: running.loss, seconds: 0 };
    recordMetrics(record, counters.values(), '');
    if (validation && validation.length > 0) {
      const v = await evaluateDataset(executor, plan, config, validation);
      record.valLoss = v.loss;
      recordMetrics(record, v, 'val_');
    }
    if (!executor.nonFiniteWeight) {
      // Back ends without a cheap per-step scan are checked once per epoch, before anything is saved.
      const bad = firstNonFiniteTensor(await executor.getWeights());
      if (bad !== null) throw new TrainError('NNR5101', `weight '${bad}' became NaN or infinite in epoch ${epoch + 1}; ${NAN_ADVICE}`);
    }
    record.seconds = (performance.now() - epochStart) / 1000;
    history.push(record);
    reporter.epochEnd(record, config.epochs);
    const verdict = stopping?.update(epoch, monitorValue(record, stopping.config.monitor));
    if (verdict?.improved && restoring) best = { epoch: epoch + 1, weights: copyWeights(await executor.getWeights()) };
    await run.onEpochEnd?.(epoch + 1, history, best);
    if (stopping && verdict?.stop && epoch + 1 < config.epochs) {
      reporter.message(`early stopping: ${stopping.config.monitor} did not improve for ${stopping.config.patience} epochs`);
      stoppedEarly = true;
      break;
    }
  }
  let finalEpoch = history.length;
  if (stopping && best && best.epoch !== finalEpoch) {
    await executor.setWeights(best.weights);
    finalEpoch = best.epoch;
    reporter.message(`restored the weights of epoch ${finalEpoch} (best ${stopping.config.monitor} ${stopping.bestValue.toFixed(4)})`);
  }
  return { history, stoppedEarly, finalEpoch, seconds: (performance.now() - started) / 1000 };
}

const NAN_ADVICE = 'lower the learning rate or check the data for extreme values; nothing was saved from this step';

/** `; first non-finite: the output 'h.out' of layer 'h' (dense, line 5:7), forward step 2 (matmul+bias+relu)`, when the back end knows. */
function whereNonFinite(executor: Executor): string {
  const first = executor.firstNonFinite?.();
  if (!first) return '';
  const kind = first.phase === 'backward' ? 'gradient' : first.phase === 'update' ? 'update' : 'output';
  const layer = first.source ? ` of layer '${first.source.layer}' (${first.source.op}, line ${first.source.line}:${first.source.column})` : '';
  return `; first non-finite: the ${kind} '${first.tensor}'${layer}, ${first.phase} step ${first.index + 1} (${first.kernel})`;
}

/** Loss and the metrics (accuracy or MAE by default) of the model on a dataset, in inference mode, in batches. */
export async function evaluateDataset(executor: Executor, plan: Plan, config: LoopConfig, dataset: Dataset): Promise<Evaluation> {
  const binding: Binding = bindDataset(plan, dataset, true);
  const metrics = metricPlan(plan, config);
  const totals = new MetricAccumulator();
  const counters = metrics.counters();
  for (const batch of batches(dataset, Math.max(config.batch, 256))) {
    const inputs = feeds(binding, batch, plan);
    const result = await executor.evaluate(inputs, { outputs: metrics.reads });
    totals.addLoss(result.loss, batch.length);
    counters.add(result.outputs, inputs);
  }
  return { loss: totals.loss, ...counters.values() };
}

/** Puts a pass's metrics into an epoch record: accuracy and mae in their fields (early stopping, plots), others by key. */
function recordMetrics(record: EpochRecord, values: Partial<Evaluation>, prefix: '' | 'val_'): void {
  const { accuracy, mae, loss: _loss, ...others } = values;
  if (accuracy !== undefined) record[prefix ? 'valAccuracy' : 'accuracy'] = accuracy;
  if (mae !== undefined) record[prefix ? 'valMae' : 'mae'] = mae;
  for (const [key, value] of Object.entries(others)) if (value !== undefined) (record.metrics ??= {})[prefix + key] = value;
}

interface MetricPlan {
  /** The tensors to read back after each step: every metric's prediction. */
  reads: string[];
  /** Fresh running totals for one pass. */
  counters: () => { add(outputs: Record<string, HostTensor>, inputs: Record<string, HostTensor>): void; values(): Omit<Evaluation, 'loss'> };
}

/**
 * The metrics a pass computes: those of the train section, each on its prediction and target, or by
 * default accuracy (classification losses) or MAE (regression losses) of the loss's prediction and
 * target; plans without those fall back to the first output and label.
 */
function metricPlan(plan: Plan, config: LoopConfig): MetricPlan {
  const training = plan.training;
  const lossOutput = training?.prediction ? (plan.outputs.find((o) => o.tensor === training.prediction) ?? { name: training.prediction, tensor: training.prediction }) : (plan.outputs[0] ?? null);
  const lossTarget = training?.target ?? plan.labels[0] ?? null;
  const classification = isClassification(config.loss.kind);
  const specs: Array<Pick<MetricSpec, 'name' | 'key' | 'k' | 'mask'> & { read: string; tensor: string; target: string }> = config.metrics.map((m) => {
    const output = plan.outputs.find((o) => o.tensor === m.prediction);
    return { name: m.name, key: m.key, k: m.k, read: output?.name ?? m.prediction, tensor: m.prediction, target: m.target, ...(m.mask === undefined ? {} : { mask: m.mask }) };
  });
  if (specs.length === 0 && lossOutput && lossTarget) {
    const name = classification ? 'accuracy' : 'mae';
    specs.push({ name, key: name, read: lossOutput.name, tensor: lossOutput.tensor, target: lossTarget, ...(config.loss.mask === undefined ? {} : { mask: config.loss.mask }) });
  }
  // A mask that is not fed (an input, or a label: an input only the loss reads) is a model value: read back with the predictions.
  const computedMasks = specs.flatMap((s) => (s.mask !== undefined && !plan.inputs.includes(s.mask) && !plan.labels.includes(s.mask) ? [s.mask] : []));
  const decisions = new Map(specs.map((spec) => {
    // A single-unit output is a logit unless its last step squashes it (sigmoid/softmax epilogue).
    const producer = plan.forward.find((s) => s.outputs.includes(spec.tensor));
    const squashed = producer ? /(sigmoid|softmax)$/.test(producer.kernel) : false;
    const fromLogits = spec.tensor === lossOutput?.tensor ? config.loss.fromLogits : true;
    return [spec.key, (p: HostTensor): Decision => decisionFor(p, fromLogits && !squashed)];
  }));
  return {
    reads: [...new Set([...specs.map((s) => s.read), ...computedMasks])],
    counters: () => {
      const counters = specs.map((spec) => ({ spec, counter: metricCounter(spec.name as Exclude<MetricName, 'loss'>, spec.k) }));
      return {
        add(outputs, inputs) {
          for (const { spec, counter } of counters) {
            let prediction = outputs[spec.read];
            let target = inputs[spec.target];
            const mask = spec.mask === undefined ? undefined : (inputs[spec.mask] ?? outputs[spec.mask]);
            if (prediction && target && mask) [prediction, target] = countedRows(prediction, target, mask);
            if (prediction && target) counter.add(prediction, target, decisions.get(spec.key)!(prediction));
          }
        },
        values: () => Object.fromEntries(counters.map(({ spec, counter }) => [spec.key, counter.value()])),
      };
    },
  };
}

/** The rows of a prediction and its target whose mask is nonzero (a masked loss's metric counts only those). */
function countedRows(prediction: HostTensor, target: HostTensor, mask: HostTensor): [HostTensor, HostTensor] {
  const rows = mask.data.length;
  const kept: number[] = [];
  for (let r = 0; r < rows; r++) if (mask.data[r] !== 0) kept.push(r);
  const pick = (t: HostTensor): HostTensor => {
    const width = t.data.length / rows;
    const data = t.dtype === 'i32' ? new Int32Array(kept.length * width) : new Float32Array(kept.length * width);
    kept.forEach((r, i) => data.set(t.data.subarray(r * width, (r + 1) * width), i * width));
    return { dtype: t.dtype, shape: width === 1 && t.shape.length === mask.shape.length ? [kept.length] : [kept.length, width], data } as HostTensor;
  };
  return [pick(prediction), pick(target)];
}

function augmentInputs(inputs: Record<string, HostTensor>, plan: Plan, config: LoopConfig, random: Random): Record<string, HostTensor> {
  if (config.augment.length === 0) return inputs;
  const firstInput = plan.inputs.find((n) => !plan.labels.includes(n));
  const out = { ...inputs };
  for (const name of Object.keys(inputs)) {
    const augments = config.augment.filter((a) => (a.input ?? firstInput) === name);
    if (augments.length > 0) out[name] = augmentBatch(inputs[name]!, augments, random);
  }
  return out;
}

/**
 * The best weights a resumed run starts with: the checkpoint's, or the restored weights when the
 * best epoch is the last one finished (a checkpoint does not store those twice). A checkpoint
 * without them (written before they were kept) can only restore epochs from here on: say so.
 */
async function resumedBest(run: TrainRun, stopping: EarlyStopping, reporter: ProgressReporter): Promise<BestWeights | null> {
  const resume = run.resume;
  if (!resume || stopping.bestEpochIndex < 0) return null;
  const bestEpoch = stopping.bestEpochIndex + 1;
  if (resume.best?.epoch === bestEpoch) return resume.best;
  if (bestEpoch === resume.epochsDone) return { epoch: bestEpoch, weights: copyWeights(await run.executor.getWeights()) };
  reporter.message(`the checkpoint does not hold the weights of epoch ${bestEpoch} (the best so far): restore_best can only restore an epoch from here on`);
  return null;
}

function copyWeights(weights: Map<string, HostTensor>): Map<string, HostTensor> {
  return new Map([...weights].map(([k, t]) => [k, { shape: [...t.shape], dtype: t.dtype, data: t.data.slice() }]));
}

