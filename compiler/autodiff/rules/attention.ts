import type { GradRule } from '../grad-rule.js';

/** attention: one kernel gives dq, dk, dv from the saved probabilities; the encoding adds a constant. */
const attention: GradRule = (b, node, dy) => {
  const [q, k, v] = node.inputs as [number, number, number];
  const grad = b.add('attention_grad', [dy, q, k, v, b.outputOf(node.id, 1)], node.attrs, node.origin);
  return [grad, b.outputOf(grad, 1), b.outputOf(grad, 2)];
};

export const attentionGrads: Record<string, GradRule> = {
  attention,
  // The mask's zeros are zero probabilities, so attention_grad needs nothing more; the mask gets no gradient.
  masked_attention: (b, node, dy) => [...attention(b, node, dy), null],
  positional_encoding: (_b, _node, dy) => [dy],
};
