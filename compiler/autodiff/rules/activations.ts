import { activationFacts, perActivation, type ActivationName } from '../../../runtime/plan/activations.js';
import type { Attrs } from '../../ir/types.js';
import type { GradRule } from '../grad-rule.js';

/**
 * Every activation a = f(x) has a `<name>_grad(dy, y|x)` kernel. Most derivatives are cheapest from
 * the output y (relu, sigmoid, tanh...); gelu and silu need the input x. Which one is recorded in the
 * activation table (`gradFrom`, runtime/plan/activations.ts), and fusion relies on it to decide what
 * a fused step outputs.
 */
function activationGrad(op: ActivationName): GradRule {
  return (b, node, dy) => {
    const from = activationFacts(op).gradFrom === 'output' ? node.id : node.inputs[0]!;
    const attrs: Attrs = typeof node.attrs.alpha === 'number' ? { alpha: node.attrs.alpha } : {};
    return [b.add(`${op}_grad`, [dy, from], attrs, node.origin)];
  };
}

export const activationGrads: Record<string, GradRule> = {
  ...perActivation(activationGrad),
  softmax: (b, node, dy) => [b.add('softmax_grad', [dy, node.id], {}, node.origin)],
  log_softmax: (b, node, dy) => [b.add('log_softmax_grad', [dy, node.id], {}, node.origin)],
};
