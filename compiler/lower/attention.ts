import type { LowerRule } from './lower-context.js';

/**
 * multi_head_attention(x, heads, causal, context?, key_mask? or mask?): inputs [x, context?, mask?, wq, bq,
 * wk, bk, wv, bv, wo, bo]; attrs { heads, causal, cross, masked } say which optional inputs are there.
 * Keys and values are projected from the context when it is there, from x otherwise. The four
 * projections are dense-like matmul + bias (fusable); the `attention` kernel (`masked_attention` with
 * a key mask [N, Tk] or a mask [N, Tq, Tk]) does the per-head scaled dot products. positional_encoding is its own kernel (no parameters).
 */
const lowerAttention: LowerRule = ({ builder, node, inputs }) => {
  const cross = node.attrs.cross === true;
  const masked = node.attrs.masked === true;
  const x = inputs[0]!;
  const kv = cross ? inputs[1]! : x;
  const mask = masked ? inputs[cross ? 2 : 1]! : null;
  const [wq, bq, wk, bk, wv, bv, wo, bo] = inputs.slice(1 + Number(cross) + Number(masked)) as [number, number, number, number, number, number, number, number];
  const project = (input: number, w: number, b: number): number =>
    builder.add('bias_add', [builder.add('matmul', [input, w], { transA: false, transB: true }, node.origin), b], {}, node.origin);
  const qkv = [project(x, wq, bq), project(kv, wk, bk), project(kv, wv, bv)];
  const attended = builder.add(
    mask === null ? 'attention' : 'masked_attention',
    mask === null ? qkv : [...qkv, mask],
    { heads: node.attrs.heads as number, causal: node.attrs.causal === true },
    node.origin,
  );
  return project(attended, wo, bo);
};

/**
 * position_embedding(x, max_len): inputs [x, table]. The table's first seq rows (a strided_read whose
 * size is x's seq, symbolic or not) broadcast-added to x: no kernel of its own, so its gradient (a
 * strided_write of the summed rows into the table's shape), both runtimes and the ONNX export are
 * the slice's and the add's. A bound seq beyond max_len fails the read's bounds check.
 */
const lowerPositionEmbedding: LowerRule = ({ builder, node, inputs }) => {
  const [x, table] = inputs as [number, number];
  const [, seq, d] = builder.type(x).shape;
  const rows = builder.add('strided_read', [table], { axes: [0, 1], starts: [0, 0], steps: [1, 1], shape: [seq!, d!] }, node.origin);
  return builder.add('add', [x, rows], {}, node.origin);
};

export const attentionRules: Record<string, LowerRule> = {
  multi_head_attention: lowerAttention,
  positional_encoding: ({ builder, node, inputs }) => builder.add('positional_encoding', inputs.slice(0, 1), {}, node.origin),
  position_embedding: lowerPositionEmbedding,
};
