import type { CheckResult, CheckedModel } from '../compiler/api-types.js';
import { compileModel } from '../compiler/index.js';

/**
 * Fused kernel groups of a model, for the code lens: the back end compiles the model's inference
 * plan for the CPU with fusion on, and every step whose kernel carries a fused epilogue
 * (`matmul+bias+relu`) is one group. No weight is initialised and no weights file read: a
 * `load("/dev/zero")` or a 9e8-parameter layer costs the editor nothing. Results are cached per check, so a code lens request after an
 * edit compiles each model once. Undefined when the model does not compile.
 */
const cache = new WeakMap<CheckResult, Map<string, number | undefined>>();

export function countFusedGroups(result: CheckResult, model: CheckedModel): number | undefined {
  let perModel = cache.get(result);
  if (!perModel) {
    perModel = new Map();
    cache.set(result, perModel);
  }
  if (!perModel.has(model.name)) perModel.set(model.name, compileAndCount(result, model));
  return perModel.get(model.name);
}

function compileAndCount(result: CheckResult, model: CheckedModel): number | undefined {
  try {
    const { plan } = compileModel(result, model.name, { target: 'cpu', fuse: true, training: false, initialiseWeights: false });
    return plan ? plan.forward.filter((step) => step.kernel.includes('+')).length : undefined;
  } catch {
    return undefined;
  }
}
