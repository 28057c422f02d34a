import { checkIndexInputs, indexInputRanges, type IndexRange } from '../index-inputs.js';
import type { Executor, NonFiniteStep, TrainStepOptions, TrainStepResult } from '../executor.js';
import { readableTensor } from '../plan/readable-tensors.js';
import { checkWeights, STORED_ROLES, type WeightValue } from '../plan/check-weights.js';
import { evalDim } from '../plan/dims.js';
import { PlanError } from '../plan/errors.js';
import { KERNELS, parseKernelName, type KernelName } from '../plan/kernels.js';
import type { Plan, PlanStep, PlanTensor } from '../plan/format.js';
import { validatePlan } from '../plan/validate.js';
import type { HostTensor } from '../tensor.js';
import { bindDims, sameShape, sameShapes } from './bind-dims.js';
import { allocateBound, releaseBound, type Bound, type StepArgs } from './bound-buffers.js';
import type { Attrs, CpuKernel, CpuTensor, KernelContext } from './kernel-interface.js';
import { resolveCpuKernel } from './kernel-registry.js';
import { markCacheable, markWritten } from './packed-operands.js';
import { createStoredMemory, type StoredMemory } from './simd/stored-memory.js';
import { hasNonFinite } from './wasm/finite-simd.js';
import { tensorHeap } from './wasm/install.js';
import { releaseHeldBlocks } from './wasm/kernel-memory.js';
import { forgetResident } from './wasm/resident-operands.js';

const NO_NAMES: string[] = [];
/** The outputs of a step that reads none: one frozen object shared by every such step (none per step). */
const NO_OUTPUTS: Record<string, HostTensor> = Object.freeze({});

interface CompiledStep {
  step: PlanStep;
  run: CpuKernel;
  where: string;
  /** Stored buffers this step may write (its stored outputs; for updates, every stored input too). */
  writesStored: Array<Float32Array | Int32Array>;
}

/**
 * Roles whose buffers kernels may keep packed copies of (packed-operands.ts): they change only
 * through the update phase and setWeights, both of which report their writes.
 */
const CACHEABLE_ROLES = new Set(['param', 'const']);
/** Roles the optimizer updates in place: they live in the stored WebAssembly memory when there is one. */
const UPDATED_ROLES = new Set(['param', 'optimizer']);

/**
 * Runs a validated plan on Float32Array buffers. Stored tensors (params, state, consts, optimizer
 * slots) live for the executor's lifetime; the others are placed once per set of bound dims (batch
 * size) by bound-buffers.ts and reused.
 */
export class CpuExecutor implements Executor {
  readonly plan: Plan;
  private readonly stored = new Map<string, CpuTensor>();
  /** The block of the kernels' memory holding the parameters and slots, given back on dispose. */
  private readonly storedMemory: StoredMemory | null;
  private readonly byName: Map<string, PlanTensor>;
  private readonly bound = new Map<string, Bound>();
  private readonly forward: CompiledStep[];
  private readonly lossSteps: CompiledStep[];
  private readonly backward: CompiledStep[];
  private readonly update: CompiledStep[];
  private step = 0;
  private readonly indexRanges: IndexRange[];
  /** The inputs and labels a training step or evaluation is fed. */
  private readonly feedNames: string[];
  /** The last binding: a call whose tensors have the same shapes reuses it without re-deriving dims. */
  private lastBind: { names: string[]; shapes: number[][]; bound: Bound } | null = null;
  private readonly trainContext: KernelContext = { training: true, lr: 0, step: 0, seed: 0 };
  /** The tensor each readable name (an output, the prediction, a metric's) reads, once looked up. */
  private readonly readable = new Map<string, string>();

