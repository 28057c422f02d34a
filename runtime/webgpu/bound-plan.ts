import type { Plan, PlanStep, PlanTensor } from '../plan/format.js';
import { boundShape, checkBoundMaps } from '../plan/bound-shape.js';
import { evalDim } from '../plan/dims.js';
import type { HostTensor } from '../tensor.js';
import { sizeOf } from '../tensor.js';
import { WebGpuError } from './errors.js';
import type { CompiledProgram } from './pipelines.js';
import { describeStep } from './program-check.js';

/**
 * The plan bound to one set of dim values (one batch size): a GPU buffer for every per-batch tensor,
 * and for every step its bind group and dispatch size, made once and reused for every batch of that
 * size. Persistent tensors (params, state, optimizer slots, consts) live in the executor and are shared.
 */

export type Dims = Record<string, number>;

/** Tensors that live across batches. */
export function isPersistent(t: PlanTensor): boolean {
  return t.role === 'param' || t.role === 'state' || t.role === 'optimizer' || t.role === 'const';
}

export function concreteShape(t: PlanTensor, dims: Dims): number[] {
  return boundShape(t, dims);
}

export function bufferBytes(elements: number): number {
  // Storage bindings must be non-empty and 4-byte aligned; round to 16 for uniform-friendly copies.
  return Math.max(16, Math.ceil((elements * 4) / 16) * 16);
}

export const STORAGE_USAGE = 0x80 /* STORAGE */ | 0x04 /* COPY_SRC */ | 0x08; /* COPY_DST */

export interface BoundStep {
  step: PlanStep;
  label: string;
  pipeline: GPUComputePipeline;
  bindGroup: GPUBindGroup;
  workgroups: [number, number, number];
}

export interface BoundPlan {
  dims: Dims;
  buffers: Map<string, GPUBuffer>;
  forward: BoundStep[];
  backward: BoundStep[];
  update: BoundStep[];
  /** Buffers owned by this binding (per-batch tensors and params uniforms), destroyed with it. */
  owned: GPUBuffer[];
}

/** Binds symbolic dims from the shapes of the tensors handed in; checks every concrete dim. */
export function bindDims(plan: Plan, inputs: Record<string, HostTensor>, names: readonly string[]): Dims {
  const dims: Dims = Object.create(null) as Dims;
  for (const [k, v] of Object.entries(plan.dims)) if (typeof v === 'number') dims[k] = v;
  const tensors = new Map(plan.tensors.map((t) => [t.name, t]));
  for (const name of names) {
    const given = Object.hasOwn(inputs, name) ? inputs[name] : undefined;
    const t = tensors.get(name)!;
    if (!given) throw new WebGpuError('NNR6005', `missing input '${name}'`);
    const expected = t.shape.join(', ');
    if (given.shape.length !== t.shape.length) throw new WebGpuError('NNR6005', `input '${name}' has shape [${given.shape.join(', ')}], expected [${expected}]`);
    if (given.dtype !== t.dtype) throw new WebGpuError('NNR6005', `input '${name}' is ${given.dtype}, expected ${t.dtype}`);
    t.shape.forEach((d, k) => {
      const actual = given.shape[k]!;
      if (typeof d === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(d) && dims[d] === undefined) dims[d] = actual;
      else if (evalDim(d, dims) !== actual) throw new WebGpuError('NNR6005', `input '${name}' has shape [${given.shape.join(', ')}], expected [${expected}]`);
    });
  }
  return dims;
}

export function dimsKey(dims: Dims): string {
  return Object.keys(dims).sort().map((k) => `${k}=${dims[k]}`).join(',');
}

export interface BindContext {
  device: GPUDevice;
  plan: Plan;
  programs: Map<string, CompiledProgram>;
  persistent: Map<string, GPUBuffer>;
  runtimeUniform: GPUBuffer;
  maxWorkgroups: number;
}

function paramsBuffer(device: GPUDevice, compiled: CompiledProgram, dims: Dims, label: string): GPUBuffer {
  const params = compiled.program.params;
  const bytes = Math.max(16, Math.ceil((params.length * 4) / 16) * 16);
  const data = new ArrayBuffer(bytes);
  const u32 = new Uint32Array(data);
  const f32 = new Float32Array(data);
  params.forEach((p, i) => {
    const v = evalDim(p.value, dims);
    if (p.type === 'u32') u32[i] = v;
    else f32[i] = v;
  });
  const buffer = device.createBuffer({ label: `${label} params`, size: bytes, usage: 0x40 /* UNIFORM */ | 0x08 /* COPY_DST */ });
  device.queue.writeBuffer(buffer, 0, data);
  return buffer;
}

export function bindPlan(ctx: BindContext, dims: Dims): BoundPlan {
  const { device, plan } = ctx;
  checkBoundMaps(plan, dims);
  const buffers = new Map(ctx.persistent);
  const owned: GPUBuffer[] = [];
  for (const t of plan.tensors) {
    if (isPersistent(t)) continue;
    const buffer = device.createBuffer({ label: t.name, size: bufferBytes(sizeOf(concreteShape(t, dims))), usage: STORAGE_USAGE });
    buffers.set(t.name, buffer);
    owned.push(buffer);
  }
  const bindSteps = (steps: PlanStep[], phase: string): BoundStep[] =>
    steps.map((step, index) => {
      const label = describeStep(step, index, phase);
      const compiled = ctx.programs.get(step.program!)!;
      const program = compiled.program;
      const entries: GPUBindGroupEntry[] = program.bindings.map((b, i) => {
        const name = (b.from === 'input' ? step.inputs : step.outputs)[b.index]!;
        return { binding: i, resource: { buffer: buffers.get(name)! } };
      });
      const params = paramsBuffer(device, compiled, dims, label);
      owned.push(params);
      entries.push({ binding: entries.length, resource: { buffer: params } });
      if (program.runtime) entries.push({ binding: entries.length, resource: { buffer: ctx.runtimeUniform } });
      const bindGroup = device.createBindGroup({ label, layout: compiled.layout, entries });
      const workgroups = program.dispatch.map((d, axis) => {
        const n = Math.max(1, Math.ceil(evalDim(d, dims)));
        // Grid-stride kernels (1-D) loop over what a capped dispatch does not cover.
        return axis === 0 && program.dispatch[1] === 1 && program.dispatch[2] === 1 ? Math.min(n, ctx.maxWorkgroups) : n;
      }) as [number, number, number];
      return { step, label, pipeline: compiled.pipeline, bindGroup, workgroups };
    });
  return {
    dims,
    buffers,
    forward: bindSteps(plan.forward, 'forward'),
    backward: bindSteps(plan.backward, 'backward'),
    update: bindSteps(plan.update, 'update'),
    owned,
  };
}
