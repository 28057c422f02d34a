import { checkIndexInputs, indexInputRanges, type IndexRange } from '../index-inputs.js';
import type { Executor, TrainStepOptions, TrainStepResult } from '../executor.js';
import { readableTensor } from '../plan/readable-tensors.js';
import type { Plan, PlanStep } from '../plan/format.js';
import type { HostTensor } from '../tensor.js';
import { sizeOf } from '../tensor.js';
import { bindDims, bindPlan, bufferBytes, concreteShape, dimsKey, isPersistent, type BindContext, type BoundPlan, type BoundStep, type Dims } from './bound-plan.js';
import { WebGpuError } from './errors.js';

/**
 * Runs a WebGPU plan. Every call encodes its whole phase list (a training step: forward, loss,
 * backward, update) into ONE command buffer and ONE submission, and maps back only what was asked
 * (the loss unless skipped, the named outputs). GPU errors (validation, out of memory) are caught with
 * error scopes and reported naming the step; a lost device rejects every pending call.
 */
const MAX_BOUND_BATCH_SIZES = 4;

export class WebGpuExecutor implements Executor {
  private readonly bindings = new Map<string, BoundPlan>();
  private readonly tensors;
  private optimizerStep = 0;
  private lostReason: string | null = null;
  private readonly lossSteps: Set<PlanStep>;
  private readonly indexRanges: IndexRange[];

  constructor(
    readonly plan: Plan,
    private readonly device: GPUDevice,
    private readonly context: BindContext,
  ) {
    this.tensors = new Map(plan.tensors.map((t) => [t.name, t]));
    this.lossSteps = lossClosure(plan);
    this.indexRanges = indexInputRanges(plan);
    void device.lost.then((info) => {
      this.lostReason = `${info.reason}: ${info.message}`;
    });
  }

  private checkAlive(): void {
    if (this.lostReason !== null) throw new WebGpuError('NNR6004', `the WebGPU device was lost (${this.lostReason})`);
  }

  /** The plan bound to these dims, allocating its buffers on first use (errors name the batch size). */
  private async bound(dims: Dims): Promise<BoundPlan> {
    const key = dimsKey(dims);
    const existing = this.bindings.get(key);
    if (existing) return existing;
    this.checkAlive();
    this.device.pushErrorScope('out-of-memory');
    this.device.pushErrorScope('validation');
    const bound = bindPlan(this.context, dims);
    const validation = await this.device.popErrorScope();
    const memory = await this.device.popErrorScope();
    const error = validation ?? memory;
    if (error) {
      bound.owned.forEach((b) => b.destroy());
      throw new WebGpuError('NNR6003', `could not allocate GPU buffers for ${key || 'the plan'}: ${error.message.trim()}; try a smaller batch`);
    }
    // Keep the few batch sizes a run uses (train, last partial batch, evaluation); drop the oldest.
    if (this.bindings.size >= MAX_BOUND_BATCH_SIZES) {
      const [oldestKey, oldest] = this.bindings.entries().next().value!;
      oldest.owned.forEach((b) => b.destroy());
      this.bindings.delete(oldestKey);
    }
    this.bindings.set(key, bound);
    return bound;
  }

  private upload(bound: BoundPlan, inputs: Record<string, HostTensor>, names: readonly string[]): void {
    checkIndexInputs(this.indexRanges, inputs);
    for (const name of names) {
      const t = inputs[name]!;
      this.device.queue.writeBuffer(bound.buffers.get(name)!, 0, t.data.buffer, t.data.byteOffset, t.data.byteLength);
    }
  }

  private writeRuntime(lr: number, step: number, seed: number, training: boolean): void {
    const data = new ArrayBuffer(16);
    new Float32Array(data, 0, 1)[0] = lr;
    new Uint32Array(data, 4, 3).set([step, seed >>> 0, training ? 1 : 0]);
    this.device.queue.writeBuffer(this.context.runtimeUniform, 0, data);
  }

