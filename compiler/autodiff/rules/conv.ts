import type { Attrs } from '../../ir/types.js';
import type { GradRule } from '../grad-rule.js';

/** conv: dx by the transposed convolution (col2im), dw by dyᵀ·patches; pools route or spread dy. */
function convGrad(op: 'conv1d' | 'conv2d' | 'grouped_conv2d'): GradRule {
  return (b, node, dy) => {
    const [x, w] = node.inputs as [number, number];
    const attrs = (shape: unknown): Attrs => ({ ...node.attrs, shape: shape as Attrs[string] });
    return [
      b.add(`${op}_grad_input`, [dy, w], attrs(b.type(x).shape), node.origin),
      b.add(`${op}_grad_weight`, [dy, x], attrs(b.type(w).shape), node.origin),
    ];
  };
}

/**
 * A transposed convolution y = convᵀ(x, w) is the input gradient of conv(·, w), so its own gradients
 * are the convolution forward (dx = conv(dy, w)) and the convolution's weight gradient with the
 * roles of dy and x exchanged (dw = conv_grad_weight(x, dy)).
 */
function convTransposeGrad(op: 'conv1d' | 'conv2d'): GradRule {
  return (b, node, dy) => {
    const [x, w] = node.inputs as [number, number];
    return [
      b.add(op, [dy, w], node.attrs, node.origin),
      b.add(`${op}_grad_weight`, [x, dy], { ...node.attrs, shape: b.type(w).shape }, node.origin),
    ];
  };
}

export const convGrads: Record<string, GradRule> = {
  conv1d: convGrad('conv1d'),
  conv2d: convGrad('conv2d'),
  grouped_conv2d: convGrad('grouped_conv2d'),
  conv1d_transpose: convTransposeGrad('conv1d'),
  conv2d_transpose: convTransposeGrad('conv2d'),
  upsample2d: (b, node, dy) => [b.add('upsample2d_grad', [dy], { ...node.attrs, shape: b.type(node.inputs[0]!).shape }, node.origin)],
  maxpool2d: (b, node, dy) => [b.add('maxpool2d_grad', [dy, node.inputs[0]!], node.attrs, node.origin)],
  avgpool2d: (b, node, dy) => [b.add('avgpool2d_grad', [dy], { ...node.attrs, shape: b.type(node.inputs[0]!).shape }, node.origin)],
  global_avg_pool: (b, node, dy) => [b.add('global_avg_pool_grad', [dy], { shape: b.type(node.inputs[0]!).shape }, node.origin)],
  global_max_pool: (b, node, dy) => [b.add('global_max_pool_grad', [dy, node.inputs[0]!], {}, node.origin)],
};
