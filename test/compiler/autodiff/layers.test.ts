import { describe, it } from 'vitest';
import { LayerGraph } from '../layer-graph.js';
import { gradCheck } from './grad-check.js';

/** Merges, reshapes, normalisation, dropout (fixed mask: same step seed each call) and embedding. */
function twoBranches(op: string, attrs: Record<string, number>, outShape: number): { g: LayerGraph; y: number; t: number } {
  const g = new LayerGraph();
  const x = g.input('x', ['batch', 4]);
  const a = g.dense('a', x, 3, 'tanh');
  const b = g.dense('b', x, 3, 'sigmoid');
  const m = g.layer(op, 'm', [a, b], attrs, ['batch', outShape]);
  const y = g.dense('y', m, 2, null);
  g.output('y', y);
  const t = g.label('t', ['batch', 2]);
  return { g, y, t };
}

describe('gradients: layers', () => {
  for (const [op, attrs, width] of [['add', {}, 3], ['multiply', {}, 3], ['concat', { axis: 1 }, 6]] as const) {
    it(op, async () => {
      const { g, y, t } = twoBranches(op, attrs, width);
      await gradCheck({ graph: g, loss: { kind: 'mse', pred: y, target: t } });
    });
  }

  it('add with broadcasting (a [batch, 3] plus a [3] param)', async () => {
    const g = new LayerGraph();
    const x = g.input('x', ['batch', 4]);
    const a = g.dense('a', x, 3, 'tanh');
    const p = g.param('shift.value', [3], { kind: 'normal', mean: 0, std: 1 });
    const m = g.layer('add', 'm', [a, p], {}, ['batch', 3]);
    g.output('m', m);
    const t = g.label('t', ['batch', 3]);
    await gradCheck({ graph: g, loss: { kind: 'mse', pred: m, target: t } });
  });

  it('flatten and reshape', async () => {
    const g = new LayerGraph();
    const x = g.input('x', ['batch', 2, 3]);
    const a = g.dense('a', x, 4, 'tanh');
    const f = g.layer('flatten', 'f', [a], {}, ['batch', 8]);
    const r = g.layer('reshape', 'r', [f], { shape: ['batch', 4, 2] }, ['batch', 4, 2]);
    const y = g.dense('y', r, 2, null);
    g.output('y', y);
    const t = g.label('t', ['batch', 4, 2]);
    await gradCheck({ graph: g, loss: { kind: 'mse', pred: y, target: t } });
  });

  it('batchnorm (training mode: batch statistics)', async () => {
    const g = new LayerGraph();
    const x = g.input('x', ['batch', 4]);
    const a = g.dense('a', x, 3, null);
    const gamma = g.param('bn.gamma', [3], { kind: 'normal', mean: 1, std: 0.3 });
    const beta = g.param('bn.beta', [3], { kind: 'normal', mean: 0, std: 0.3 });
    const mean = g.param('bn.running_mean', [3], { kind: 'zeros' }, false);
    const variance = g.param('bn.running_var', [3], { kind: 'ones' }, false);
    const bn = g.layer('batchnorm', 'bn', [a, gamma, beta, mean, variance], { epsilon: 1e-3, momentum: 0.9 }, ['batch', 3]);
    const y = g.dense('y', bn, 2, 'tanh');
    g.output('y', y);
    const t = g.label('t', ['batch', 2]);
    await gradCheck({ graph: g, loss: { kind: 'mse', pred: y, target: t }, eps: 3e-3, atol: 3e-3, rtol: 3e-2 });
  });

  it('layernorm', async () => {
    const g = new LayerGraph();
    const x = g.input('x', ['batch', 4]);
    const a = g.dense('a', x, 5, null);
    const gamma = g.param('ln.gamma', [5], { kind: 'normal', mean: 1, std: 0.3 });
    const beta = g.param('ln.beta', [5], { kind: 'normal', mean: 0, std: 0.3 });
    const ln = g.layer('layernorm', 'ln', [a, gamma, beta], { epsilon: 1e-3 }, ['batch', 5]);
    const y = g.dense('y', ln, 2, null);
    g.output('y', y);
    const t = g.label('t', ['batch', 2]);
    await gradCheck({ graph: g, loss: { kind: 'mse', pred: y, target: t }, eps: 3e-3, atol: 3e-3, rtol: 3e-2 });
  });

  it('dropout (fixed mask)', async () => {
    const g = new LayerGraph();
    const x = g.input('x', ['batch', 4]);
    const a = g.dense('a', x, 8, 'relu');
    const d = g.layer('dropout', 'd', [a], { rate: 0.4 }, ['batch', 8]);
    const y = g.dense('y', d, 2, null);
    g.output('y', y);
    const t = g.label('t', ['batch', 2]);
    await gradCheck({ graph: g, loss: { kind: 'mse', pred: y, target: t } });
  });

  it('embedding (ids repeat, so rows accumulate)', async () => {
    const g = new LayerGraph();
    const ids = g.input('ids', ['batch', 5], 'i32');
    const table = g.param('emb.table', [4, 3], { kind: 'uniform', low: -0.5, high: 0.5 });
    const e = g.layer('embedding', 'emb', [ids, table], { vocab: 4, dim: 3 }, ['batch', 5, 3]);
    const y = g.dense('y', e, 2, 'tanh');
    g.output('y', y);
    const t = g.label('t', ['batch', 5, 2]);
    await gradCheck({ graph: g, loss: { kind: 'mse', pred: y, target: t }, classes: 4, samples: 12 });
  });
});
