import { pathExists, readFileGuarded, readTextGuarded } from '../../files/guarded-files.js';
import { InvalidArgumentError, type Command } from 'commander';
import { readNpy } from '../../runtime/data/npy.js';
import { nestsDeeperThan } from '../../runtime/plan/json-depth.js';
import type { Plan, PlanTarget, PlanTensor } from '../../runtime/plan/format.js';
import type { HostTensor } from '../../runtime/tensor.js';
import { limitOf } from './compile.js';
import { MEMORY_LIMIT_HELP, parseMemoryLimit } from '../memory-limit.js';
import { CliError, compileLoaded, createExecutor, ensureFits, isNnetFile, loadModel, loadPlanFile, runCommand } from '../model-loading.js';
import { applyThreads, parseThreads, THREADS_HELP } from '../threads-option.js';
import { readWeightsFile } from '../weights-io.js';
import type { SetExitCode } from './index.js';

interface RunOptions {
  input: string;
  weights?: string;
  target: PlanTarget;
  model?: string;
  memoryLimit?: number;
  threads?: number;
}

/**
 * `nnet run MODEL.nnet|PLAN.json --input JSON|FILE [--weights W] [--target cpu]`: one inference,
 * printed as JSON keyed by output name, 8 significant digits.
 *   --input '{"x": [[0.7, -1.5, 0.2]]}'   named inputs
 *   --input '[[0.7, -1.5, 0.2]]'          a bare nested list for a model with one input
 *   --input batch.json | x.npy            the same, from a file
 */
export function register(program: Command, setExitCode: SetExitCode): void {
  program
    .command('run')
    .description('run a model (or a compiled plan) on inputs and print its outputs as JSON')
    .argument('<model>', '.nnet file or plan .json')
    .requiredOption('--input <json|file>', 'inputs: JSON text, a .json file, or a .npy file (single input)')
    .option('--weights <file>', 'weights (.safetensors) to use instead of the compiled or saved ones')
    .option('--target <target>', 'cpu or webgpu', parseTarget, 'cpu')
    .option('--model <name>', 'the model to run (default: the last one in the file)')
    .option('--memory-limit <size>', MEMORY_LIMIT_HELP, parseMemoryLimit)
    .option('--threads <n>', THREADS_HELP, parseThreads)
    .action(async (file: string, options: RunOptions) => {
      await runCommand(setExitCode, async () => {
        applyThreads(options.threads);
        const { plan, weights } = isNnetFile(file)
          ? compileLoaded(loadModel(file, options.model), { target: options.target, fuse: true, training: false, ...limitOf(options) })
          : await loadPlanFile(file, options.weights);
        if (options.weights && isNnetFile(file)) for (const [name, t] of readWeightsFile(options.weights)) weights.set(name, t);
        const inputs = parseInputs(options.input, plan);
        ensureFits(plan, batchOf(inputs), options.memoryLimit);
        const executor = await createExecutor(plan, weights, options.target);
        try {
          const outputs = await executor.infer(inputs);
          process.stdout.write(formatOutputs(outputs, plan) + '\n');
        } finally {
          executor.dispose();
        }
      });
    });
}

/** The batch size of the inputs: their first axis (1 for a scalar input). */
function batchOf(inputs: Record<string, HostTensor>): number {
  return Math.max(1, ...Object.values(inputs).map((t) => t.shape[0] ?? 1));
}

function parseTarget(value: string): PlanTarget {
  if (value !== 'cpu' && value !== 'webgpu') throw new InvalidArgumentError('use cpu or webgpu');
  return value;
}

/** The model inputs that inference needs (labels are left out). */
function inferenceInputs(plan: Plan): PlanTensor[] {
  return plan.inputs.filter((n) => !plan.labels.includes(n)).map((n) => plan.tensors.find((t) => t.name === n)!);
}

export function parseInputs(source: string, plan: Plan): Record<string, HostTensor> {
  const inputs = inferenceInputs(plan);
  const trimmed = source.trim();
  const looksLikeJson = trimmed.startsWith('{') || trimmed.startsWith('[');
  if (!looksLikeJson && source.toLowerCase().endsWith('.npy')) {
    if (inputs.length !== 1) throw new CliError('NNR5005', `a .npy input feeds one input, but the model has ${inputs.length}`);
    const array = readNpy(readFileGuarded(source, { code: 'NNR5001', what: 'the input' }), source);
    checkShape(array.shape, inputs[0]!, source);
    const bad = array.data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new CliError('NNR5003', `input '${inputs[0]!.name}': value ${bad + 1} is ${array.data[bad]}, not a finite number`, source);
    return { [inputs[0]!.name]: castTo(array, inputs[0]!, source) };
  }
  if (!looksLikeJson && !pathExists(source)) throw new CliError('NNR5001', 'not JSON and no such file', source);
  const text = looksLikeJson ? source : readTextGuarded(source, { code: 'NNR5001', what: 'the input' });
  const where = looksLikeJson ? '--input' : source;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new CliError('NNR5002', `invalid JSON: ${(err as Error).message}`, where);
  }
  if (nestsDeeperThan(value, MAX_INPUT_RANK + 1)) throw new CliError('NNR5007', `the inputs nest more than ${MAX_INPUT_RANK + 1} levels deep`, where);
  if (Array.isArray(value)) {
    if (inputs.length !== 1) {
      throw new CliError('NNR5005', `a bare list feeds a model with one input; name them: {${inputs.map((t) => `"${t.name}": ...`).join(', ')}}`, where);
    }
    return { [inputs[0]!.name]: toTensor(value, inputs[0]!, where) };
  }
  if (typeof value !== 'object' || value === null) throw new CliError('NNR5002', 'expected an object of inputs or a nested list', where);
  const record = value as Record<string, unknown>;
  const out: Record<string, HostTensor> = {};
  for (const tensor of inputs) {
    if (!Object.hasOwn(record, tensor.name)) throw new CliError('NNR5005', `input '${tensor.name}' is missing`, where);
    out[tensor.name] = toTensor(record[tensor.name], tensor, where);
  }
  const unknown = Object.keys(record).filter((k) => !inputs.some((t) => t.name === k));
  if (unknown.length > 0) {
    throw new CliError('NNR5005', `unknown input ${unknown.map((k) => `'${k}'`).join(', ')} (the model's inputs: ${inputs.map((t) => t.name).join(', ')})`, where);
  }
  return out;
}

