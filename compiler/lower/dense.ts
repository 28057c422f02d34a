import { applyActivation } from './activations.js';
import { activationAttr, type LowerRule } from './lower-context.js';

/**
 * dense(x, units, activation): inputs [x, weight [units, in], bias [units]?] →
 * matmul(x, weight, transB) → bias_add → activation. Fusion later merges the three into one step.
 */
const lowerDense: LowerRule = (ctx) => {
  const [x, weight, bias] = ctx.inputs;
  const { builder, node } = ctx;
  let y = builder.add('matmul', [x!, weight!], { transA: false, transB: true }, node.origin);
  if (bias !== undefined) y = builder.add('bias_add', [y, bias], {}, node.origin);
  return applyActivation(ctx, y, activationAttr(node.attrs.activation));
};

export const denseRules: Record<string, LowerRule> = { dense: lowerDense };
