import type { LowerRule } from './lower-context.js';

/**
 * multi_head_attention(x, heads, causal, context?): inputs [x, context?, wq, bq, wk, bk, wv, bv, wo, bo]
 * (keys and values are projected from the context when it is there, from x otherwise). The four
 * projections are dense-like matmul + bias (fusable); the `attention` kernel does the per-head
 * scaled dot products. positional_encoding is its own kernel (no parameters).
 */
const lowerAttention: LowerRule = ({ builder, node, inputs }) => {
  const cross = inputs.length === 10;
  const [x, kv, wq, bq, wk, bk, wv, bv, wo, bo] = (cross ? inputs : [inputs[0]!, ...inputs]) as [number, number, number, number, number, number, number, number, number, number];
  const project = (input: number, w: number, b: number): number =>
    builder.add('bias_add', [builder.add('matmul', [input, w], { transA: false, transB: true }, node.origin), b], {}, node.origin);
  const attended = builder.add(
    'attention',
    [project(x, wq, bq), project(kv, wk, bk), project(kv, wv, bv)],
    { heads: node.attrs.heads as number, causal: node.attrs.causal === true },
    node.origin,
  );
  return project(attended, wo, bo);
};

export const attentionRules: Record<string, LowerRule> = {
  multi_head_attention: lowerAttention,
  positional_encoding: ({ builder, node, inputs }) => builder.add('positional_encoding', inputs.slice(0, 1), {}, node.origin),
};
