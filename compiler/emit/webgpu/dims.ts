import type { PlanDim } from '../../../runtime/plan/format.js';

/**
 * Arithmetic on dim expressions (numbers or strings over symbolic dims such as `batch`), folded to a
 * number when every operand is known. The runtime evaluates the strings (runtime/webgpu/dim-expr.ts):
 * `+ - * /`, parentheses, `ceil`, `floor`, `min`, `max`.
 */

function wrap(d: PlanDim): string {
  return typeof d === 'number' ? String(d) : /^[A-Za-z_][A-Za-z0-9_]*$/.test(d) ? d : `(${d})`;
}

export function mulDims(...dims: PlanDim[]): PlanDim {
  let constant = 1;
  const symbolic: string[] = [];
  for (const d of dims) {
    if (typeof d === 'number') constant *= d;
    else symbolic.push(wrap(d));
  }
  if (symbolic.length === 0) return constant;
  return constant === 1 ? symbolic.join('*') : `${symbolic.join('*')}*${constant}`;
}

export function product(shape: readonly PlanDim[]): PlanDim {
  return mulDims(...shape);
}

export function ceilDiv(d: PlanDim, by: number): PlanDim {
  return typeof d === 'number' ? Math.ceil(d / by) : `ceil(${wrap(d)}/${by})`;
}

export function minDim(d: PlanDim, cap: number): PlanDim {
  return typeof d === 'number' ? Math.min(d, cap) : `min(${wrap(d)},${cap})`;
}

export function maxDims(a: PlanDim, b: PlanDim): PlanDim {
  return typeof a === 'number' && typeof b === 'number' ? Math.max(a, b) : `max(${wrap(a)},${wrap(b)})`;
}

/** Workgroups for a 1-D grid-stride kernel over `n` items: capped so the dispatch stays legal. */
export const MAX_WORKGROUPS = 65535;
export function gridStrideDispatch(n: PlanDim, workgroup: number): [PlanDim, PlanDim, PlanDim] {
  return [minDim(ceilDiv(n, workgroup), MAX_WORKGROUPS), 1, 1];
}

export function sameDim(a: PlanDim | undefined, b: PlanDim | undefined): boolean {
  return a === b;
}

/** A WGSL f32 literal for a finite number. */
export function f32Literal(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`cannot write ${x} as a WGSL f32 literal`);
  const s = String(x);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}