  constructor(plan: unknown, weights: ReadonlyMap<string, WeightValue>) {
    this.plan = validatePlan(plan);
    checkWeights(this.plan, weights, { allowMissingOptimizer: true });
    this.byName = new Map(this.plan.tensors.map((t) => [t.name, t]));
    this.indexRanges = indexInputRanges(this.plan);
    this.feedNames = [...this.plan.inputs, ...this.plan.labels];
    const storedMemory = (this.storedMemory = this.createStoredMemory());
    for (const t of this.plan.tensors) {
      if (!STORED_ROLES.has(t.role)) continue;
      const shape = t.shape.map((d) => evalDim(d, {}));
      const size = shape.reduce((a, b) => a * b, 1);
      const data = t.dtype === 'i32' ? new Int32Array(size) : storedMemory && UPDATED_ROLES.has(t.role) ? storedMemory.allocate(size) : new Float32Array(size);
      const value = weights.get(t.name);
      if (value) data.set('data' in value ? value.data : value);
      if (data instanceof Float32Array && CACHEABLE_ROLES.has(t.role)) markCacheable(data);
      this.stored.set(t.name, { shape, data });
    }
    const compile = (steps: PlanStep[], phase: string): CompiledStep[] =>
      steps.map((step, i) => {
        // Optimizer updates write their parameter and slots in place, i.e. through their inputs. Each
        // tensor once: a copy the update rewrites as it goes is current at the next version only.
        const written = phase === 'update' ? [...new Set([...step.outputs, ...step.inputs])] : step.outputs;
        const writesStored = written.filter((name) => this.stored.has(name)).map((name) => this.stored.get(name)!.data);
        return { step, run: resolveCpuKernel(step.kernel), where: describeStep(step, phase, i), writesStored };
      });
    this.forward = compile(this.plan.forward, 'forward');
    const all = compile(this.plan.backward, 'backward');
    const lossCount = this.plan.training?.lossSteps ?? all.findIndex((s) => s.step.outputs.includes(this.plan.training?.loss ?? '')) + 1;
    this.lossSteps = all.slice(0, lossCount);
    this.backward = all.slice(lossCount);
    this.update = compile(this.plan.update, 'update');
  }

  /**
   * Trainable parameters and optimizer slots in one WebAssembly memory, so the update kernels run on
   * them in place in WASM SIMD (simd/stored-memory.ts); null for inference plans and without SIMD.
   */
  private createStoredMemory(): StoredMemory | null {
    if (this.plan.update.length === 0) return null;
    const sizes = this.plan.tensors
      .filter((t) => t.dtype === 'f32' && UPDATED_ROLES.has(t.role))
      .map((t) => t.shape.reduce<number>((n, d) => n * evalDim(d, {}), 1));
    const largestParam = Math.max(0, ...this.plan.tensors.filter((t) => t.role === 'param').map((t) => t.shape.reduce<number>((n, d) => n * evalDim(d, {}), 1)));
    return createStoredMemory(sizes, largestParam, tensorHeap(), this);
  }

  async infer(inputs: Record<string, HostTensor>): Promise<Record<string, HostTensor>> {
    const bound = this.bind(inputs, this.plan.inputs);
    this.run(this.forward, bound, { training: false, lr: 0, step: this.step, seed: 0 });
    return this.readOutputs(bound, this.plan.outputs.map((o) => o.name));
  }

  async inferTensors(inputs: Record<string, HostTensor>, names: readonly string[]): Promise<Map<string, HostTensor>> {
    const bound = this.bind(inputs, this.plan.inputs);
    const ctx: KernelContext = { training: false, lr: 0, step: this.step, seed: 0 };
    const wanted = new Set(names);
    const read = new Map<string, HostTensor>();
    const copy = (name: string): void => {
      const t = bound.tensors.get(name);
      if (t) read.set(name, { shape: [...t.shape], dtype: this.byName.get(name)!.dtype, data: t.data.slice() });
    };
    // One step at a time, copying what it wrote at once: the memory plan lets a later step reuse its buffer.
    for (const compiled of this.forward) {
      this.run([compiled], bound, ctx);
      for (const name of compiled.step.outputs) if (wanted.has(name)) copy(name);
    }
    for (const name of names) if (!read.has(name)) copy(name);
    return read;
  }

  async trainStep(inputs: Record<string, HostTensor>, options: TrainStepOptions): Promise<TrainStepResult> {
    return this.trainStepSync(inputs, options);
  }

