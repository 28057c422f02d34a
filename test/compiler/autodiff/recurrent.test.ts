import { describe, it } from 'vitest';
import { LayerGraph } from '../layer-graph.js';
import { gradCheck } from './grad-check.js';

/**
 * rnn, lstm, gru and gru with reset_after (last state and full sequences): BPTT against finite
 * differences. 5 units run the JS scans, 8 (a multiple of 4) the WASM SIMD ones (runtime/cpu/wasm/recurrent-*-simd.ts).
 */
const GATES = { rnn: 1, lstm: 4, gru: 3 } as const;

describe('gradients: recurrent layers', () => {
  for (const [cell, units] of [['rnn', 5], ['lstm', 5], ['gru', 5], ['rnn', 8], ['lstm', 8], ['gru', 8]] as const) {
    for (const sequences of [false, true]) {
      it(`${cell} of ${units} units (return_sequences: ${sequences})`, async () => {
        const g = new LayerGraph();
        const x = g.input('x', ['batch', 4, 3]);
        const wIh = g.param(`r.w_ih`, [GATES[cell] * units, 3], { kind: 'glorot_uniform' });
        const wHh = g.param(`r.w_hh`, [GATES[cell] * units, units], { kind: 'glorot_uniform' });
        const bias = g.param(`r.bias`, [GATES[cell] * units], { kind: 'normal', mean: 0, std: 0.3 });
        const shape = sequences ? ['batch', 4, units] : ['batch', units];
        const r = g.layer(cell, 'r', [x, wIh, wHh, bias], { units, return_sequences: sequences }, shape);
        const y = g.dense('y', r, 2, null);
        g.output('y', y);
        const t = g.label('t', sequences ? ['batch', 4, 2] : ['batch', 2]);
        await gradCheck({ graph: g, loss: { kind: 'mse', pred: y, target: t }, samples: 10 });
      });
    }
  }

  for (const sequences of [false, true]) {
    it(`gru with reset_after: both biases (return_sequences: ${sequences})`, async () => {
      const g = new LayerGraph();
      const x = g.input('x', ['batch', 4, 3]);
      const units = sequences ? 5 : 8;
      const wIh = g.param('r.w_ih', [3 * units, 3], { kind: 'glorot_uniform' });
      const wHh = g.param('r.w_hh', [3 * units, units], { kind: 'glorot_uniform' });
      const bias = g.param('r.bias', [3 * units], { kind: 'normal', mean: 0, std: 0.3 });
      const recurrentBias = g.param('r.recurrent_bias', [3 * units], { kind: 'normal', mean: 0, std: 0.5 });
      const shape = sequences ? ['batch', 4, units] : ['batch', units];
      const r = g.layer('gru', 'r', [x, wIh, wHh, bias, recurrentBias], { units, return_sequences: sequences, reset_after: true }, shape);
      const y = g.dense('y', r, 2, null);
      g.output('y', y);
      const t = g.label('t', sequences ? ['batch', 4, 2] : ['batch', 2]);
      await gradCheck({ graph: g, loss: { kind: 'mse', pred: y, target: t }, samples: 10 });
    });
  }

  for (const [cell, merge, sequences] of [['lstm', 'concat', true], ['gru', 'ave', false], ['rnn', 'mul', true]] as const) {
    it(`${cell} bidirectional (${merge}, return_sequences: ${sequences})`, async () => {
      const g = new LayerGraph();
      const x = g.input('x', ['batch', 4, 3]);
      const units = 4;
      const params = ['', '_reverse'].flatMap((suffix) => [
        g.param(`r.w_ih${suffix}`, [GATES[cell] * units, 3], { kind: 'glorot_uniform' }),
        g.param(`r.w_hh${suffix}`, [GATES[cell] * units, units], { kind: 'glorot_uniform' }),
        g.param(`r.bias${suffix}`, [GATES[cell] * units], { kind: 'normal', mean: 0, std: 0.3 }),
      ]);
      const features = merge === 'concat' ? 2 * units : units;
      const shape = sequences ? ['batch', 4, features] : ['batch', features];
      const r = g.layer(cell, 'r', [x, ...params], { units, return_sequences: sequences, bidirectional: merge }, shape);
      const y = g.dense('y', r, 2, null);
      g.output('y', y);
      const t = g.label('t', sequences ? ['batch', 4, 2] : ['batch', 2]);
      await gradCheck({ graph: g, loss: { kind: 'mse', pred: y, target: t }, samples: 10 });
    });
  }
});

/**
 * Masked recurrences: a dense layer before the scan so that the gradient also crosses reverse_sequence
 * (the reverse direction of a masked bidirectional layer) and reaches x's projection. Masks with
 * padding at the end (rows of length 4, 2 and 1 of 4 steps: batch 3) and random 0/1 masks (holes
 * in the middle: the state carries over them).
 */
const PADDED = { shape: [3, 4], dtype: 'i32' as const, data: Int32Array.from([1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 0, 0]) };

describe('gradients: masked recurrent layers', () => {
  const cases = [
    ['lstm', 'concat', true, 'padded'],
    ['lstm', null, false, 'padded'],
    ['gru', 'sum', false, 'random'],
    ['rnn', 'ave', true, 'random'],
    ['gru_reset_after', 'concat', true, 'padded'],
    ['lstm', 'mul', false, 'random'],
  ] as const;
  for (const [layer, merge, sequences, masks] of cases) {
    it(`${layer}${merge ? ` bidirectional (${merge})` : ''} with a ${masks} mask (return_sequences: ${sequences})`, async () => {
      const cell = layer === 'gru_reset_after' ? 'gru' : layer;
      const g = new LayerGraph();
      const x = g.input('x', ['batch', 4, 3]);
      const mask = g.input('mask', ['batch', 4], 'i32');
      const h = g.dense('h', x, 3, null);
      const units = 4;
      const params = ['', ...(merge ? ['_reverse'] : [])].flatMap((suffix) => [
        g.param(`r.w_ih${suffix}`, [GATES[cell] * units, 3], { kind: 'glorot_uniform' }),
        g.param(`r.w_hh${suffix}`, [GATES[cell] * units, units], { kind: 'glorot_uniform' }),
        g.param(`r.bias${suffix}`, [GATES[cell] * units], { kind: 'normal', mean: 0, std: 0.3 }),
        ...(layer === 'gru_reset_after' ? [g.param(`r.recurrent_bias${suffix}`, [3 * units], { kind: 'normal', mean: 0, std: 0.5 })] : []),
      ]);
      const features = merge === 'concat' ? 2 * units : units;
      const shape = sequences ? ['batch', 4, features] : ['batch', features];
      const attrs = { units, return_sequences: sequences, masked: true, ...(merge ? { bidirectional: merge } : {}), ...(layer === 'gru_reset_after' ? { reset_after: true } : {}) };
      const r = g.layer(cell, 'r', [h, mask, ...params], attrs, shape);
      const y = g.dense('y', r, 2, null);
      g.output('y', y);
      const t = g.label('t', sequences ? ['batch', 4, 2] : ['batch', 2]);
      await gradCheck({ graph: g, loss: { kind: 'mse', pred: y, target: t }, samples: 10, classes: 2, ...(masks === 'padded' ? { feeds: { mask: PADDED } } : {}) });
    });
  }
});
