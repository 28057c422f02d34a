import { readTextGuarded } from '../files/guarded-files.js';
import { MAX_FILE_CHARACTERS } from '../grammar/limits.js';
import { basename } from 'node:path';
import type { CheckedModel, CheckResult } from '../compiler/api-types.js';
import { compileModel, type CompileResult, type ExplainEntry } from '../compiler/compile.js';
import { PLAIN, renderDiagnostics } from '../diagnostics/render.js';
import { checkSource } from '../compiler/index.js';
import type { Executor } from '../runtime/executor.js';
import type { Plan, PlanTarget } from '../runtime/plan/format.js';
import type { HostTensor } from '../runtime/tensor.js';
import { sizeOf } from '../runtime/tensor.js';
import { CliError, DiagnosticsReported } from './cli-error.js';
import { EXIT_ERRORS } from './exit-codes.js';
import { defaultMemoryLimit } from './memory-limit.js';
import { overBudget } from '../runtime/plan/memory-budget.js';
import { errorLine, plural, stderrPaint, type UserErrorLine } from './terminal.js';

export { CliError, DiagnosticsReported };
import { loadPlanFile as loadPlanWithWeights } from '../runtime/plan/load-file.js';

/**
 * What the commands that load models share (compile, run, train, graph, export): read and check a
 * .nnet file, compile one of its models, load a saved plan, make an executor for a target, and turn
 * every user error into one clear line and exit code 1 (never a stack trace).
 */

export interface LoadedModel {
  path: string;
  text: string;
  check: CheckResult;
  model: CheckedModel;
}

/** A .nnet source (NN4005 when it cannot be read: missing, a folder, a device, over the cap). */
export function readText(path: string): string {
  return readTextGuarded(path, { code: 'NN4005', what: 'the file', maxBytes: MAX_SOURCE_BYTES });
}

/** Sources are capped at the front end's limit in UTF-16 units, which UTF-8 can take 3 bytes each to hold. */
const MAX_SOURCE_BYTES = 3 * MAX_FILE_CHARACTERS;

/** A .nnet file that checked without errors. */
export interface CheckedFile {
  path: string;
  text: string;
  check: CheckResult;
}

/** Checks a .nnet file; prints its diagnostics and fails if it has errors. */
export function loadChecked(path: string): CheckedFile {
  const text = readText(path);
  const check = checkSource(text, { path });
  const errors = check.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    process.stderr.write(renderDiagnostics(errors, text, path, stderrPaint()));
    throw new DiagnosticsReported(`${plural(errors.length, 'error')} in ${path}; nothing was run`);
  }
  return { path, text, check };
}

/** Checks a .nnet file (see `loadChecked`) and picks the model: `modelName`, else the last one. */
export function loadModel(path: string, modelName?: string): LoadedModel {
  return pickModel(loadChecked(path), modelName);
}

export function pickModel(file: CheckedFile, modelName?: string): LoadedModel {
  const { check, path } = file;
  if (check.models.length === 0) throw new CliError('NN5001', 'the file declares no model', path);
  // A gan's name stands for its generator (what compile, run and export produce).
  const gan = modelName ? check.gans.find((g) => g.name === modelName) : undefined;
  const name = gan ? gan.generator : modelName;
  const model = name ? check.models.find((m) => m.name === name) : check.models[check.models.length - 1];
  if (!model) {
    const gans = check.gans.length > 0 ? `; gans: ${check.gans.map((g) => g.name).join(', ')}` : '';
    throw new CliError('NN5001', `no model '${modelName}' in this file (models: ${check.models.map((m) => m.name).join(', ')}${gans})`, path);
  }
  return { ...file, model };
}

/** The models `modelName` names: a gan's generator and discriminator, else the one `pickModel` picks. */
export function pickModels(file: CheckedFile, modelName?: string): LoadedModel[] {
  const gan = modelName ? file.check.gans.find((g) => g.name === modelName) : undefined;
  if (!gan) return [pickModel(file, modelName)];
  return [gan.generator, gan.discriminator].map((name) => pickModel(file, name));
}

export interface CompiledModel extends LoadedModel {
  plan: Plan;
  weights: Map<string, HostTensor>;
  explain: ExplainEntry[];
}

export function compileLoaded(
  loaded: LoadedModel,
  options: { target: PlanTarget; fuse: boolean; training: boolean; seed?: number; memoryLimit?: number; batch?: number },
): CompiledModel {
  const result: CompileResult = compileModel(loaded.check, loaded.model.name, {
    ...options,
    memoryLimit: options.memoryLimit ?? defaultMemoryLimit(),
    path: loaded.path,
    text: loaded.text,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
  });
  if (!result.plan) {
    process.stderr.write(renderDiagnostics(result.diagnostics, loaded.text, loaded.path, stderrPaint()));
    throw new DiagnosticsReported(`model '${loaded.model.name}' in ${loaded.path} could not be compiled; nothing was run`);
  }
  return { ...loaded, plan: result.plan, weights: withShapes(result.plan, result.weights), explain: result.explain };
}