  trainStepSync(inputs: Record<string, HostTensor>, options: TrainStepOptions, into?: TrainStepResult): TrainStepResult {
    const training = this.requireTraining();
    const bound = this.bind(inputs, this.feedNames);
    this.step += 1;
    // One context object, refilled each step (kernels read it during the call only).
    const ctx = this.trainContext;
    ctx.lr = options.lr;
    ctx.step = this.step;
    ctx.seed = options.seed;
    this.run(this.forward, bound, ctx);
    this.run(this.lossSteps, bound, ctx);
    this.run(this.backward, bound, ctx);
    this.run(this.update, bound, ctx);
    const loss = options.skipLoss ? NaN : (bound.tensors.get(training.loss)!.data[0] ?? NaN);
    const names = options.outputs ?? NO_NAMES;
    if (!into) return { loss, outputs: this.readOutputs(bound, names) };
    into.loss = loss;
    this.readOutputsInto(bound, names, into.outputs);
    return into;
  }

  async evaluate(inputs: Record<string, HostTensor>, options: { outputs?: string[] } = {}): Promise<TrainStepResult> {
    const training = this.requireTraining();
    const bound = this.bind(inputs, this.feedNames);
    const ctx: KernelContext = { training: false, lr: 0, step: this.step, seed: 0 };
    this.run(this.forward, bound, ctx);
    this.run(this.lossSteps, bound, ctx);
    return { loss: bound.tensors.get(training.loss)!.data[0] ?? NaN, outputs: this.readOutputs(bound, options.outputs ?? []) };
  }

  async getWeights(): Promise<Map<string, HostTensor>> {
    return this.copyStored((t) => t.role === 'param' || t.role === 'state');
  }

  async setWeights(weights: Map<string, HostTensor>): Promise<void> {
    this.assign(weights, (t) => t.role === 'param' || t.role === 'state');
  }

  async getOptimizerState(): Promise<{ step: number; slots: Map<string, HostTensor> }> {
    return { step: this.step, slots: this.copyStored((t) => t.role === 'optimizer') };
  }

  async setOptimizerState(state: { step: number; slots: Map<string, HostTensor> }): Promise<void> {
    this.assign(state.slots, (t) => t.role === 'optimizer');
    this.step = state.step;
  }

  /**
   * A copy of any tensor of the plan as of the last run with the given input shapes (stored tensors
   * at any time): gradients for tests and for naming the layer where a NaN appeared.
   */
  readTensor(name: string): HostTensor | null {
    const stored = this.stored.get(name);
    const last = [...this.bound.values()].pop();
    const t = stored ?? last?.tensors.get(name);
    const spec = this.byName.get(name);
    if (!t || !spec) return null;
    return { shape: [...t.shape], dtype: spec.dtype, data: t.data.slice() };
  }

  /**
   * After a step whose loss came out NaN or infinite: the first step of the last run (in execution
   * order) that wrote a non-finite value, with its source, so the training loop can name the layer.
   */
  firstNonFinite(): NonFiniteStep | null {
    const last = [...this.bound.values()].pop();
    if (!last) return null;
    const phases: Array<[string, CompiledStep[]]> = [['forward', this.forward], ['loss', this.lossSteps], ['backward', this.backward], ['update', this.update]];
    for (const [phase, steps] of phases) {
      for (let index = 0; index < steps.length; index++) {
        const { step } = steps[index]!;
        for (const name of step.outputs) {
          const data = (this.stored.get(name) ?? last.tensors.get(name))?.data;
          if (data && data.some((v) => !Number.isFinite(v))) return { phase, index, kernel: step.kernel, tensor: name, source: step.source };
        }
      }
    }
    return null;
  }

  /** The first parameter or state tensor (plan order) holding a NaN or an infinity; a scan, no copy. */
  nonFiniteWeight(): string | null {
    for (const [name, tensor] of this.stored) {
      const role = this.byName.get(name)?.role;
      if (role !== 'param' && role !== 'state') continue;
      if (hasNonFinite(tensor.data)) return name;
    }
    return null;
  }

  /** The gradient tensor each optimizer update reads, by parameter name. */
  gradientNames(): Map<string, string> {
    return new Map(this.plan.update.map((s) => [s.inputs[0]!, s.inputs[1]!]));
  }

