import type { CheckResult } from '../compiler/api-types.js';
import { compileModel } from '../compiler/compile.js';
import { createCpuExecutor } from '../runtime/cpu/index.js';
import { cpuThreadsNote, startCpuWorkers } from '../runtime/cpu/threads/pool.js';
import { takeRows, type Dataset } from '../runtime/data/dataset.js';
import { decodeDigitBytes, splitDigits } from '../runtime/data/digits.js';
import { splitIris, type IrisRow } from '../runtime/data/iris.js';
import { isArrayFile, parseDataFile, withTestSet, type DataOptions } from '../runtime/data/parse.js';
import { xorData, type SplitData } from '../runtime/data/split-data.js';
import type { Executor } from '../runtime/executor.js';
import type { Plan, PlanTarget } from '../runtime/plan/format.js';
import { weightsToTensors } from '../runtime/plan/serialize.js';
import type { HostTensor } from '../runtime/tensor.js';
import { f32, i32 } from '../runtime/tensor.js';
import { readLoopConfig, type LoopConfig } from '../runtime/train/config.js';
import { evaluateDataset, trainModel, type Evaluation, type TrainReport } from '../runtime/train/loop.js';
import type { ProgressReporter } from '../runtime/train/reporter.js';
import { acquireDevice } from '../runtime/webgpu/device.js';
import { createWebGpuExecutor } from '../runtime/webgpu/index.js';
import { SOURCE_PATH } from './check.js';

/** Where the page runs plans: the page's WebGPU adapter, or the CPU runtime when it has none. */
export interface Backend {
  target: PlanTarget;
  /** What the page says: the adapter's description, or why it runs on the CPU. */
  description: string;
  device?: GPUDevice;
}

export async function findBackend(preferCpu: boolean): Promise<Backend> {
  if (preferCpu) return cpuBackend('asked for with ?runtime=cpu');
  try {
    const { device, description } = await acquireDevice();
    return { target: 'webgpu', description: `WebGPU (${description})`, device };
  } catch {
    return cpuBackend('this browser offers no WebGPU adapter');
  }
}

/** The CPU runtime, its workers started while the user reads and edits (see startCpuWorkers). */
function cpuBackend(why: string): Backend {
  startCpuWorkers();
  return { target: 'cpu', description: `CPU, ${cpuThreadsNote()} (${why})` };
}

/** A model compiled in the page and its executor (trained or not). */
export interface Session {
  plan: Plan;
  config: LoopConfig;
  executor: Executor;
  data: SplitData;
  source: string;
}

export interface TrainOptions {
  epochs?: number;
  /** Train on the first N samples of the (fixed) training split, and test on at most N. */
  samples?: number;
}

/**
 * Compiles the editor's last model with its train section for the backend, as `nnet train` does
 * (compileModel, then the loop of runtime/train on the train section's data), and trains it.
 */
export async function compileAndTrain(
  check: CheckResult,
  text: string,
  backend: Backend,
  options: TrainOptions,
  reporter: ProgressReporter,
): Promise<{ session: Session; report: TrainReport; test: Evaluation | null }> {
  const model = check.models[check.models.length - 1];
  if (!model) throw new Error('the file declares no model');
  if (!model.train) {
    const gan = check.gans.length > 0 ? ` (gan '${check.gans[0]!.name}' trains with the CLI: nnet train FILE --model ${check.gans[0]!.name})` : '';
    throw new Error(`model '${model.name}' has no train section; the playground trains models that have one${gan}`);
  }
  const compiled = compileModel(check, model.name, { target: backend.target, fuse: true, training: true, path: SOURCE_PATH, text });
  if (!compiled.plan) throw new Error(compiled.diagnostics.map((d) => `error ${d.code}: ${d.message}`).join('\n') || 'the model could not be compiled');
  const plan = compiled.plan;
  const config = readLoopConfig(plan, options.epochs !== undefined ? { epochs: options.epochs } : {});
  const source = config.data?.source;
  if (!source) throw new Error('the train section names no data');
  const data = limit(await loadData(source, { seed: config.seed, ...(config.data?.options ?? {}) }), options.samples);
  const weights = weightsToTensors(plan, compiled.weights);
  const executor = backend.device
    ? await createWebGpuExecutor(plan, weights, { device: backend.device })
    : yielding(createCpuExecutor(plan, weights));
  try {
    const report = await trainModel({ executor, plan, config, train: data.train, reporter });
    const test = data.test && data.test.length > 0 ? await evaluateDataset(executor, plan, config, data.test) : null;
    return { session: { plan, config, executor, data, source }, report, test };
  } catch (error) {
    executor.dispose();
    throw error;
  }
}

let digits: Promise<SplitData> | null = null;