/** Bare weight arrays from the compiler, shaped by the plan (symbolic dims cannot occur in weights). */
export function withShapes(plan: Plan, weights: ReadonlyMap<string, Float32Array | Int32Array>): Map<string, HostTensor> {
  const byName = new Map(plan.tensors.map((t) => [t.name, t]));
  const out = new Map<string, HostTensor>();
  for (const [name, data] of weights) {
    const tensor = byName.get(name);
    const shape = tensor ? tensor.shape.map((d) => (typeof d === 'number' ? d : data.length)) : [data.length];
    out.set(name, { shape: sizeOf(shape) === data.length ? shape : [data.length], dtype: data instanceof Int32Array ? 'i32' : 'f32', data });
  }
  return out;
}

/** A saved plan (`nnet compile -o`) and its weights (`--weights`, else the file the plan names, else embedded). */
export async function loadPlanFile(path: string, weightsPath?: string): Promise<{ plan: Plan; weights: Map<string, HostTensor> }> {
  return await loadPlanWithWeights(path, weightsPath);
}

/** Refuses (NN5007) running `plan` at `batch` when it needs more than `limit` bytes, before anything is allocated. */
export function ensureFits(plan: Plan, batch: number, limit = defaultMemoryLimit()): void {
  const over = overBudget(plan, batch, limit);
  if (over) throw new CliError('NN5007', over.message);
}

/** `.nnet` files are compiled; anything else is read as a saved plan. */
export function isNnetFile(path: string): boolean {
  return path.toLowerCase().endsWith('.nnet');
}

export async function createExecutor(plan: Plan, weights: Map<string, HostTensor>, target: PlanTarget): Promise<Executor> {
  if (target === 'cpu') {
    const { createCpuExecutor } = await import('../runtime/cpu/index.js');
    return createCpuExecutor(plan, weights);
  }
  const modulePath = '../runtime/webgpu/index.js';
  let webgpu: { createWebGpuExecutor?: (plan: Plan, weights: Map<string, HostTensor>) => Promise<Executor> | Executor };
  try {
    webgpu = (await import(modulePath)) as typeof webgpu;
  } catch (err) {
    throw new CliError('NNR6001', `the WebGPU runtime is not available (${(err as Error).message}); use --target cpu`);
  }
  if (typeof webgpu.createWebGpuExecutor !== 'function') {
    throw new CliError('NNR6001', 'the WebGPU runtime does not export createWebGpuExecutor yet; use --target cpu');
  }
  return await webgpu.createWebGpuExecutor(plan, weights);
}

/**
 * Runs a command body; user errors (anything carrying an NN/NNR code) become one line on stderr,
 * `where: error CODE: message`, and exit code 1; diagnostics already printed end with their summary
 * line. Other errors are bugs and propagate to main's internal-error handler.
 */
export async function runCommand(setExitCode: (code: number) => void, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (err) {
    if (err instanceof DiagnosticsReported) {
      process.stderr.write(`${err.summary}\n`);
      setExitCode(EXIT_ERRORS);
      return;
    }
    const error = userError(err);
    if (error === null) throw err;
    process.stderr.write(`${errorLine(error, stderrPaint())}\n`);
    setExitCode(EXIT_ERRORS);
  }
}

/** The plain line `where: error CODE: message` of a user error; null for anything else (a bug). */
export function userErrorLine(err: unknown): string | null {
  const error = userError(err);
  return error && errorLine(error, PLAIN);
}

/** The place, code and message of a user error from any layer; null for anything else (a bug). */
export function userError(err: unknown): UserErrorLine | null {
  if (!(err instanceof Error)) return null;
  const coded = err as Error & { code?: unknown; location?: unknown };
  const location = typeof coded.location === 'string' && coded.location !== '' ? coded.location : undefined;
  const at = location !== undefined ? { location } : {};
  if (err instanceof CliError) return { ...at, code: err.code, message: err.message };
  if (typeof coded.code === 'string' && /^NN/.test(coded.code)) {
    // PlanError puts its code in front of the message already.
    const prefix = `${coded.code}: `;
    return { ...at, code: coded.code, message: err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message };
  }
  if (err.name === 'ConfigError') return { code: 'NNR5103', message: err.message };
  return null;
}

export function fileStem(path: string): string {
  return basename(path).replace(/\.[^.]+$/, '');
}

