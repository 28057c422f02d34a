import { dimSymbols, evalDim } from '../plan/dims.js';
import { PlanError } from '../plan/errors.js';
import type { Plan, PlanTensor } from '../plan/format.js';
import type { HostTensor } from '../tensor.js';

/**
 * The values of a plan's symbolic dims (batch, seq) as the given inputs and labels bind them: the
 * plan's fixed dims, then each symbol from the first tensor that has it alone on an axis; every
 * axis whose expression is then known must match. Throws NNR1011 on a missing tensor or a shape
 * that does not fit.
 */
export function bindDims(plan: Plan, byName: ReadonlyMap<string, PlanTensor>, given: Record<string, HostTensor>, names: readonly string[]): Record<string, number> {
  const dims: Record<string, number> = Object.create(null) as Record<string, number>;
  for (const [name, value] of Object.entries(plan.dims)) if (value !== null) dims[name] = value;
  for (const name of names) {
    const tensor = Object.hasOwn(given, name) ? given[name] : undefined;
    if (!tensor) throw new PlanError('NNR1011', `missing ${plan.labels.includes(name) ? 'label' : 'input'} '${name}' (the plan needs ${names.join(', ')})`);
    const spec = byName.get(name)!;
    if (tensor.shape.length !== spec.shape.length) throw shapeError(name, tensor.shape, spec.shape);
    spec.shape.forEach((d, i) => {
      if (typeof d === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(d) && dims[d] === undefined) dims[d] = tensor.shape[i]!;
    });
  }
  for (const name of names) {
    const spec = byName.get(name)!;
    const tensor = given[name]!;
    spec.shape.forEach((d, i) => {
      if (dimSymbols(d).every((s) => dims[s] !== undefined) && evalDim(d, dims) !== tensor.shape[i]) throw shapeError(name, tensor.shape, spec.shape);
    });
  }
  return dims;
}

function shapeError(name: string, got: number[], want: PlanTensor['shape']): PlanError {
  return new PlanError('NNR1011', `'${name}' has shape [${got.join(', ')}], the plan expects [${want.join(', ')}]`);
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether each named tensor of `given` has the shape at its index in `shapes` (the last binding's): a loop, nothing allocated. */
export function sameShapes(given: Record<string, HostTensor>, names: readonly string[], shapes: readonly number[][]): boolean {
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    const tensor = Object.hasOwn(given, name) ? given[name] : undefined;
    if (!tensor || !sameShape(tensor.shape, shapes[i]!)) return false;
  }
  return true;
}
