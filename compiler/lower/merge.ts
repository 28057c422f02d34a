import type { LowerRule } from './lower-context.js';

/** Merges: add and multiply fold pairwise (broadcasting), subtract and divide are one pair; concat joins along an axis (default last). */
function pairwise(op: 'add' | 'mul' | 'sub' | 'div'): LowerRule {
  return ({ builder, node, inputs }) => inputs.slice(1).reduce((acc, x) => builder.add(op, [acc, x], {}, node.origin), inputs[0]!);
}

const lowerConcat: LowerRule = ({ builder, node, inputs }) => {
  const rank = builder.type(inputs[0]!).shape.length;
  const raw = typeof node.attrs.axis === 'number' ? node.attrs.axis : -1;
  const axis = raw < 0 ? rank + raw : raw;
  return builder.add('concat', inputs, { axis }, node.origin);
};

export const mergeRules: Record<string, LowerRule> = {
  add: pairwise('add'),
  multiply: pairwise('mul'),
  mul: pairwise('mul'),
  subtract: pairwise('sub'),
  divide: pairwise('div'),
  concat: lowerConcat,
};
