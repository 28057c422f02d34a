import type { RecurrentCellName } from '../../runtime/plan/kernels.js';
import { dimAdd } from '../shapes/dims.js';
import { cellOfCall } from '../ops/recurrent.js';
import type { GraphBuilder } from './graph-builder.js';
import type { LowerContext, LowerRule } from './lower-context.js';

/**
 * rnn / lstm / gru(x, units, return_sequences): inputs [x, w_ih, w_hh, bias?]. The input projection
 * for all time steps at once is an ordinary matmul (+ bias, fusable); the `<cell>_scan` kernel then
 * runs the time loop with w_hh and saves what its gradient needs. gru with reset_after runs the
 * gru_reset_after cell: inputs [x, w_ih, w_hh, bias?, recurrent_bias], the recurrent bias (always
 * there) going to the scan.
 *
 * bidirectional: the `_reverse` weights follow the forward ones. The reverse direction is the same
 * scan over x reversed in time (a strided_read with step −1 along the time axis), its sequence output
 * reversed back so both directions' step t line up (Keras); then the merge: concat along the features,
 * add, mul, or the mean (add, then scale by ½).
 *
 * mask (inputs [x, mask, ...params], attrs.masked): each direction runs `<cell>_masked_scan` with the
 * mask as its last input. The reverse direction reverses each row over its own length instead of the
 * whole padded axis (reverse_sequence, ONNX's ReverseSequence), x and the mask alike, and its
 * sequence output back again: so it starts at each row's last real step, as PyTorch's packed
 * sequences do, and its padding steps (at the end after the reversal) carry the state and output 0.
 */
type Layer = 'rnn' | 'lstm' | 'gru';

/** x [N, T, F] reversed along T. */
function reverseTime(builder: GraphBuilder, ctx: LowerContext, x: number): number {
  const shape = builder.type(x).shape;
  const attrs = { axes: [0, 1, 2], starts: [0, dimAdd(shape[1]!, -1), 0], steps: [1, -1, 1], shape };
  return builder.add('strided_read', [x], attrs, ctx.node.origin);
}

/** x [N, T, ...] reversed over each row's own length (the mask's). */
function reverseSequence(builder: GraphBuilder, ctx: LowerContext, x: number, mask: number): number {
  return builder.add('reverse_sequence', [x, mask], {}, ctx.node.origin);
}

/** One direction: the projection, its bias, and the scan (with its recurrent bias for gru_reset_after, and the mask when there is one). */
function direction(ctx: LowerContext, cell: RecurrentCellName, x: number, params: number[], mask: number | undefined): number {
  const { builder, node } = ctx;
  const [wIh, wHh, ...biases] = params;
  const recurrentBias = cell === 'gru_reset_after' ? biases.pop() : undefined;
  let xw = builder.add('matmul', [x, wIh!], { transA: false, transB: true }, node.origin);
  if (biases[0] !== undefined) xw = builder.add('bias_add', [xw, biases[0]], {}, node.origin);
  const scanInputs = [xw, wHh!, ...(recurrentBias === undefined ? [] : [recurrentBias]), ...(mask === undefined ? [] : [mask])];
  const kernel = mask === undefined ? `${cell}_scan` : `${cell}_masked_scan`;
  return builder.add(kernel, scanInputs, { units: node.attrs.units as number, return_sequences: node.attrs.return_sequences === true }, node.origin);
}

/** Where the reverse direction's weights start among the params: at `w_ih_reverse` (by name, else the second half). */
function reverseStart(builder: GraphBuilder, params: number[]): number {
  const named = params.findIndex((id) => String(builder.node(id).attrs.name ?? '').endsWith('.w_ih_reverse'));
  return named >= 0 ? named : params.length / 2;
}

function lowerRecurrent(layer: Layer): LowerRule {
  return (ctx) => {
    const { builder, node, inputs } = ctx;
    const masked = node.attrs.masked === true;
    const [x, ...rest] = inputs;
    const mask = masked ? rest[0] : undefined;
    const params = masked ? rest.slice(1) : rest;
    const cell = cellOfCall(layer, node.attrs.reset_after === true);
    const merge = node.attrs.bidirectional;
    if (typeof merge !== 'string') return direction(ctx, cell, x!, params, mask);
    const split = reverseStart(builder, params);
    const forward = direction(ctx, cell, x!, params.slice(0, split), mask);
    const reverse = (value: number): number => (mask === undefined ? reverseTime(builder, ctx, value) : reverseSequence(builder, ctx, value, mask));
    let backward = direction(ctx, cell, reverse(x!), params.slice(split), mask === undefined ? undefined : reverse(mask));
    if (node.attrs.return_sequences === true) backward = reverse(backward);
    switch (merge) {
      case 'concat':
        return builder.add('concat', [forward, backward], { axis: builder.type(forward).shape.length - 1 }, node.origin);
      case 'sum':
        return builder.add('add', [forward, backward], {}, node.origin);
      case 'mul':
        return builder.add('mul', [forward, backward], {}, node.origin);
      default:
        return builder.add('scale', [builder.add('add', [forward, backward], {}, node.origin)], { factor: 0.5 }, node.origin);
    }
  };
}

export const recurrentRules: Record<Layer, LowerRule> = {
  rnn: lowerRecurrent('rnn'),
  lstm: lowerRecurrent('lstm'),
  gru: lowerRecurrent('gru'),
};
