import { checkWeights } from './check-weights.js';
import { PlanError } from './errors.js';
import type { Plan } from './format.js';
import { fromBase64 } from './serialize.js';
import { validatePlan } from './validate.js';
import type { HostTensor } from '../tensor.js';
import { readSafetensors } from '../weights/safetensors.js';

/**
 * Loads a plan from its JSON text and its weights (embedded base64, or the bytes of the file it
 * names, which the caller reads: this module has no file system access, so it runs in a browser).
 * Everything is validated; any problem is a PlanError with an NNR1xxx code.
 */
export interface LoadedPlan {
  plan: Plan;
  weights: Map<string, HostTensor>;
}

export function parsePlanJson(text: string, what = 'plan'): Plan {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new PlanError('NNR1001', `${what} is not valid JSON (${(error as Error).message}); truncated?`);
  }
  return validatePlan(doc);
}

export function loadPlan(text: string, weightsBytes?: Uint8Array, what = 'plan'): LoadedPlan {
  const plan = parsePlanJson(text, what);
  let bytes = weightsBytes;
  if (!bytes && plan.weights && 'base64' in plan.weights) {
    try {
      bytes = fromBase64(plan.weights.base64);
    } catch {
      throw new PlanError('NNR1202', `${what}: embedded weights are not valid base64`);
    }
  }
  if (!bytes) {
    const stored = plan.tensors.some((t) => t.role === 'param' || t.role === 'state' || t.role === 'const');
    if (stored) throw new PlanError('NNR1101', `${what} needs weights${plan.weights && 'file' in plan.weights ? ` from '${plan.weights.file}'` : ''}, none were given`);
    return { plan, weights: new Map() };
  }
  const { tensors } = readSafetensors(bytes, plan.weights && 'file' in plan.weights ? plan.weights.file : 'embedded weights');
  checkWeights(plan, tensors, { allowMissingOptimizer: true });
  return { plan, weights: tensors };
}
