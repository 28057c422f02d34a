import { RECURRENT_CELLS } from '../../runtime/plan/kernels.js';
import { formatShape, perSampleSize } from '../shapes/dims.js';
import { GLOROT, hasWeight, int, weightTrainingParams, tensorParam, unitsParam, weightParam, ZEROS } from './common.js';
import { expects, ok, type OpCall, type OpDef, type ParamDef, type WeightDef } from './types.js';

/**
 * rnn / lstm / gru(x, units, return_sequences = false, w_ih: = glorot_uniform, w_hh: = glorot_uniform, bias: = zeros | false)
 * gru(..., reset_after = false, recurrent_bias: = zeros)
 *
 * [batch, seq, in] → [batch, units] (the last state), or [batch, seq, units] with return_sequences.
 * Gates (docs/conventions.md; the counts are RECURRENT_CELLS of runtime/plan/kernels.ts): rnn 1 (tanh),
 * lstm 4 (i, f, g, o), gru 3 (r, z, n; PyTorch order).
 * Parameters: w_ih [gates·units, in], w_hh [gates·units, units], bias [gates·units]; an LSTM with
 * units u on d features has 4(u·d + u·u + u), as in Keras. gru with reset_after adds the recurrent
 * bias b_hh [3·units] of Keras' GRU(reset_after=True) and PyTorch's GRU: 3(u·d + u·u + 2u), and runs
 * the gru_reset_after cell.
 *
 * IR form: inputs [x, w_ih, w_hh, bias?, recurrent_bias (with reset_after)]; attrs { units, return_sequences, reset_after (only when true) }.
 */
type RecurrentLayer = 'rnn' | 'lstm' | 'gru';

/** The cell a layer call runs: gru with reset_after is the gru_reset_after cell. */
export function cellOfCall(layer: RecurrentLayer, resetAfter: boolean): keyof typeof RECURRENT_CELLS {
  return layer === 'gru' && resetAfter ? 'gru_reset_after' : layer;
}

const resetAfter = (call: OpCall): boolean => call.args.reset_after === true;

function recurrent(name: RecurrentLayer, doc: string): OpDef {
  const { gates } = RECURRENT_CELLS[name];
  const gruParams: ParamDef[] = name === 'gru'
    ? [
        { name: 'reset_after', kind: 'bool', doc: 'Two biases, the reset gate applied after the recurrent product (Keras reset_after=True, PyTorch).', default: false },
        weightParam('recurrent_bias', 'The [3·units] recurrent bias b_hh, used with reset_after (PyTorch\'s bias_hh, the second row of Keras\' bias).', ZEROS),
      ]
    : [];
  return {
    name,
    category: 'layer',
    doc,
    params: [
      tensorParam(),
      unitsParam('units', 'Size of the hidden state.'),
      { name: 'return_sequences', kind: 'bool', doc: 'Return the state at every step instead of the last one.', default: false },
      ...gruParams.slice(0, 1),
      weightParam('w_ih', `The [${gates}·units, in] input weights.`, GLOROT),
      weightParam('w_hh', `The [${gates}·units, units] recurrent weights.`, GLOROT),
      weightParam('bias', `The [${gates}·units] bias.`, ZEROS, true),
      ...gruParams.slice(1),
      ...weightTrainingParams,
    ],
    shapeRule: '[batch, seq, in] → [batch, units] or, with return_sequences, [batch, seq, units]',
    irForm: name === 'gru'
      ? 'inputs [x, w_ih, w_hh, bias?, recurrent_bias (with reset_after)]; attrs { units, return_sequences, reset_after (when true) }'
      : 'inputs [x, w_ih, w_hh, bias?]; attrs { units, return_sequences }',
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
      if (resetAfter(call)) weights.push({ name: 'recurrent_bias', shape: [gates * units], init: ZEROS, trainable: true, regularized: false });
      return weights;
    },
    attrs: (call) => ({ units: int(call, 'units'), return_sequences: call.args.return_sequences as boolean, ...(resetAfter(call) ? { reset_after: true } : {}) }),
    flops(call) {
      const steps = perSampleSize(call.inputs[0]!.shape.slice(0, 2));
      if (steps === null) return null;
      const units = int(call, 'units');
      const inFeatures = call.inputs[0]!.shape[2] as number;
      return steps * gates * units * (2 * (inFeatures + units) + 5);
    },
  };
}

/** How the language reference describes each recurrent layer. */
const DOCS: Record<RecurrentLayer, string> = {
  rnn: 'Simple recurrent layer: h = tanh(W_ih·x + W_hh·h + b).',
  lstm: 'Long short-term memory layer (gates i, f, g, o).',
  gru: 'Gated recurrent unit (gates r, z, n); reset_after adds the recurrent bias of Keras and PyTorch.',
};

/** One layer op per recurrent layer: rnn, lstm, gru (the gru_reset_after cell is gru with reset_after). */
export const RECURRENT_OPS: OpDef[] = (Object.keys(DOCS) as RecurrentLayer[]).map((layer) => recurrent(layer, DOCS[layer]));
