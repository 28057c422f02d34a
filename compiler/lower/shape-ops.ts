import { dimProductOf } from '../shapes/dims.js';
import type { LowerRule } from './lower-context.js';

/** flatten keeps the first (batch) axis and multiplies the rest; reshape takes the checked type. */
const lowerFlatten: LowerRule = ({ builder, node, inputs }) => {
  const shape = builder.type(inputs[0]!).shape;
  return builder.add('reshape', inputs.slice(0, 1), { shape: [shape[0]!, dimProductOf(shape.slice(1))] }, node.origin);
};

/** reshape's output type was inferred by the checker (including the batch axis); reuse it. */
const lowerReshape: LowerRule = ({ builder, node, inputs }) =>
  builder.add('reshape', inputs.slice(0, 1), { shape: node.type.shape }, node.origin);

export const shapeRules: Record<string, LowerRule> = { flatten: lowerFlatten, reshape: lowerReshape };
