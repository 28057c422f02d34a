import { describe, it } from 'vitest';
import type { Attrs } from '../../../compiler/ir/types.js';
import { LayerGraph } from '../layer-graph.js';
import { gradCheck } from './grad-check.js';

/**
 * Finite-difference checks of the math ops: every elementwise op (as its language op, and the
 * scalar-arithmetic forms affine and reciprocal), subtract and divide with broadcasting, and the
 * reductions over various axes. Inputs of log, sqrt, pow(0.5) and 1/x are kept positive by a
 * sigmoid-dense layer plus a constant shift.
 */
function around(op: string, attrs: Attrs, positive: boolean): { g: LayerGraph; y: number; t: number } {
  const g = new LayerGraph();
  const x = g.input('x', ['batch', 4]);
  const a = g.dense('a', x, 3, positive ? 'sigmoid' : 'tanh');
  const base = positive ? g.layer('unary', 'shift', [a], { op: 'affine', a: 1, b: 0.5 }, ['batch', 3]) : a;
  const m = g.layer(op, 'm', [base], attrs, ['batch', 3]);
  const y = g.dense('y', m, 2, null);
  g.output('y', y);
  return { g, y, t: g.label('t', ['batch', 2]) };
}

describe('gradients: math', () => {
  const cases: Array<[string, Attrs, boolean]> = [
    ['exp', {}, false],
    ['log', {}, true],
    ['sqrt', {}, true],
    ['abs', {}, false],
    ['square', {}, false],
    ['pow', { exponent: 3 }, false],
    ['pow', { exponent: 0.5 }, true],
    ['clip', { min: -0.3, max: 0.4 }, false],
  ];
  for (const [op, attrs, positive] of cases) {
    it(`${op} ${JSON.stringify(attrs)}`, async () => {
      const { g, y, t } = around(op, attrs, positive);
      await gradCheck({ graph: g, loss: { kind: 'mse', pred: y, target: t } });
    });
  }

  for (const [op, attrs, positive] of [['affine', { a: -0.7, b: 2 }, false], ['reciprocal', { a: 1.5 }, true]] as const) {
    it(`scalar arithmetic: ${op}`, async () => {
      const { g, y, t } = around('unary', { op, ...attrs }, positive);
      await gradCheck({ graph: g, loss: { kind: 'mse', pred: y, target: t } });
    });
  }

  for (const op of ['subtract', 'divide']) {
    it(`${op} with broadcasting ([batch, 3] and a [3] param)`, async () => {
      const g = new LayerGraph();
      const x = g.input('x', ['batch', 4]);
      const a = g.dense('a', x, 3, 'tanh');
      const p = g.param('p.value', [3], { kind: 'uniform', low: 0.8, high: 1.6 });
      // Both orders: the param on the right, then on the left (its gradient is summed over rows).
      const m = g.layer(op, 'm', [a, p], {}, ['batch', 3]);
      const n = g.layer(op, 'n', [p, g.layer('unary', 'pos', [m], { op: 'affine', a: 0.1, b: 2 }, ['batch', 3])], {}, ['batch', 3]);
      const y = g.dense('y', n, 2, null);
      g.output('y', y);
      await gradCheck({ graph: g, loss: { kind: 'mse', pred: y, target: g.label('t', ['batch', 2]) } });
    });
  }

  const reductions: Array<[string, number[], boolean, (string | number)[]]> = [
    ['sum', [2], false, ['batch', 3]],
    ['mean', [1], true, ['batch', 1, 4]],
    ['max', [1, 2], false, ['batch']],
    ['min', [2], true, ['batch', 3, 1]],
    ['mean', [0, 1, 2], false, []],
  ];
  for (const [op, axes, keepdims, shape] of reductions) {
    it(`${op} over axes ${axes.join(', ')}${keepdims ? ' (keepdims)' : ''}`, async () => {
      const g = new LayerGraph();
      const x = g.input('x', ['batch', 3, 2]);
      const a = g.dense('a', x, 4, 'tanh');
      const r = g.layer(op, 'r', [a], { axes, keepdims }, shape);
      // keepdims: broadcast the reduction back against a and read it out; else it is the prediction.
      const y = keepdims ? g.dense('y', g.layer('multiply', 'back', [a, r], {}, ['batch', 3, 4]), 2, null) : r;
      g.output('y', y);
      await gradCheck({ graph: g, loss: { kind: 'mse', pred: y, target: g.label('t', keepdims ? ['batch', 3, 2] : shape) } });
    });
  }
});
