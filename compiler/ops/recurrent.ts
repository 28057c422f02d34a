import { RECURRENT_CELLS } from '../../runtime/plan/kernels.js';
import { formatShape, perSampleSize, sameDim } from '../shapes/dims.js';
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
 * bidirectional: concat | sum | mul | ave (Keras' Bidirectional merge_mode) adds the reverse direction's
 * weights (`w_ih_reverse`...; twice the parameters, as Keras) and merges the two outputs, the reverse
 * one re-aligned in time; concat doubles the features.
 *
 * mask: m [batch, seq] (int or float, nonzero = a real step, 0 = padding; Keras' mask, PyTorch's
 * packed lengths): a padding step carries the state over unchanged and outputs 0, so the last state
 * is the last real step's; the reverse direction runs over each row's own length (1 + its last
 * nonzero step), as PyTorch's packed sequences do.
 *
 * IR form: inputs [x, mask?, w_ih, w_hh, bias?, recurrent_bias (with reset_after), then the same `_reverse`
 * ones with bidirectional]; attrs { units, return_sequences, reset_after (when true), bidirectional (when set), masked (when given) }.
 */
type RecurrentLayer = 'rnn' | 'lstm' | 'gru';

/** The cell a layer call runs: gru with reset_after is the gru_reset_after cell. */
export function cellOfCall(layer: RecurrentLayer, resetAfter: boolean): keyof typeof RECURRENT_CELLS {
  return layer === 'gru' && resetAfter ? 'gru_reset_after' : layer;
}

const resetAfter = (call: OpCall): boolean => call.args.reset_after === true;

/** The mask's type when the call gives one (the tensor after x). */
const maskOf = (call: OpCall) => (call.given?.has('mask') ? call.inputs[1] : undefined);

/** How a bidirectional layer merges its two directions (Keras' merge_mode); `none`: one direction. */
export const MERGE_MODES = ['concat', 'sum', 'mul', 'ave'] as const;

function mergeOf(call: OpCall): (typeof MERGE_MODES)[number] | null {
  const mode = call.args.bidirectional;
  return mode === 'none' || typeof mode !== 'string' ? null : (mode as (typeof MERGE_MODES)[number]);
}

/** The reverse direction's copy of a weight parameter: `w_ih` → `w_ih_reverse` (PyTorch's `_reverse`). */
function reverseParam(p: ParamDef): ParamDef {
  return { ...p, name: `${p.name}_reverse`, doc: `With bidirectional, the reverse direction's ${p.name}.` };
}

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
      {
        name: 'mask',
        kind: 'tensor',
        doc: 'A [batch, seq] mask of padded sequences: nonzero = a real step, 0 = padding (carries the state over, outputs 0); int or float, as Keras\' mask. The reverse direction runs over each row\'s own length.',
        default: null,
        defaultText: 'none (every step)',
        namedOnly: true,
      },
      weightParam('w_ih', `The [${gates}·units, in] input weights.`, GLOROT),
      weightParam('w_hh', `The [${gates}·units, units] recurrent weights.`, GLOROT),
      weightParam('bias', `The [${gates}·units] bias.`, ZEROS, true),
      ...gruParams.slice(1),
      {
        name: 'bidirectional',
        kind: 'choice',
        doc: 'Also run the sequence backwards with its own weights (the `_reverse` ones) and merge the two: concat (2·units features), sum, mul or ave (Keras merge_mode).',
        default: 'none',
        choices: ['none', ...MERGE_MODES],
        namedOnly: true,
      },
      ...[weightParam('w_ih', 'w_ih', GLOROT), weightParam('w_hh', 'w_hh', GLOROT), weightParam('bias', 'bias', ZEROS, true), ...gruParams.slice(1)].map(reverseParam),
      ...weightTrainingParams,
    ],
    shapeRule: '[batch, seq, in], mask [batch, seq] → [batch, units] or, with return_sequences, [batch, seq, units]',
    irForm: name === 'gru'
      ? 'inputs [x, mask?, w_ih, w_hh, bias?, recurrent_bias (with reset_after), then the same _reverse ones with bidirectional]; attrs { units, return_sequences, reset_after (when true), bidirectional (when set), masked? }'
      : 'inputs [x, mask?, w_ih, w_hh, bias?, then w_ih_reverse, w_hh_reverse, bias_reverse? with bidirectional]; attrs { units, return_sequences, bidirectional (when set), masked? }',
    infer(call) {
      const { inputs: [x], args } = call;
      if (x!.shape.length !== 3) return expects('[batch, seq, features]');
      if (x!.dtype !== 'f32') return expects('float input', { actual: `${formatShape(x!.shape)} int` });
      if (typeof x!.shape[2] !== 'number') return expects('a known number of features in the last axis');
      const mask = maskOf(call);
      if (mask && (mask.shape.length !== 2 || !sameDim(mask.shape[0]!, x!.shape[0]!) || !sameDim(mask.shape[1]!, x!.shape[1]!))) {
        return expects(`a mask [${x!.shape[0]}, ${x!.shape[1]}] (x's batch and steps)`, { actual: `mask ${formatShape(mask.shape)}`, input: 1 });
      }
      const units = (args.units as number) * (mergeOf(call) === 'concat' ? 2 : 1);
      return ok(args.return_sequences ? [x!.shape[0]!, x!.shape[1]!, units] : [x!.shape[0]!, units]);
    },
    weights(call) {
      const units = int(call, 'units');
      const inFeatures = call.inputs[0]!.shape[2] as number;
      const direction = (suffix: string, bias: string): WeightDef[] => {
        const weights: WeightDef[] = [
          { name: `w_ih${suffix}`, shape: [gates * units, inFeatures], init: GLOROT, trainable: true, regularized: true },
          { name: `w_hh${suffix}`, shape: [gates * units, units], init: GLOROT, trainable: true, regularized: true },
        ];
        if (hasWeight(call, bias)) weights.push({ name: bias, shape: [gates * units], init: ZEROS, trainable: true, regularized: false });
        if (resetAfter(call)) weights.push({ name: `recurrent_bias${suffix}`, shape: [gates * units], init: ZEROS, trainable: true, regularized: false });
        return weights;
      };
      return [...direction('', 'bias'), ...(mergeOf(call) ? direction('_reverse', 'bias_reverse') : [])];
    },
    attrs: (call) => ({
      units: int(call, 'units'),
      return_sequences: call.args.return_sequences as boolean,
      ...(resetAfter(call) ? { reset_after: true } : {}),
      ...(mergeOf(call) ? { bidirectional: mergeOf(call)! } : {}),
      ...(maskOf(call) ? { masked: true } : {}),
    }),
    flops(call) {
      const steps = perSampleSize(call.inputs[0]!.shape.slice(0, 2));
      if (steps === null) return null;
      const units = int(call, 'units');
      const inFeatures = call.inputs[0]!.shape[2] as number;
      return (mergeOf(call) ? 2 : 1) * steps * gates * units * (2 * (inFeatures + units) + 5);
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
/** The recurrent layers (what `bidirectional(...)` wraps). */
export const RECURRENT_LAYERS = Object.keys(DOCS) as RecurrentLayer[];

export const RECURRENT_OPS: OpDef[] = (Object.keys(DOCS) as RecurrentLayer[]).map((layer) => recurrent(layer, DOCS[layer]));