/**
 * The train section's data, as `nnet train` loads it: the built-ins (the digits fetched once as
 * gzipped bytes, iris's rows, xor), or a file of examples/data/, which the build puts in ./data/.
 */
async function loadData(source: string, options: DataOptions): Promise<SplitData> {
  if (source === 'xor') return xorData();
  if (source === 'iris') return splitIris(JSON.parse(new TextDecoder().decode(await fetchBytes('./iris.json'))) as IrisRow[]);
  if (source === 'digits') {
    digits ??= fetchDigits();
    return await digits;
  }
  const file = async (path: string): Promise<Dataset> => {
    const labels = typeof options.labels === 'string' && isArrayFile(path) ? { path: options.labels, bytes: await fetchBytes(options.labels) } : undefined;
    return parseDataFile(path, await fetchBytes(path), options, labels);
  };
  const train = await file(source);
  return withTestSet(train, options, typeof options.test_file === 'string' ? await file(options.test_file) : null);
}

async function fetchBytes(path: string): Promise<Uint8Array> {
  const response = await fetch(new URL(path, import.meta.url));
  if (!response.ok) throw new Error(`cannot load '${path}' (HTTP ${response.status}): the playground has the built-in datasets and the files of examples/data/`);
  return new Uint8Array(await response.arrayBuffer());
}

async function fetchDigits(): Promise<SplitData> {
  const response = await fetch(new URL('./digits.bin.gz', import.meta.url));
  if (!response.ok || !response.body) throw new Error(`cannot load digits.bin.gz (HTTP ${response.status})`);
  const bytes = new Uint8Array(await new Response(response.body.pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
  const { pixels, labels } = decodeDigitBytes(bytes);
  return splitDigits(pixels, labels);
}

/** The first `samples` of each split (they are already shuffled with a fixed seed). */
function limit(data: SplitData, samples: number | undefined): SplitData {
  if (!samples) return data;
  const first = (set: Dataset): Dataset => (set.length <= samples ? set : takeRows(set, Int32Array.from({ length: samples }, (_, i) => i)));
  return { train: first(data.train), test: data.test ? first(data.test) : null };
}

/**
 * The CPU executor runs each step synchronously: let the page paint between steps (at most every
 * 50 ms) so the curve moves and the page stays responsive.
 */
function yielding(executor: Executor): Executor {
  let last = performance.now();
  const pause = async (): Promise<void> => {
    if (performance.now() - last < 50) return;
    await new Promise((resolve) => setTimeout(resolve, 0));
    last = performance.now();
  };
  return {
    get plan() {
      return executor.plan;
    },
    infer: (inputs) => executor.infer(inputs),
    inferTensors: (inputs, names) => executor.inferTensors(inputs, names),
    trainStep: async (inputs, options) => {
      await pause();
      return await executor.trainStep(inputs, options);
    },
    evaluate: async (inputs, options) => {
      await pause();
      return await executor.evaluate(inputs, options);
    },
    getWeights: () => executor.getWeights(),
    setWeights: (weights) => executor.setWeights(weights),
    getOptimizerState: () => executor.getOptimizerState(),
    setOptimizerState: (state) => executor.setOptimizerState(state),
    dispose: () => executor.dispose(),
  };
}

/**
 * Class probabilities for one 28×28 image (pixels in [0, 1]) from the session's model: its first
 * output, through a softmax unless it is one already.
 */
export async function classify(session: Session, pixels: Float32Array): Promise<number[]> {
  const { plan, executor } = session;
  const inputs: Record<string, HostTensor> = {};
  const features = plan.inputs.find((n) => !plan.labels.includes(n));
  if (!features) throw new Error('the model has no input');
  const input = plan.tensors.find((t) => t.name === features)!;
  const shape = [1, ...input.shape.slice(1).map((d) => (typeof d === 'number' ? d : 1))];
  if (shape.reduce((a, b) => a * b, 1) !== pixels.length) {
    throw new Error(`the pad draws a 28×28 image; input '${features}' takes [${input.shape.join(', ')}]`);
  }
  inputs[features] = f32(shape, pixels);
  for (const label of plan.labels) {
    const tensor = plan.tensors.find((t) => t.name === label)!;
    inputs[label] = tensor.dtype === 'i32' ? i32([1], [0]) : f32([1, ...tensor.shape.slice(1).map(() => 1)], [0]);
  }
  const outputs = await executor.infer(inputs);
  const name = plan.outputs[0]?.name;
  const values = Array.from((name ? outputs[name] : Object.values(outputs)[0])?.data ?? []);
  const isDistribution = values.every((v) => v >= 0) && Math.abs(values.reduce((a, b) => a + b, 0) - 1) < 1e-3;
  return isDistribution ? values : softmax(values);
}

function softmax(values: number[]): number[] {
  const max = Math.max(...values);
  const exps = values.map((v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((v) => v / sum);
}
