import { mathNumbers } from '../ops/math.js';
import type { LowerRule } from './lower-context.js';

/** exp, log, sqrt, abs, square, pow, clip: the `unary` kernel with the op's numbers; sum, mean, max, min: `reduce`. */
function unary(op: string): LowerRule {
  return ({ builder, node, inputs }) => builder.add('unary', inputs.slice(0, 1), { op, ...mathNumbers(op, node.attrs) }, node.origin);
}

function reduce(op: string): LowerRule {
  return ({ builder, node, inputs }) => builder.add('reduce', inputs.slice(0, 1), { op, axes: node.attrs.axes!, keepdims: node.attrs.keepdims === true }, node.origin);
}

export const mathRules: Record<string, LowerRule> = {
  exp: unary('exp'),
  log: unary('log'),
  sqrt: unary('sqrt'),
  abs: unary('abs'),
  square: unary('square'),
  pow: unary('pow'),
  clip: unary('clip'),
  sum: reduce('sum'),
  mean: reduce('mean'),
  max: reduce('max'),
  min: reduce('min'),
};
