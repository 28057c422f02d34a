import type { IRNode } from '../ir/graph.js';
import type { GraphBuilder } from '../lower/graph-builder.js';

/**
 * A gradient rule: given a forward node and the gradient `dy` of its (first) output, append the
 * nodes computing the gradient of each input and return them in input order (null: no gradient,
 * e.g. integer ids or running statistics). One rule per primitive op, found by op name in rules/.
 */
export type GradRule = (b: GraphBuilder, node: IRNode, dy: number) => Array<number | null>;

/** Reduces a broadcast gradient back to the shape of the input it flowed from. */
export function sumToInput(b: GraphBuilder, node: IRNode, grad: number, input: number): number {
  const target = b.type(input).shape;
  const shape = b.type(grad).shape;
  const same = target.length === shape.length && target.every((d, i) => d === shape[i]);
  return same ? grad : b.add('sum_to', [grad], { shape: target }, node.origin);
}