  /**
   * Gives back every block this executor holds in the kernels' WebAssembly memory (which never
   * shrinks, and later executors reuse): its bound tensors, its parameters and slots, the resident
   * copies of its weights, and the blocks kernels keep between calls (wasm/kernel-memory.ts). The
   * executor must not be used after.
   */
  dispose(): void {
    for (const bound of this.bound.values()) releaseBound(bound);
    this.bound.clear();
    this.lastBind = null;
    for (const { data } of this.stored.values()) if (data instanceof Float32Array) forgetResident(data);
    this.storedMemory?.release();
    releaseHeldBlocks();
  }

  private requireTraining(): NonNullable<Plan['training']> {
    if (!this.plan.training) throw new PlanError('NNR1011', `plan '${this.plan.model}' was compiled without training; compile it with a train section`);
    return this.plan.training;
  }

  private run(steps: CompiledStep[], bound: Bound, ctx: KernelContext): void {
    // Index loops: a steady-state step allocates nothing, iterators included.
    for (let s = 0; s < steps.length; s++) {
      const compiled = steps[s]!;
      const { run, where, writesStored } = compiled;
      const { inputs, outputs, attrs } = bound.args.get(compiled) ?? stepArgs(compiled, bound);
      try {
        run(ctx, inputs, outputs, attrs);
      } catch (error) {
        // A coded error (the kernels' memory full: NNR1019) keeps its code, so the CLI shows it as the user's.
        if (error instanceof PlanError) throw new PlanError(error.code, `${where}: ${error.message.slice(error.code.length + 2)}`);
        throw new Error(`${where}: ${(error as Error).message}`);
      }
      for (let w = 0; w < writesStored.length; w++) markWritten(writesStored[w]!);
    }
  }

  /** Binds symbolic dims from the given tensors, then returns views for every tensor of the plan. */
  private bind(given: Record<string, HostTensor>, names: string[]): Bound {
    checkIndexInputs(this.indexRanges, given);
    const last = this.lastBind;
    if (last && last.names === names && this.bound.get(last.bound.key) === last.bound && sameShapes(given, names, last.shapes)) {
      // The steady state of a training loop: same batch shape as the last call, nothing to allocate.
      for (let i = 0; i < names.length; i++) this.rebind(last.bound, names[i]!, given[names[i]!]!);
      return last.bound;
    }
    return this.bindAnew(given, names);
  }

  /**
   * `bind` for new shapes. A method of its own because its closures capture `given`: in `bind` they
   * would make every call, the steady state's too, allocate a context for it.
   */
  private bindAnew(given: Record<string, HostTensor>, names: string[]): Bound {
    const dims = bindDims(this.plan, this.byName, given, names);
    const key = JSON.stringify(dims);
    let bound = this.bound.get(key);
    if (!bound) {
      bound = allocateBound(this.plan, this.stored, dims, key);
      if (this.bound.size >= 4) {
        const oldest = this.bound.keys().next().value!;
        releaseBound(this.bound.get(oldest)!);
        this.bound.delete(oldest);
      }
      this.bound.set(key, bound);
    }
    for (const name of names) this.rebind(bound, name, given[name]!);
    this.lastBind = { names, shapes: names.map((name) => [...given[name]!.shape]), bound };
    return bound;
  }

  /** Points the bound tensor `name` at the caller's data, in place: the steps' argument arrays (Bound.args) hold that object. */
  private rebind(bound: Bound, name: string, tensor: HostTensor): void {
    const copied = bound.copiedInputs.get(name);
    if (copied) {
      copied.set(tensor.data);
      return;
    }
    const spec = this.byName.get(name)!;
    let data = tensor.data;
    if (spec.dtype === 'i32' && !(data instanceof Int32Array)) data = Int32Array.from(data);
    if (spec.dtype === 'f32' && !(data instanceof Float32Array)) data = Float32Array.from(data);
    const slot = bound.tensors.get(name);
    if (!slot) bound.tensors.set(name, { shape: [...tensor.shape], data });
    else {
      if (!sameShape(slot.shape, tensor.shape)) slot.shape = [...tensor.shape];
      slot.data = data;
    }
  }

