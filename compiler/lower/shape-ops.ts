import { dimProductOf } from '../shapes/dims.js';
import type { LowerRule } from './lower-context.js';

/** flatten keeps the first (batch) axis and multiplies the rest; reshape takes the checked type; the axis ops of compiler/ops/shape-ops.ts. */
const lowerFlatten: LowerRule = ({ builder, node, inputs }) => {
  const shape = builder.type(inputs[0]!).shape;
  return builder.add('reshape', inputs.slice(0, 1), { shape: [shape[0]!, dimProductOf(shape.slice(1))] }, node.origin);
};

/** reshape's output type was inferred by the checker (including the batch axis); reuse it. */
const lowerReshape: LowerRule = ({ builder, node, inputs }) =>
  builder.add('reshape', inputs.slice(0, 1), { shape: node.type.shape }, node.origin);

/** transpose is a strided_read whose axis map is the permutation. */
const lowerTranspose: LowerRule = ({ builder, node, inputs }) => {
  const rank = builder.type(inputs[0]!).shape.length;
  const attrs = { axes: node.attrs.axes!, starts: Array<number>(rank).fill(0), steps: Array<number>(rank).fill(1), shape: node.type.shape };
  return builder.add('strided_read', inputs.slice(0, 1), attrs, node.origin);
};

/** expand_dims and squeeze only move size-1 axes: a reshape to the checked type. */
const lowerToType: LowerRule = ({ builder, node, inputs }) => builder.add('reshape', inputs.slice(0, 1), { shape: node.type.shape }, node.origin);

/** stack: each input gains the new axis (a reshape), then they are concatenated along it. */
const lowerStack: LowerRule = ({ builder, node, inputs }) => {
  const axis = node.attrs.axis as number;
  const expanded = inputs.map((x) => {
    const shape = [...builder.type(x).shape];
    shape.splice(axis, 0, 1);
    return builder.add('reshape', [x], { shape }, node.origin);
  });
  return builder.add('concat', expanded, { axis }, node.origin);
};

/** pad: zeros write x into a larger zero tensor (strided_write at the before widths); reflect has its kernel. */
const lowerPad: LowerRule = ({ builder, node, inputs }) => {
  const before = node.attrs.before as number[];
  if (node.attrs.mode === 'reflect') return builder.add('pad_reflect', inputs.slice(0, 1), { before, after: node.attrs.after! }, node.origin);
  const attrs = { axes: before.map((_, i) => i), starts: before, steps: before.map(() => 1), shape: node.type.shape };
  return builder.add('strided_write', inputs.slice(0, 1), attrs, node.origin);
};

export const shapeRules: Record<string, LowerRule> = {
  flatten: lowerFlatten,
  reshape: lowerReshape,
  transpose: lowerTranspose,
  expand_dims: lowerToType,
  squeeze: lowerToType,
  stack: lowerStack,
  pad: lowerPad,
};
