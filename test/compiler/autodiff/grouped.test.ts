import { describe, it } from 'vitest';
import { LayerGraph } from '../layer-graph.js';
import { gradCheck } from './grad-check.js';

/**
 * depthwise_conv2d, separable_conv2d, grouped conv2d and groupnorm against finite differences, each
 * after a conv2d so that their input gradient is checked through the first layer's weights.
 */
function stem(g: LayerGraph): number {
  const x = g.input('x', ['batch', 6, 5, 2]);
  const w = g.param('c.weight', [4, 2, 2, 2], { kind: 'glorot_uniform' });
  const b = g.param('c.bias', [4], { kind: 'normal', mean: 0, std: 0.3 });
  return g.layer('conv2d', 'c', [x, w, b], { filters: 4, kernel: [2, 2], strides: [1, 1], padding: 'valid', dilation: [1, 1], activation: 'tanh' }, ['batch', 5, 4, 4]);
}

function head(g: LayerGraph, h: number) {
  const shape = g.shape(h) as Array<number | string>;
  const f = g.layer('flatten', 'f', [h], {}, ['batch', (shape.slice(1) as number[]).reduce((a, b) => a * b, 1)]);
  const y = g.dense('y', f, 2, null);
  g.output('y', y);
  return { g, y, t: g.label('t', ['batch', 2]) };
}

const init = { kind: 'glorot_uniform' } as const;
const bias = { kind: 'normal', mean: 0, std: 0.3 } as const;

describe('gradients: grouped convolutions and group norm', () => {
  it('depthwise_conv2d, multiplier 2, same, stride 2', async () => {
    const g = new LayerGraph();
    const h = stem(g);
    const d = g.layer('depthwise_conv2d', 'd', [h, g.param('d.weight', [8, 3, 3, 1], init), g.param('d.bias', [8], bias)], {
      kernel: [3, 3], strides: [2, 2], padding: 'same', dilation: [1, 1], depth_multiplier: 2, activation: 'tanh',
    }, ['batch', 3, 2, 8]);
    const { y, t } = head(g, d);
    await gradCheck({ graph: g, loss: { kind: 'mse', pred: y, target: t }, samples: 10 });
  });

  it('separable_conv2d with dilation (fuse off)', async () => {
    const g = new LayerGraph();
    const h = stem(g);
    const s = g.layer('separable_conv2d', 's', [h, g.param('s.depthwise', [4, 2, 2, 1], init), g.param('s.pointwise', [3, 1, 1, 4], init), g.param('s.bias', [3], bias)], {
      filters: 3, kernel: [2, 2], strides: [1, 1], padding: 'valid', dilation: [2, 1], depth_multiplier: 1, activation: 'tanh',
    }, ['batch', 3, 3, 3]);
    const { y, t } = head(g, s);
    await gradCheck({ graph: g, loss: { kind: 'mse', pred: y, target: t }, samples: 10, fuse: false });
  });

  it('conv2d with 2 groups, then groupnorm with 3 groups', async () => {
    const g = new LayerGraph();
    const h = stem(g);
    const c = g.layer('conv2d', 'g', [h, g.param('g.weight', [6, 2, 2, 2], init), g.param('g.bias', [6], bias)], {
      filters: 6, kernel: [2, 2], strides: [1, 1], padding: 'valid', dilation: [1, 1], activation: 'linear', groups: 2,
    }, ['batch', 4, 3, 6]);
    const n = g.layer('groupnorm', 'n', [c, g.param('n.gamma', [6], { kind: 'normal', mean: 1, std: 0.3 }), g.param('n.beta', [6], bias)], { groups: 3, epsilon: 1e-3 }, ['batch', 4, 3, 6]);
    const { y, t } = head(g, n);
    await gradCheck({ graph: g, loss: { kind: 'mse', pred: y, target: t }, samples: 10 });
  });

  it('groupnorm over [batch, features] (no positions)', async () => {
    const g = new LayerGraph();
    const x = g.input('x', ['batch', 6]);
    const h = g.dense('h', x, 8, 'tanh');
    const n = g.layer('groupnorm', 'n', [h, g.param('n.gamma', [8], { kind: 'normal', mean: 1, std: 0.3 }), g.param('n.beta', [8], bias)], { groups: 2, epsilon: 1e-3 }, ['batch', 8]);
    const y = g.dense('y', n, 2, null);
    g.output('y', y);
    await gradCheck({ graph: g, loss: { kind: 'mse', pred: y, target: g.label('t', ['batch', 2]) }, samples: 10 });
  });
});
