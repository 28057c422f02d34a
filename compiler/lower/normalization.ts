import type { LowerRule } from './lower-context.js';

/**
 * batchnorm(x) inputs [x, gamma, beta, running_mean, running_var]; layernorm(x) inputs [x, gamma, beta].
 * Both lower to one primitive with statistics outputs that the gradient reads.
 */
const lowerBatchnorm: LowerRule = ({ builder, node, inputs }) =>
  builder.add('batchnorm', inputs, {
    epsilon: typeof node.attrs.epsilon === 'number' ? node.attrs.epsilon : 1e-3,
    momentum: typeof node.attrs.momentum === 'number' ? node.attrs.momentum : 0.99,
  }, node.origin);

const lowerLayernorm: LowerRule = ({ builder, node, inputs }) =>
  builder.add('layernorm', inputs, { epsilon: typeof node.attrs.epsilon === 'number' ? node.attrs.epsilon : 1e-3 }, node.origin);

/** groupnorm(x) inputs [x, gamma, beta]: one primitive, its statistics [batch, groups] kept for the gradient. */
const lowerGroupnorm: LowerRule = ({ builder, node, inputs }) =>
  builder.add('groupnorm', inputs, { groups: node.attrs.groups as number, epsilon: typeof node.attrs.epsilon === 'number' ? node.attrs.epsilon : 1e-3 }, node.origin);

/** dropout(x, rate): the primitive's seed attr is the node id, so each dropout draws its own mask. */
const lowerDropout: LowerRule = ({ builder, node, inputs }) =>
  builder.add('dropout', inputs.slice(0, 1), { rate: (node.attrs.rate as number | undefined) ?? 0.5, seed: node.id }, node.origin);

/** random_normal / random_uniform: one `random` primitive; its seed attr is the node id, so each op draws its own sample. */
const lowerRandom: LowerRule = ({ builder, node, inputs }) =>
  builder.add('random', inputs.slice(0, 1), { dist: node.attrs.dist as string, a: node.attrs.a as number, b: node.attrs.b as number, seed: node.id, inference: node.attrs.inference === true }, node.origin);

/** embedding(ids, vocab, dim): inputs [ids, table]. */
const lowerEmbedding: LowerRule = ({ builder, node, inputs }) => builder.add('embedding', inputs, {}, node.origin);

export const normalizationRules: Record<string, LowerRule> = {
  batchnorm: lowerBatchnorm,
  batch_norm: lowerBatchnorm,
  layernorm: lowerLayernorm,
  layer_norm: lowerLayernorm,
  groupnorm: lowerGroupnorm,
  dropout: lowerDropout,
  random_normal: lowerRandom,
  random_uniform: lowerRandom,
  embedding: lowerEmbedding,
};
