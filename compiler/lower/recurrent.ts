import type { RecurrentCellName } from '../../runtime/plan/kernels.js';
import { cellOfCall } from '../ops/recurrent.js';
import type { LowerRule } from './lower-context.js';

/**
 * rnn / lstm / gru(x, units, return_sequences): inputs [x, w_ih, w_hh, bias?]. The input projection
 * for all time steps at once is an ordinary matmul (+ bias, fusable); the `<cell>_scan` kernel then
 * runs the time loop with w_hh and saves what its gradient needs. gru with reset_after runs the
 * gru_reset_after cell: inputs [x, w_ih, w_hh, bias?, recurrent_bias], the recurrent bias (always
 * there) going to the scan.
 */
function lowerRecurrent(layer: 'rnn' | 'lstm' | 'gru'): LowerRule {
  return ({ builder, node, inputs }) => {
    const [x, wIh, wHh, ...biases] = inputs;
    const cell: RecurrentCellName = cellOfCall(layer, node.attrs.reset_after === true);
    const recurrentBias = cell === 'gru_reset_after' ? biases.pop() : undefined;
    let xw = builder.add('matmul', [x!, wIh!], { transA: false, transB: true }, node.origin);
    if (biases[0] !== undefined) xw = builder.add('bias_add', [xw, biases[0]], {}, node.origin);
    const scanInputs = recurrentBias === undefined ? [xw, wHh!] : [xw, wHh!, recurrentBias];
    return builder.add(`${cell}_scan`, scanInputs, { units: node.attrs.units as number, return_sequences: node.attrs.return_sequences === true }, node.origin);
  };
}

export const recurrentRules: Record<'rnn' | 'lstm' | 'gru', LowerRule> = {
  rnn: lowerRecurrent('rnn'),
  lstm: lowerRecurrent('lstm'),
  gru: lowerRecurrent('gru'),
};
