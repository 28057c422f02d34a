import type { Dim } from '../../ir/types.js';
import { dimAdd } from '../../shapes/dims.js';
import type { GradRule } from '../grad-rule.js';
import { sumToInput } from '../grad-rule.js';

const add: GradRule = (b, node, dy) => node.inputs.map((x) => sumToInput(b, node, dy, x));

const sub: GradRule = (b, node, dy) => [
  sumToInput(b, node, dy, node.inputs[0]!),
  sumToInput(b, node, b.add('scale', [dy], { factor: -1 }, node.origin), node.inputs[1]!),
];

const mul: GradRule = (b, node, dy) => {
  const [x, y] = node.inputs as [number, number];
  return [
    sumToInput(b, node, b.add('mul', [dy, y], {}, node.origin), x),
    sumToInput(b, node, b.add('mul', [dy, x], {}, node.origin), y),
  ];
};

const scale: GradRule = (b, node, dy) => [b.add('scale', [dy], { factor: node.attrs.factor as number }, node.origin)];

const reshape: GradRule = (b, node, dy) => [b.add('reshape', [dy], { shape: b.type(node.inputs[0]!).shape }, node.origin)];

const copy: GradRule = (_b, _node, dy) => [dy];

/** concat: each input's gradient is its slice of dy. */
const concat: GradRule = (b, node, dy) => {
  const axis = node.attrs.axis as number;
  let start: Dim = 0;
  return node.inputs.map((x) => {
    // A symbolic size makes start and size dim expressions, bound when the plan runs.
    const size = b.type(x).shape[axis]!;
    const grad = b.add('slice', [dy], { axis, start, size }, node.origin);
    start = dimAdd(start, size);
    return grad;
  });
};

export const elementwiseGrads: Record<string, GradRule> = { add, sub, mul, scale, reshape, copy, concat };
