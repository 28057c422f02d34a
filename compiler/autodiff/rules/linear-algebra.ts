import type { GradRule } from '../grad-rule.js';
import { sumToInput } from '../grad-rule.js';

/**
 * y = op(a)·op(b). The four transpose cases reduce to matmuls of dy with the other operand,
 * expressed with transpose flags so no transposed copy is ever materialised.
 */
const matmul: GradRule = (b, node, dy) => {
  const [a, w] = node.inputs as [number, number];
  const transA = node.attrs.transA === true;
  const transB = node.attrs.transB === true;
  const mm = (x: number, y: number, tA: boolean, tB: boolean): number =>
    b.add('matmul', [x, y], { transA: tA, transB: tB }, node.origin);
  if (!transA && !transB) return [mm(dy, w, false, true), mm(a, dy, true, false)];
  if (!transA && transB) return [mm(dy, w, false, false), mm(dy, a, true, false)];
  if (transA && !transB) return [mm(w, dy, false, true), mm(a, dy, false, false)];
  return [mm(w, dy, true, true), mm(dy, a, true, true)];
};

/** y = x + bias (last axis): dx = dy, dbias = dy summed over rows. */
const biasAdd: GradRule = (b, node, dy) => [dy, sumToInput(b, node, dy, node.inputs[1]!)];

export const linearAlgebraGrads: Record<string, GradRule> = { matmul, bias_add: biasAdd };
