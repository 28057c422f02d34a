import type { Plan, PlanStep, PlanTensor } from '../../../runtime/plan/format.js';
import { parseKernelName } from '../../../runtime/plan/kernels.js';
import { webGpuTemplate } from './kernel-table.js';
import { assembleProgram, structuralKey, WebGpuEmitError, type StepShapes, type WebGpuProgram } from './program.js';

export { WebGpuEmitError } from './program.js';

export type { WebGpuProgram } from './program.js';
export { chooseMatmulVariant } from './templates/matmul.js';

/**
 * The WebGPU emitter: given a plan (any target), returns the same plan with `target: 'webgpu'`, every
 * step's `program` set, and `programs` holding one WGSL program per structural key (op, shapes or dim
 * expressions, dtypes, attributes, fused tail, variant): identical kernels are emitted once.
 * compileModel(..., { target: 'webgpu' }) calls this after building the CPU-format plan.
 */

function stepShapes(step: PlanStep, tensors: Map<string, PlanTensor>): StepShapes {
  const lookup = (name: string) => {
    const t = tensors.get(name);
    if (!t) throw new WebGpuEmitError(`step '${step.kernel}' names unknown tensor '${name}'`);
    return { shape: t.shape, dtype: t.dtype };
  };
  const { base, epilogue } = parseKernelName(step.kernel);
  return {
    base,
    epilogue,
    inputs: step.inputs.map(lookup),
    outputs: step.outputs.map(lookup),
    attrs: step.attrs as Record<string, unknown>,
  };
}

function where(step: PlanStep): string {
  const s = step.source;
  return s ? ` (${s.op} '${s.layer}' at line ${s.line}:${s.column})` : '';
}

export function emitWebGpuProgram(step: PlanStep, tensors: Map<string, PlanTensor>): WebGpuProgram {
  const shapes = stepShapes(step, tensors);
  const template = webGpuTemplate(shapes.base);
  if (!template) throw new WebGpuEmitError(`kernel '${shapes.base}'${where(step)} has no WebGPU implementation yet; compile with --target cpu`);
  const source = template(shapes);
  return assembleProgram(structuralKey(shapes, source.variant), source);
}

export function emitWebGpuPrograms(plan: Plan): Plan {
  const tensors = new Map(plan.tensors.map((t) => [t.name, t]));
  const programs: Record<string, WebGpuProgram> = {};
  const withProgram = (step: PlanStep): PlanStep => {
    const program = emitWebGpuProgram(step, tensors);
    programs[program.key] ??= program;
    return { ...step, program: program.key };
  };
  return {
    ...plan,
    target: 'webgpu',
    forward: plan.forward.map(withProgram),
    backward: plan.backward.map(withProgram),
    update: plan.update.map(withProgram),
    programs,
  };
}
