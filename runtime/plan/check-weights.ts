import { PlanError } from './errors.js';
import type { Plan } from './format.js';
import type { HostTensor } from '../tensor.js';

/** Roles whose values come from the weights file rather than from a step or the caller. */
export const STORED_ROLES = new Set(['param', 'state', 'const', 'optimizer']);

export type WeightValue = HostTensor | Float32Array | Int32Array;

/**
 * Checks that every stored tensor of the plan has a weight of the right dtype and size. Optimizer
 * slots may be absent (they start at their documented initial values only when the compiler wrote
 * them, so their absence is an error too unless `allowMissingOptimizer`).
 */
export function checkWeights(plan: Plan, weights: ReadonlyMap<string, WeightValue>, options: { allowMissingOptimizer?: boolean } = {}): void {
  const problems: string[] = [];
  let code = '';
  const note = (c: string, message: string): void => {
    if (!code) code = c;
    if (problems.length < 20) problems.push(`${c}: ${message}`);
  };
  for (const tensor of plan.tensors) {
    if (!STORED_ROLES.has(tensor.role)) continue;
    const value = weights.get(tensor.name);
    if (!value) {
      if (tensor.role === 'optimizer' && options.allowMissingOptimizer) continue;
      note('NNR1101', `weight '${tensor.name}' (${tensor.role}) is missing`);
      continue;
    }
    const data = 'data' in value ? value.data : value;
    const dtype = data instanceof Int32Array ? 'i32' : 'f32';
    if (dtype !== tensor.dtype) note('NNR1103', `weight '${tensor.name}' is ${dtype}, the plan expects ${tensor.dtype}`);
    const expected = tensor.shape.reduce<number>((n, d) => n * (typeof d === 'number' ? d : NaN), 1);
    if (data.length !== expected) note('NNR1102', `weight '${tensor.name}' has ${data.length} values, the plan's shape [${tensor.shape.join(', ')}] needs ${expected}`);
    // Exactly the plan's shape, axis by axis: a [3, 4] tensor for a [4, 3] parameter has the right
    // size and the wrong meaning.
    if ('shape' in value && (value.shape.length !== tensor.shape.length || value.shape.some((d, i) => d !== tensor.shape[i]))) {
      note('NNR1102', `weight '${tensor.name}' has shape [${value.shape.join(', ')}], the plan expects [${tensor.shape.join(', ')}]`);
    }
  }
  if (problems.length > 0) throw new PlanError(code, `weights do not match the plan:\n  ${problems.join('\n  ')}`.replace(`${code}: `, ''));
}
