import { describe, it } from 'vitest';
import { LayerGraph } from '../layer-graph.js';
import { gradCheck } from './grad-check.js';

/**
 * conv1d/conv2d (valid and same padding, strides, dilation) and pooling against finite differences.
 * Max pooling has kinks where two window values tie; random inputs make ties unlikely and eps = 1e-3
 * keeps the perturbation from crossing one (tolerance atol 5e-3).
 */
function convNet(pool: string | null, conv: { padding: string; strides: number[]; dilation: number[] }) {
  const g = new LayerGraph();
  const x = g.input('x', ['batch', 5, 6, 2]);
  const w = g.param('c.weight', [3, 3, 2, 2], { kind: 'glorot_uniform' });
  const b = g.param('c.bias', [3], { kind: 'normal', mean: 0, std: 0.3 });
  // Output size per axis (input 5×6, kernel 3×2): valid floor((n − d(k−1) − 1)/s) + 1, same ceil(n/s).
  const out = (n: number, k: number, axis: number): number =>
    conv.padding === 'same' ? Math.ceil(n / conv.strides[axis]!) : Math.floor((n - conv.dilation[axis]! * (k - 1) - 1) / conv.strides[axis]!) + 1;
  const oh = out(5, 3, 0);
  const ow = out(6, 2, 1);
  let h = g.layer('conv2d', 'c', [x, w, b], { filters: 3, kernel: [3, 2], ...conv, activation: 'tanh' }, ['batch', oh, ow, 3]);
  if (pool === 'maxpool2d' || pool === 'avgpool2d') {
    h = g.layer(pool, 'p', [h], { size: [2, 2], strides: [1, 2], padding: 'same' }, ['batch', oh, Math.ceil(ow / 2), 3]);
  }
  h = g.layer(pool === 'global_maxpool' ? 'global_maxpool' : 'global_avgpool', 'gp', [h], {}, ['batch', 3]);
  const y = g.dense('y', h, 2, null);
  g.output('y', y);
  const t = g.label('t', ['batch', 2]);
  return { g, y, t };
}

describe('gradients: convolution and pooling', () => {
  it('conv2d valid, stride 1', async () => {
    const { g, y, t } = convNet(null, { padding: 'valid', strides: [1, 1], dilation: [1, 1] });
    await gradCheck({ graph: g, loss: { kind: 'mse', pred: y, target: t }, samples: 10 });
  });

  it('conv2d same, stride 2 (fuse off)', async () => {
    const { g, y, t } = convNet(null, { padding: 'same', strides: [2, 2], dilation: [1, 1] });
    await gradCheck({ graph: g, loss: { kind: 'mse', pred: y, target: t }, samples: 10, fuse: false });
  });

  it('conv2d valid with dilation 2 along height', async () => {
    const { g, y, t } = convNet(null, { padding: 'valid', strides: [1, 1], dilation: [2, 1] });
    await gradCheck({ graph: g, loss: { kind: 'mse', pred: y, target: t }, samples: 10 });
  });

  for (const pool of ['maxpool2d', 'avgpool2d', 'global_maxpool']) {
    it(pool, async () => {
      const { g, y, t } = convNet(pool, { padding: 'same', strides: [1, 1], dilation: [1, 1] });
      await gradCheck({ graph: g, loss: { kind: 'mse', pred: y, target: t }, samples: 10, eps: 1e-3, atol: 5e-3 });
    });
  }

  it('conv1d and maxpool1d over a sequence', async () => {
    const g = new LayerGraph();
    const x = g.input('x', ['batch', 7, 2]);
    const w = g.param('c.weight', [4, 3, 2], { kind: 'glorot_uniform' });
    const b = g.param('c.bias', [4], { kind: 'normal', mean: 0, std: 0.3 });
    const c = g.layer('conv1d', 'c', [x, w, b], { filters: 4, kernel: [3], strides: [1], padding: 'valid', dilation: [1], activation: 'relu' }, ['batch', 5, 4]);
    const p = g.layer('maxpool1d', 'p', [c], { size: [2], strides: [2], padding: 'valid' }, ['batch', 2, 4]);
    const f = g.layer('flatten', 'f', [p], {}, ['batch', 8]);
    const y = g.dense('y', f, 2, null);
    g.output('y', y);
    const t = g.label('t', ['batch', 2]);
    await gradCheck({ graph: g, loss: { kind: 'mse', pred: y, target: t }, samples: 10, eps: 1e-3, atol: 5e-3 });
  });
});
