import type { Attrs } from '../../ir/types.js';
import type { GradRule } from '../grad-rule.js';

/** dropout: dx = dy · mask, the mask being dropout's second output. */
const dropout: GradRule = (b, node, dy) => [b.add('dropout_grad', [dy, b.outputOf(node.id, 1)], {}, node.origin)];

/** batchnorm, layernorm and groupnorm: one kernel returns dx, dgamma, dbeta from the saved statistics. */
function normGrad(kernel: 'batchnorm_grad' | 'layernorm_grad' | 'groupnorm_grad'): GradRule {
  return (b, node, dy) => {
    const [x, gamma] = node.inputs as [number, number];
    const attrs: Attrs = kernel === 'groupnorm_grad' ? { groups: node.attrs.groups as number } : {};
    const grad = b.add(kernel, [dy, x, gamma, b.outputOf(node.id, 1), b.outputOf(node.id, 2)], attrs, node.origin);
    const rest = kernel === 'batchnorm_grad' ? [null, null] : [];
    return [grad, b.outputOf(grad, 1), b.outputOf(grad, 2), ...rest];
  };
}

/** embedding: scatter-add rows of dy into a zeroed table gradient; ids get none. */
const embedding: GradRule = (b, node, dy) => {
  const [ids, table] = node.inputs as [number, number];
  return [null, b.add('embedding_grad', [dy, ids], { shape: b.type(table).shape }, node.origin)];
};

/** random: the sample does not depend on x's values, so x gets no gradient. */
const random: GradRule = () => [null];

export const normalizationGrads: Record<string, GradRule> = {
  dropout,
  random,
  batchnorm: normGrad('batchnorm_grad'),
  layernorm: normGrad('layernorm_grad'),
  groupnorm: normGrad('groupnorm_grad'),
  embedding,
};