  /** Encodes the steps, copies the requested tensors to mappable buffers, submits once, maps them. */
  private async run(bound: BoundPlan, steps: BoundStep[], read: string[]): Promise<Map<string, HostTensor>> {
    this.checkAlive();
    const device = this.device;
    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    for (const s of steps) {
      pass.setPipeline(s.pipeline);
      pass.setBindGroup(0, s.bindGroup);
      pass.dispatchWorkgroups(...s.workgroups);
    }
    pass.end();
    const staging = read.map((name) => {
      const t = this.tensors.get(name)!;
      const shape = concreteShape(t, bound.dims);
      const bytes = bufferBytes(sizeOf(shape));
      const buffer = device.createBuffer({ label: `read ${name}`, size: bytes, usage: 0x01 /* MAP_READ */ | 0x08 /* COPY_DST */ });
      encoder.copyBufferToBuffer(bound.buffers.get(name)!, 0, buffer, 0, bytes);
      return { name, shape, dtype: t.dtype, buffer };
    });
    device.queue.submit([encoder.finish()]);
    const validation = await device.popErrorScope();
    const memory = await device.popErrorScope();
    const error = validation ?? memory;
    if (error) {
      staging.forEach((s) => s.buffer.destroy());
      const named = steps.find((s) => error.message.includes(s.label));
      const where = named ? named.label : `one of ${steps.length} steps (${steps[0]?.label ?? 'none'} …)`;
      throw new WebGpuError('NNR6003', `GPU error in ${where}: ${error.message.trim()}`);
    }
    const results = new Map<string, HostTensor>();
    const lost = this.device.lost.then((info) => {
      throw new WebGpuError('NNR6004', `the WebGPU device was lost (${info.reason}: ${info.message})`);
    });
    lost.catch(() => undefined); // observed here; the race below reports it while a map is pending
    for (const s of staging) {
      await Promise.race([s.buffer.mapAsync(0x0001 /* READ */), lost]);
      const bytes = s.buffer.getMappedRange().slice(0, sizeOf(s.shape) * 4);
      s.buffer.unmap();
      s.buffer.destroy();
      const data = s.dtype === 'i32' ? new Int32Array(bytes) : new Float32Array(bytes);
      results.set(s.name, { shape: s.shape, dtype: s.dtype, data });
    }
    return results;
  }

  private outputTensor(name: string): string {
    const tensor = readableTensor(this.plan, name);
    if (tensor === undefined) throw new WebGpuError('NNR6005', `the model has no output '${name}' (outputs: ${this.plan.outputs.map((o) => o.name).join(', ')})`);
    return tensor;
  }

  private collect(read: Map<string, HostTensor>, names: readonly string[]): Record<string, HostTensor> {
    return Object.fromEntries(names.map((n) => [n, read.get(this.outputTensor(n))!]));
  }

  async infer(inputs: Record<string, HostTensor>): Promise<Record<string, HostTensor>> {
    const bound = await this.bound(bindDims(this.plan, inputs, this.plan.inputs));
    this.upload(bound, inputs, this.plan.inputs);
    this.writeRuntime(0, this.optimizerStep, 0, false);
    const names = this.plan.outputs.map((o) => o.name);
    const read = await this.run(bound, bound.forward, names.map((n) => this.outputTensor(n)));
    return this.collect(read, names);
  }

  async inferTensors(inputs: Record<string, HostTensor>, names: readonly string[]): Promise<Map<string, HostTensor>> {
    const bound = await this.bound(bindDims(this.plan, inputs, this.plan.inputs));
    this.upload(bound, inputs, this.plan.inputs);
    this.writeRuntime(0, this.optimizerStep, 0, false);
    // Every per-batch tensor has a buffer of its own here (bindPlan), so all are intact after the pass.
    const known = names.filter((name) => bound.buffers.has(name));
    return this.run(bound, bound.forward, known);
  }

  private trainingPlan(): { loss: string; feeds: string[] } {
    if (!this.plan.training) throw new WebGpuError('NNR6005', `model '${this.plan.model}' has no train section`);
    return { loss: this.plan.training.loss, feeds: [...this.plan.inputs, ...this.plan.labels] };
  }