/** Lists nest at most this deep (a tensor's rank); deeper input is refused before any recursive walk. */
const MAX_INPUT_RANK = 32;

function toTensor(value: unknown, tensor: PlanTensor, where: string): HostTensor {
  const shape: number[] = [];
  for (let v = value; Array.isArray(v); v = v[0]) {
    if (shape.length === MAX_INPUT_RANK) throw new CliError('NNR5007', `input '${tensor.name}': lists nest more than ${MAX_INPUT_RANK} levels deep`, where);
    shape.push(v.length);
  }
  const flat: number[] = [];
  const walk = (v: unknown, depth: number): void => {
    if (depth === shape.length) {
      // JSON.parse reads 1e400 as Infinity: refused like any other non-number.
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new CliError('NNR5003', `input '${tensor.name}': ${JSON.stringify(v) ?? String(v)} is not a finite number`, where);
      flat.push(v);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) throw new CliError('NNR5002', `input '${tensor.name}' is ragged at depth ${depth + 1}`, where);
    for (const item of v) walk(item, depth + 1);
  };
  walk(value, 0);
  checkShape(shape, tensor, where);
  if (tensor.dtype === 'i32') return castTo({ shape, dtype: 'i32', data: Int32Array.from(flat) }, tensor, where, flat);
  return { shape, dtype: 'f32', data: Float32Array.from(flat) };
}

/** An input's rank and fixed dims against the plan's (NNR5005); the batch axis needs at least one sample. */
function checkShape(shape: readonly number[], tensor: PlanTensor, where: string): void {
  if (shape.length !== tensor.shape.length) {
    throw new CliError('NNR5005', `input '${tensor.name}' needs rank ${tensor.shape.length} [${tensor.shape.join(', ')}], got [${shape.join(', ')}]`, where);
  }
  tensor.shape.forEach((dim, i) => {
    if ((typeof dim === 'number' && dim !== shape[i]) || shape[i] === 0) {
      throw new CliError('NNR5005', `input '${tensor.name}' needs shape [${tensor.shape.join(', ')}], got [${shape.join(', ')}]`, where);
    }
  });
}

/** Converts to the input's dtype; an int input refuses a value that is not a whole number (NNR5005) rather than round it. */
function castTo(t: HostTensor, tensor: PlanTensor, where: string, values: ArrayLike<number> = t.data): HostTensor {
  if (tensor.dtype === 'i32') {
    const bad = Array.prototype.findIndex.call(values, (v: number) => !Number.isInteger(v) || Math.abs(v) > 2 ** 31 - 1);
    if (bad >= 0) throw new CliError('NNR5005', `input '${tensor.name}' is int, but value ${bad + 1} is ${values[bad]}, not a whole number in the int32 range`, where);
  }
  if (t.dtype === tensor.dtype) return t;
  return { shape: t.shape, dtype: tensor.dtype, data: tensor.dtype === 'i32' ? Int32Array.from(t.data) : Float32Array.from(t.data) };
}

/** `{"y": [[0.60530524, 0.65013656]]}`: outputs in plan order, 8 significant digits. */
export function formatOutputs(outputs: Record<string, HostTensor>, plan: Plan): string {
  const parts = plan.outputs.map((o) => {
    const t = outputs[o.name] ?? outputs[o.tensor];
    return `${JSON.stringify(o.name)}: ${t ? nested(t, 0, 0).text : 'null'}`;
  });
  return `{${parts.join(', ')}}`;
}

function nested(t: HostTensor, axis: number, offset: number): { text: string } {
  if (axis === t.shape.length) return { text: numberText(t.data[offset]!, t.dtype) };
  const stride = t.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const items: string[] = [];
  for (let i = 0; i < t.shape[axis]!; i++) items.push(nested(t, axis + 1, offset + i * stride).text);
  return { text: `[${items.join(', ')}]` };
}

function numberText(v: number, dtype: 'f32' | 'i32'): string {
  if (dtype === 'i32') return String(v);
  if (!Number.isFinite(v)) return JSON.stringify(String(v));
  return String(Number(v.toPrecision(8)));
}
