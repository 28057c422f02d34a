import type { LowerRule } from './lower-context.js';

/**
 * global_avgpool / global_maxpool(x, mask: m) over a sequence x [N, T, C], m [N, T]: the steps where
 * m is 0 are left out, with the plan's arithmetic (so gradients, WebGPU and ONNX need nothing new
 * beyond `nonzero`, the mask as 0/1 weights w [N, T, 1]):
 * - avg: Σ_t w·x / max(Σ_t w, 1) (a row with no step left: 0);
 * - max: max_t (x + (w − 1)·1e30) · min(Σ_t w, 1): a padding step is pushed 1e30 below every value,
 *   and a row with no step left gives 0 (−1e30 · 0) instead of −1e30.
 */
const FAR = 1e30;

export function lowerMaskedPool(kind: 'avg' | 'max'): LowerRule {
  return ({ builder, node, inputs }) => {
    const [x, mask] = inputs as [number, number];
    const [n, t] = builder.type(x).shape;
    const add = (op: string, args: number[], attrs: Record<string, unknown> = {}): number => builder.add(op, args, attrs as never, node.origin);
    const weights = add('reshape', [add('nonzero', [mask])], { shape: [n!, t!, 1] });
    const counted = add('reduce', [weights], { op: 'sum', axes: [1], keepdims: false });
    if (kind === 'avg') {
      const total = add('reduce', [add('mul', [x, weights])], { op: 'sum', axes: [1], keepdims: false });
      return add('div', [total, add('unary', [counted], { op: 'clip', a: 1, b: 3.4e38 })]);
    }
    const pushed = add('add', [x, add('unary', [weights], { op: 'affine', a: FAR, b: -FAR })]);
    const top = add('reduce', [pushed], { op: 'max', axes: [1], keepdims: false });
    return add('mul', [top, add('unary', [counted], { op: 'clip', a: 0, b: 1 })]);
  };
}
