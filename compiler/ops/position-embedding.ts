import { formatShape, perSampleSize } from '../shapes/dims.js';
import { int, MAX_UNITS, tensorParam, weightTrainingParams } from './common.js';
import { TABLE_INIT, tableParam } from './embedding.js';
import { expects, ok, type OpDef } from './types.js';

/**
 * position_embedding(x, max_len, table: = uniform(low: -0.05, high: 0.05)): adds a learned vector
 * per position to a [batch, seq, d_model] sequence, x[:, t] + table[t] for t = 0..seq-1: BERT's and
 * GPT's learned position embeddings, the learned counterpart of positional_encoding. The position
 * ids are made inside the model (nothing is fed), so `seq` may be symbolic; a fixed seq longer
 * than max_len is a shape error here, a symbolic one longer than max_len is refused when bound.
 *
 * IR form: inputs [x, table [max_len, d_model]]; attrs { max_len }.
 */

export const position_embedding: OpDef = {
  name: 'position_embedding',
  category: 'layer',
  doc: 'Adds a learned vector per position 0..seq-1 to a sequence of vectors (BERT and GPT position embeddings; no ids are fed).',
  params: [
    tensorParam('x', 'The [batch, seq, d_model] sequence (token embeddings).'),
    { name: 'max_len', kind: 'int', doc: 'The longest sequence it accepts: rows of the table (BERT and GPT-2: 512, 1024).', min: 1, max: MAX_UNITS },
    tableParam('The [max_len, d_model] table; row t is added at position t.'),
    ...weightTrainingParams,
  ],
  shapeRule: 'unchanged ([batch, seq, d_model], seq ≤ max_len)',
  irForm: 'inputs [x, table [max_len, d_model]]; attrs { max_len }',
  infer({ inputs: [x], args }) {
    if (x!.shape.length !== 3) return expects('[batch, seq, d_model]');
    if (x!.dtype !== 'f32') return expects('float input (embed ids first)', { actual: `${formatShape(x!.shape)} int` });
    const [, seq, d] = x!.shape;
    if (typeof d !== 'number') return expects('[batch, seq, d_model] with a fixed d_model');
    const maxLen = args.max_len as number;
    if (typeof seq === 'number' && seq > maxLen) return expects(`a sequence of at most max_len = ${maxLen} positions`);
    return ok(x!.shape);
  },
  weights: (call) => [{ name: 'table', shape: [int(call, 'max_len'), call.inputs[0]!.shape[2] as number], init: TABLE_INIT, trainable: true, regularized: true }],
  attrs: (call) => ({ max_len: int(call, 'max_len') }),
  flops: ({ inputs: [x] }) => perSampleSize(x!.shape),
};
