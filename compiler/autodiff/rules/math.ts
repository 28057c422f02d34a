import type { GradRule } from '../grad-rule.js';
import { sumToInput } from '../grad-rule.js';

/** unary: the same op's derivative at x; reduce: dy spread back over x (reduce_grad); div: quotient rule. */
const unary: GradRule = (b, node, dy) => [b.add('unary_grad', [dy, node.inputs[0]!], node.attrs, node.origin)];

const reduce: GradRule = (b, node, dy) => [b.add('reduce_grad', [dy, node.inputs[0]!, node.id], node.attrs, node.origin)];

/** y = a / b: da = dy / b, db = −dy·y / b (y is the forward output). */
const div: GradRule = (b, node, dy) => {
  const [num, den] = node.inputs as [number, number];
  const dyY = b.add('mul', [dy, node.id], {}, node.origin);
  return [
    sumToInput(b, node, b.add('div', [dy, den], {}, node.origin), num),
    sumToInput(b, node, b.add('scale', [b.add('div', [dyY, den], {}, node.origin)], { factor: -1 }, node.origin), den),
  ];
};

export const mathGrads: Record<string, GradRule> = { unary, reduce, div };
