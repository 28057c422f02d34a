import { formatShape } from '../shapes/dims.js';
import { int, MAX_UNITS, weightTrainingParams, tensorParam, unitsParam, weightParam } from './common.js';
import type { InitSpec } from '../ir/types.js';
import { expects, ok, type OpDef } from './types.js';

/**
 * embedding(ids, vocab, dim, table: = uniform(low: -0.05, high: 0.05))
 *
 * Looks up a learned vector per token id: int [batch, ...] → [batch, ..., dim].
 *
 * IR form: inputs [ids, table [vocab, dim]]; attrs { vocab, dim }.
 */

/** The table's default initialiser, shared by position_embedding (Keras' Embedding default). */
export const TABLE_INIT: InitSpec = { kind: 'uniform', low: -0.05, high: 0.05 };

/** The `table:` parameter of embedding and position_embedding, with `doc` saying its shape. */
export const tableParam = (doc: string) => ({ ...weightParam('table', doc, TABLE_INIT), defaultText: 'uniform(low: -0.05, high: 0.05)' });

export const embedding: OpDef = {
  name: 'embedding',
  category: 'layer',
  doc: 'A learned vector per integer id (token embeddings).',
  params: [
    tensorParam('ids', 'Integer token ids.'),
    { name: 'vocab', kind: 'int', doc: 'Number of distinct ids (ids are 0..vocab-1).', min: 1, max: MAX_UNITS },
    unitsParam('dim', 'Size of each vector.'),
    tableParam('The [vocab, dim] table.'),
    ...weightTrainingParams,
  ],
  shapeRule: 'int [batch, ...] → [batch, ..., dim]',
  irForm: 'inputs [ids, table [vocab, dim]]; attrs { vocab, dim }',
  infer({ inputs: [ids], args }) {
    if (ids!.dtype !== 'i32') return expects('int ids', { actual: `${formatShape(ids!.shape)} f32` });
    return ok([...ids!.shape, args.dim as number]);
  },
  weights: (call) => [{ name: 'table', shape: [int(call, 'vocab'), int(call, 'dim')], init: TABLE_INIT, trainable: true, regularized: true }],
  attrs: (call) => ({ vocab: int(call, 'vocab'), dim: int(call, 'dim') }),
  flops: () => 0,
};
