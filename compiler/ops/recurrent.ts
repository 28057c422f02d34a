import { RECURRENT_CELL_NAMES, RECURRENT_CELLS, type RecurrentCellName } from '../../runtime/plan/kernels.js';
import { formatShape, perSampleSize } from '../shapes/dims.js';
import { GLOROT, hasWeight, int, regularizerParams, tensorParam, unitsParam, weightParam, ZEROS } from './common.js';
import { expects, ok, type OpDef, type WeightDef } from './types.js';

/**
 * rnn / lstm / gru(x, units, return_sequences = false, w_ih: = glorot_uniform, w_hh: = glorot_uniform, bias: = zeros | false)
 *
 * [batch, seq, in] → [batch, units] (the last state), or [batch, seq, units] with return_sequences.
 * Gates (docs/conventions.md; the counts are RECURRENT_CELLS of runtime/plan/kernels.ts): rnn 1 (tanh),
 * lstm 4 (i, f, g, o), gru 3 (r, z, n; PyTorch order).
 * Parameters: w_ih [gates·units, in], w_hh [gates·units, units], bias [gates·units]; an LSTM with
 * units u on d features has 4(u·d + u·u + u), as in Keras.
 *
 * IR form: inputs [x, w_ih, w_hh, bias?]; attrs { units, return_sequences }.
 */

function recurrent(name: RecurrentCellName, doc: string): OpDef {
  const { gates } = RECURRENT_CELLS[name];
  return {
    name,
    category: 'layer',
    doc,
    params: [
      tensorParam(),
      unitsParam('units', 'Size of the hidden state.'),
      { name: 'return_sequences', kind: 'bool', doc: 'Return the state at every step instead of the last one.', default: false },
      weightParam('w_ih', `The [${gates}·units, in] input weights.`, GLOROT),
      weightParam('w_hh', `The [${gates}·units, units] recurrent weights.`, GLOROT),
      weightParam('bias', `The [${gates}·units] bias.`, ZEROS, true),
      ...regularizerParams,
    ],
    shapeRule: '[batch, seq, in] → [batch, units] or, with return_sequences, [batch, seq, units]',
    irForm: 'inputs [x, w_ih, w_hh, bias?]; attrs { units, return_sequences }',
    infer({ inputs: [x], args }) {
      if (x!.shape.length !== 3) return expects('[batch, seq, features]');
      if (x!.dtype !== 'f32') return expects('float input', { actual: `${formatShape(x!.shape)} int` });
      if (typeof x!.shape[2] !== 'number') return expects('a known number of features in the last axis');
      const units = args.units as number;
      return ok(args.return_sequences ? [x!.shape[0]!, x!.shape[1]!, units] : [x!.shape[0]!, units]);
    },
    weights(call) {
      const units = int(call, 'units');
      const inFeatures = call.inputs[0]!.shape[2] as number;
      const weights: WeightDef[] = [
        { name: 'w_ih', shape: [gates * units, inFeatures], init: GLOROT, trainable: true, regularized: true },
        { name: 'w_hh', shape: [gates * units, units], init: GLOROT, trainable: true, regularized: true },
      ];
      if (hasWeight(call, 'bias')) weights.push({ name: 'bias', shape: [gates * units], init: ZEROS, trainable: true, regularized: false });
      return weights;
    },
    attrs: (call) => ({ units: int(call, 'units'), return_sequences: call.args.return_sequences as boolean }),
    flops(call) {
      const steps = perSampleSize(call.inputs[0]!.shape.slice(0, 2));
      if (steps === null) return null;
      const units = int(call, 'units');
      const inFeatures = call.inputs[0]!.shape[2] as number;
      return steps * gates * units * (2 * (inFeatures + units) + 5);
    },
  };
}

/** How the language reference describes each recurrent layer; typed by the cells of the kernel table. */
const DOCS: Record<RecurrentCellName, string> = {
  rnn: 'Simple recurrent layer: h = tanh(W_ih·x + W_hh·h + b).',
  lstm: 'Long short-term memory layer (gates i, f, g, o).',
  gru: 'Gated recurrent unit (gates r, z, n).',
};

/** One layer op per recurrent cell: rnn, lstm, gru. */
export const RECURRENT_OPS: OpDef[] = RECURRENT_CELL_NAMES.map((cell) => recurrent(cell, DOCS[cell]));
