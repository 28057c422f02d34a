import type { PlanDim } from '../../../runtime/plan/format.js';
import { dimCeilDiv, dimProductOf } from '../../shapes/dims.js';

/**
 * Arithmetic on dim expressions (numbers or strings over symbolic dims such as `batch`), folded to a
 * number when every operand is known; products and divisions are compiler/shapes/dims.ts's. The runtime evaluates the strings with runtime/plan/dims.ts:
 * `+ - * /`, parentheses, `ceil`, `floor`.
 */

function wrap(d: PlanDim): string {
  return typeof d === 'number' ? String(d) : /^[A-Za-z_][A-Za-z0-9_]*$/.test(d) ? d : `(${d})`;
}

export function mulDims(...dims: PlanDim[]): PlanDim {
  return dimProductOf(dims);
}

export function product(shape: readonly PlanDim[]): PlanDim {
  return mulDims(...shape);
}

export function ceilDiv(d: PlanDim, by: number): PlanDim {
  return dimCeilDiv(d, by);
}

/**
 * Workgroups for a 1-D grid-stride kernel over `n` items. The runtime caps the x count at the device's
 * limit (65,535); the kernel's grid-stride loop covers the rest.
 */
export function gridStrideDispatch(n: PlanDim, workgroup: number): [PlanDim, PlanDim, PlanDim] {
  return [ceilDiv(n, workgroup), 1, 1];
}

export function addDims(a: PlanDim, b: PlanDim): PlanDim {
  return typeof a === 'number' && typeof b === 'number' ? a + b : `${wrap(a)}+${wrap(b)}`;
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