  async trainStep(inputs: Record<string, HostTensor>, options: TrainStepOptions): Promise<TrainStepResult> {
    const { loss, feeds } = this.trainingPlan();
    const bound = await this.bound(bindDims(this.plan, inputs, feeds));
    this.upload(bound, inputs, feeds);
    this.optimizerStep += 1;
    this.writeRuntime(options.lr, this.optimizerStep, options.seed, true);
    const outputs = options.outputs ?? [];
    const read = [...(options.skipLoss ? [] : [loss]), ...outputs.map((n) => this.outputTensor(n))];
    const result = await this.run(bound, [...bound.forward, ...bound.backward, ...bound.update], read);
    return { loss: options.skipLoss ? NaN : scalar(result.get(loss)!), outputs: this.collect(result, outputs) };
  }

  async evaluate(inputs: Record<string, HostTensor>, options: { outputs?: string[] } = {}): Promise<TrainStepResult> {
    const { loss, feeds } = this.trainingPlan();
    const bound = await this.bound(bindDims(this.plan, inputs, feeds));
    this.upload(bound, inputs, feeds);
    this.writeRuntime(0, this.optimizerStep, 0, false);
    const outputs = options.outputs ?? [];
    const lossSteps = bound.backward.filter((s) => this.lossSteps.has(s.step));
    const result = await this.run(bound, [...bound.forward, ...lossSteps], [loss, ...outputs.map((n) => this.outputTensor(n))]);
    return { loss: scalar(result.get(loss)!), outputs: this.collect(result, outputs) };
  }

  private async readPersistent(filter: (role: string) => boolean): Promise<Map<string, HostTensor>> {
    const names = this.plan.tensors.filter((t) => isPersistent(t) && filter(t.role)).map((t) => t.name);
    // Persistent tensors have fixed shapes: a binding with no dims and only their buffers reads them.
    const persistentOnly: BoundPlan = { dims: {}, buffers: this.context.persistent, forward: [], backward: [], update: [], owned: [] };
    return this.run(persistentOnly, [], names);
  }

  private writePersistent(weights: Map<string, HostTensor>): void {
    for (const [name, tensor] of weights) {
      const t = this.tensors.get(name);
      const buffer = this.context.persistent.get(name);
      if (!t || !buffer) throw new WebGpuError('NNR6005', `the plan has no parameter or state tensor '${name}'`);
      const shape = concreteShape(t, {});
      if (sizeOf(shape) !== tensor.data.length) throw new WebGpuError('NNR6005', `'${name}' has ${tensor.data.length} values, the plan expects [${shape.join(', ')}]`);
      this.device.queue.writeBuffer(buffer, 0, tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
    }
  }

  getWeights(): Promise<Map<string, HostTensor>> {
    return this.readPersistent((role) => role === 'param' || role === 'state');
  }

  async setWeights(weights: Map<string, HostTensor>): Promise<void> {
    this.writePersistent(weights);
  }

  async getOptimizerState(): Promise<{ step: number; slots: Map<string, HostTensor> }> {
    return { step: this.optimizerStep, slots: await this.readPersistent((role) => role === 'optimizer') };
  }

  async setOptimizerState(state: { step: number; slots: Map<string, HostTensor> }): Promise<void> {
    this.optimizerStep = state.step;
    this.writePersistent(state.slots);
  }

  dispose(): void {
    for (const bound of this.bindings.values()) bound.owned.forEach((b) => b.destroy());
    this.bindings.clear();
    for (const b of this.context.persistent.values()) b.destroy();
    this.context.runtimeUniform.destroy();
  }
}

function scalar(t: HostTensor): number {
  return t.data[0]!;
}

/** The leading backward steps that compute the loss (loss kernels, penalties): what evaluate runs. */
function lossClosure(plan: Plan): Set<PlanStep> {
  const loss = plan.training?.loss ?? '';
  const count = plan.training?.lossSteps ?? plan.backward.findIndex((s) => s.outputs.includes(loss)) + 1;
  return new Set(plan.backward.slice(0, count));
}
