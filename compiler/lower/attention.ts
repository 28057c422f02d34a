import type { LowerRule } from './lower-context.js';

/**
 * multi_head_attention(x, heads, causal): inputs [x, wq, bq, wk, bk, wv, bv, wo, bo]. The four
 * projections are dense-like matmul + bias (fusable); the `attention` kernel does the per-head
 * scaled dot products. positional_encoding is its own kernel (no parameters).
 */
const lowerAttention: LowerRule = ({ builder, node, inputs }) => {
  const [x, wq, bq, wk, bk, wv, bv, wo, bo] = inputs as [number, number, number, number, number, number, number, number, number];
  const project = (input: number, w: number, b: number): number =>
    builder.add('bias_add', [builder.add('matmul', [input, w], { transA: false, transB: true }, node.origin), b], {}, node.origin);
  const attended = builder.add(
    'attention',
    [project(x, wq, bq), project(x, wk, bk), project(x, wv, bv)],
    { heads: node.attrs.heads as number, causal: node.attrs.causal === true },
    node.origin,
  );
  return project(attended, wo, bo);
};

export const attentionRules: Record<string, LowerRule> = {
  multi_head_attention: lowerAttention,
  positional_encoding: ({ builder, node, inputs }) => builder.add('positional_encoding', inputs.slice(0, 1), {}, node.origin),
};
