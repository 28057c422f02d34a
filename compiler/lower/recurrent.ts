import { perCell, type RecurrentCellName } from '../../runtime/plan/kernels.js';
import type { LowerRule } from './lower-context.js';

/**
 * rnn / lstm / gru(x, units, return_sequences): inputs [x, w_ih, w_hh, bias?]. The input projection
 * for all time steps at once is an ordinary matmul (+ bias, fusable); the `<cell>_scan` kernel then
 * runs the time loop with w_hh and saves what its gradient needs.
 */
function lowerRecurrent(cell: RecurrentCellName): LowerRule {
  return ({ builder, node, inputs }) => {
    const [x, wIh, wHh, bias] = inputs;
    let xw = builder.add('matmul', [x!, wIh!], { transA: false, transB: true }, node.origin);
    if (bias !== undefined) xw = builder.add('bias_add', [xw, bias], {}, node.origin);
    return builder.add(`${cell}_scan`, [xw, wHh!], { units: node.attrs.units as number, return_sequences: node.attrs.return_sequences === true }, node.origin);
  };
}

export const recurrentRules: Record<RecurrentCellName, LowerRule> = perCell(lowerRecurrent);
