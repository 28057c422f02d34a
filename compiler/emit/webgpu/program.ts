import type { PlanDim, PlanDType, ProgramBinding, ProgramParam, WgslProgram } from '../../../runtime/plan/format.js';
import { fusedKernelName } from '../../../runtime/plan/kernels.js';

/**
 * The program object every WGSL kernel template returns (after TF.js WebGPU's programs): source,
 * entry point, workgroup size, dispatch rule, bindings and the `params` uniform, identified by a
 * structural key so identical kernels are emitted once.
 *
 * Binding convention (group 0), the same for every program:
 *   0..k-1  storage buffers, in the order of `bindings` (each names a step input or output);
 *   k       the `params` uniform: one 4-byte field per entry of `params`, in order;
 *   k+1     only when `runtime` is true: the executor's run-time uniform
 *           `{ lr: f32, step: u32, seed: u32, training: u32 }`, written before each submission.
 * Every size that depends on a symbolic dim (batch) is a dim expression in `params` or `dispatch`,
 * evaluated by the runtime when it binds the dims (once per batch size).
 */
/** The plan's program type; the fields the runtime binds by are part of the plan format. */
export type WebGpuProgram = WgslProgram;

/** A step the WebGPU emitter cannot turn into WGSL (the compiler reports it as a diagnostic). */
export class WebGpuEmitError extends Error {}

/** What a template sees of one plan step: its shapes, dtypes and attributes. */
export interface StepShapes {
  base: string;
  /** Fused epilogue elements after the base kernel (`bias`, activations). */
  epilogue: string[];
  inputs: Array<{ shape: PlanDim[]; dtype: PlanDType }>;
  outputs: Array<{ shape: PlanDim[]; dtype: PlanDType }>;
  attrs: Record<string, unknown>;
}

/** A template's product before the common header (bindings, params struct) is added. */
export interface KernelSource {
  /** Storage buffers in binding order, with the WGSL variable name the body uses. */
  buffers: Array<ProgramBinding & { name: string; dtype: PlanDType }>;
  params: ProgramParam[];
  runtime?: boolean;
  /** Declarations (helper functions, workgroup arrays) and the entry point `main`. */
  body: string;
  workgroupSize: [number, number, number];
  dispatch: [PlanDim, PlanDim, PlanDim];
  /** Variant name chosen by shape (`tiled`, `direct`), part of the key. */
  variant?: string;
}

const RUNTIME_STRUCT = 'struct Runtime { lr: f32, step: u32, seed: u32, training: u32 }';

function scalarType(dtype: PlanDType): string {
  return dtype === 'i32' ? 'i32' : 'f32';
}

/** Adds the binding declarations and the params struct, and builds the program object. */
export function assembleProgram(key: string, source: KernelSource): WebGpuProgram {
  const lines: string[] = [];
  const fields = source.params.map((p) => `${p.name}: ${p.type}`);
  // An empty uniform struct is not allowed; a kernel without parameters still gets one padding field.
  lines.push(`struct Params { ${(fields.length > 0 ? fields : ['unused: u32']).join(', ')} }`);
  if (source.runtime) lines.push(RUNTIME_STRUCT);
  source.buffers.forEach((b, i) => {
    const access = b.access === 'read' ? 'read' : 'read_write';
    lines.push(`@group(0) @binding(${i}) var<storage, ${access}> ${b.name}: array<${scalarType(b.dtype)}>;`);
  });
  const k = source.buffers.length;
  lines.push(`@group(0) @binding(${k}) var<uniform> P: Params;`);
  if (source.runtime) lines.push(`@group(0) @binding(${k + 1}) var<uniform> R: Runtime;`);
  const code = `${lines.join('\n')}\n\n${source.body.trim()}\n`;
  return {
    key,
    code,
    entryPoint: 'main',
    workgroupSize: source.workgroupSize,
    dispatch: source.dispatch,
    bindings: source.buffers.map(({ from, index, access }) => ({ from, index, access })),
    params: source.params,
    runtime: source.runtime === true,
  };
}

/** The structural key: base kernel, epilogue, shapes (dim expressions), dtypes, attrs and variant. */
export function structuralKey(step: StepShapes, variant: string | undefined): string {
  const shapes = (ts: StepShapes['inputs']) => ts.map((t) => `${t.dtype}[${t.shape.join(',')}]`).join(';');
  const attrs = Object.keys(step.attrs)
    .sort()
    .map((k) => `${k}=${JSON.stringify(step.attrs[k])}`)
    .join(',');
  const kernel = fusedKernelName(step.base, step.epilogue);
  return `${kernel}${variant ? `@${variant}` : ''}|${shapes(step.inputs)}->${shapes(step.outputs)}|${attrs}`;
}
