import type { Plan, PlanDim, PlanStep, WgslProgram } from '../plan/format.js';
import { WebGpuError } from './errors.js';

/**
 * The WebGPU part of plan validation: the plan targets webgpu, every step names a program of
 * `plan.programs`, and every program carries what the runtime needs (bindings, params, dispatch).
 */
export type RuntimeProgram = WgslProgram;

function fail(message: string): never {
  throw new WebGpuError('NNR6002', message);
}

const isDim = (d: unknown): d is PlanDim => typeof d === 'number' || typeof d === 'string';

function checkProgram(key: string, p: Partial<RuntimeProgram>): RuntimeProgram {
  const what = `program '${key}'`;
  if (typeof p.code !== 'string' || typeof p.entryPoint !== 'string') fail(`${what} has no WGSL code or entry point`);
  if (!Array.isArray(p.dispatch) || p.dispatch.length !== 3 || !p.dispatch.every(isDim)) fail(`${what} has a malformed dispatch`);
  if (!Array.isArray(p.bindings)) fail(`${what} has no bindings (was it emitted by an older compiler?)`);
  for (const b of p.bindings) {
    if ((b.from !== 'input' && b.from !== 'output') || !Number.isInteger(b.index) || (b.access !== 'read' && b.access !== 'read_write')) {
      fail(`${what} has a malformed binding ${JSON.stringify(b)}`);
    }
  }
  if (!Array.isArray(p.params) || !p.params.every((q) => typeof q.name === 'string' && (q.type === 'u32' || q.type === 'f32') && isDim(q.value))) {
    fail(`${what} has malformed params`);
  }
  return p as RuntimeProgram;
}

export function describeStep(step: PlanStep, index: number, phase: string): string {
  const s = step.source;
  const origin = s ? ` (${s.op} '${s.layer}' at line ${s.line}:${s.column})` : '';
  return `${phase} step ${index} ${step.kernel}${origin}`;
}

/** Checks the WebGPU-specific parts of a plan and returns its programs, typed. */
export function checkWebGpuPlan(plan: Plan): Map<string, RuntimeProgram> {
  if (plan.target !== 'webgpu') fail(`the plan was compiled for '${plan.target}'; compile it with --target webgpu`);
  const programs = new Map<string, RuntimeProgram>();
  for (const [key, p] of Object.entries(plan.programs ?? {})) programs.set(key, checkProgram(key, p as Partial<RuntimeProgram>));
  const tensors = new Set(plan.tensors.map((t) => t.name));
  for (const [phase, steps] of [['forward', plan.forward], ['backward', plan.backward], ['update', plan.update]] as const) {
    steps.forEach((step, i) => {
      const where = describeStep(step, i, phase);
      if (!step.program || !programs.has(step.program)) fail(`${where} has no WGSL program`);
      for (const name of [...step.inputs, ...step.outputs]) if (!tensors.has(name)) fail(`${where} names unknown tensor '${name}'`);
      for (const b of programs.get(step.program)!.bindings) {
        const list = b.from === 'input' ? step.inputs : step.outputs;
        if (b.index >= list.length) fail(`${where}: its program binds ${b.from} ${b.index}, but the step has ${list.length}`);
      }
    });
  }
  return programs;
}