  private readOutputs(bound: Bound, names: string[]): Record<string, HostTensor> {
    if (names.length === 0) return NO_OUTPUTS;
    const result: Record<string, HostTensor> = {};
    this.readOutputsInto(bound, names, result);
    return result;
  }

  /** Copies the named outputs into `into`, into the arrays it holds where they fit (trainStepSync's reused result). */
  private readOutputsInto(bound: Bound, names: string[], into: Record<string, HostTensor>): void {
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      let tensor = this.readable.get(name);
      if (tensor === undefined) {
        tensor = readableTensor(this.plan, name);
        if (tensor === undefined) throw new PlanError('NNR1011', `no output '${name}' (outputs: ${this.plan.outputs.map((o) => o.name).join(', ')})`);
        this.readable.set(name, tensor);
      }
      const t = bound.tensors.get(tensor)!;
      const dtype = t.data instanceof Int32Array ? 'i32' : 'f32';
      const held = Object.hasOwn(into, name) ? into[name] : undefined;
      if (held && held.dtype === dtype && held.data.length === t.data.length) {
        held.data.set(t.data);
        if (!sameShape(held.shape, t.shape)) held.shape = [...t.shape];
      } else into[name] = { shape: [...t.shape], dtype, data: t.data.slice() };
    }
  }

  private copyStored(keep: (t: PlanTensor) => boolean): Map<string, HostTensor> {
    const out = new Map<string, HostTensor>();
    for (const t of this.plan.tensors) {
      if (!keep(t)) continue;
      const value = this.stored.get(t.name)!;
      out.set(t.name, { shape: [...value.shape], dtype: t.dtype, data: value.data.slice() });
    }
    return out;
  }

  private assign(values: Map<string, HostTensor>, keep: (t: PlanTensor) => boolean): void {
    const subset = new Map([...values].filter(([name]) => keep(this.byName.get(name) ?? ({ role: 'activation' } as PlanTensor))));
    for (const [name, value] of subset) {
      const target = this.stored.get(name)!;
      if (value.data.length !== target.data.length) throw new PlanError('NNR1102', `'${name}' has ${value.data.length} values, the plan needs ${target.data.length}`);
    }
    for (const [name, value] of subset) {
      const target = this.stored.get(name)!.data;
      target.set(value.data);
      markWritten(target);
    }
  }
}

/**
 * The argument lists of `compiled` for `bound`, made on its first run there and kept in `bound.args`.
 * A function of its own because its closures capture `bound`: inside `run` they would make every
 * call allocate a context for it, steady state included.
 */
function stepArgs(compiled: CompiledStep, bound: Bound): StepArgs {
  const { step } = compiled;
  const args = { inputs: step.inputs.map((n) => bound.tensors.get(n)!), outputs: step.outputs.map((n) => bound.tensors.get(n)!), attrs: boundAttrs(step, bound.dims) };
  bound.args.set(compiled, args);
  return args;
}

function describeStep(step: PlanStep, phase: string, index: number): string {
  const s = step.source;
  const at = s ? ` (${s.op} '${s.layer}'${s.line ? ` at line ${s.line}:${s.column}` : ''})` : '';
  return `${phase} step ${index} ${step.kernel}${at}`;
}

/** A step's attrs with the `dim` and `dims` attributes (integers or dim expressions) evaluated for the bound dims. */
function boundAttrs(step: PlanStep, dims: Record<string, number>): Attrs {
  const spec: Readonly<Record<string, { type: string }>> = KERNELS[parseKernelName(step.kernel).base as KernelName]?.attrs ?? {};
  const bound = (type: string | undefined, value: PlanStep['attrs'][string]): PlanStep['attrs'][string] => {
    if (type === 'dim' && typeof value === 'string') return evalDim(value, dims);
    // A list of dims (strided_read's starts) may hold expressions too.
    if (type === 'dims' && Array.isArray(value) && value.some((d) => typeof d === 'string')) return value.map((d) => (typeof d === 'string' ? evalDim(d, dims) : d));
    return value;
  };
  const entries = Object.entries(step.attrs).map(([name, value]) => [name, bound(spec[name]?.type, value)]);
  return Object.fromEntries(entries) as Attrs;
}
