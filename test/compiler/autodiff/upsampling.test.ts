import { describe, it } from 'vitest';
import { LayerGraph } from '../layer-graph.js';
import { gradCheck } from './grad-check.js';

/**
 * Transposed convolutions and upsampling against finite differences, each after a conv2d/conv1d so
 * that the gradient w.r.t. its input (the forward convolution the rule emits) is checked through the
 * first layer's weights, and its own weight gradient (conv_grad_weight with dy and x exchanged) directly.
 */
type Attrs = { strides: number[]; padding: string; dilation: number[] };

function decoder(transposed: Attrs, out: [number, number], upsample: { size: number[]; mode: string } | null) {
  const g = new LayerGraph();
  const x = g.input('x', ['batch', 4, 3, 2]);
  const cw = g.param('c.weight', [3, 2, 2, 2], { kind: 'glorot_uniform' });
  const cb = g.param('c.bias', [3], { kind: 'normal', mean: 0, std: 0.3 });
  let h = g.layer('conv2d', 'c', [x, cw, cb], { filters: 3, kernel: [2, 2], strides: [1, 1], padding: 'valid', dilation: [1, 1], activation: 'tanh' }, ['batch', 3, 2, 3]);
  const tw = g.param('t.weight', [3, 3, 2, 2], { kind: 'glorot_uniform' });
  const tb = g.param('t.bias', [2], { kind: 'normal', mean: 0, std: 0.3 });
  h = g.layer('conv2d_transpose', 't', [h, tw, tb], { filters: 2, kernel: [3, 2], ...transposed, activation: 'tanh' }, ['batch', out[0], out[1], 2]);
  if (upsample) {
    h = g.layer('upsample2d', 'u', [h], upsample, ['batch', out[0] * upsample.size[0]!, out[1] * upsample.size[1]!, 2]);
    // A position-dependent read, so that a gradient routed to the wrong cell shows.
    const mw = g.param('m.weight', [2, 3, 3, 2], { kind: 'glorot_uniform' });
    h = g.layer('conv2d', 'm', [h, mw], { filters: 2, kernel: [3, 3], strides: [2, 2], padding: 'valid', dilation: [1, 1], activation: 'linear' }, ['batch', Math.floor((out[0] * upsample.size[0]! - 3) / 2) + 1, Math.floor((out[1] * upsample.size[1]! - 3) / 2) + 1, 2]);
  }
  const f = g.layer('flatten', 'f', [h], {}, ['batch', (g.shape(h) as number[]).slice(1).reduce((a, b) => a * b, 1)]);
  const y = g.dense('y', f, 2, null);
  g.output('y', y);
  return { g, y, t: g.label('t', ['batch', 2]) };
}

describe('gradients: transposed convolution and upsampling', () => {
  it('conv2d_transpose valid, stride 2 (3×2 → 7×4)', async () => {
    const { g, y, t } = decoder({ strides: [2, 2], padding: 'valid', dilation: [1, 1] }, [7, 4], null);
    await gradCheck({ graph: g, loss: { kind: 'mse', pred: y, target: t }, samples: 10 });
  });

  it('conv2d_transpose same, stride [2, 3] (fuse off)', async () => {
    const { g, y, t } = decoder({ strides: [2, 3], padding: 'same', dilation: [1, 1] }, [6, 6], null);
    await gradCheck({ graph: g, loss: { kind: 'mse', pred: y, target: t }, samples: 10, fuse: false });
  });

  it('conv2d_transpose valid with dilation 2 along height', async () => {
    const { g, y, t } = decoder({ strides: [1, 1], padding: 'valid', dilation: [2, 1] }, [7, 3], null);
    await gradCheck({ graph: g, loss: { kind: 'mse', pred: y, target: t }, samples: 10 });
  });

  for (const mode of ['nearest', 'bilinear']) {
    it(`upsample2d ${mode} by [2, 3]`, async () => {
      const { g, y, t } = decoder({ strides: [1, 1], padding: 'same', dilation: [1, 1] }, [3, 2], { size: [2, 3], mode });
      await gradCheck({ graph: g, loss: { kind: 'mse', pred: y, target: t }, samples: 10 });
    });
  }

  it('conv1d_transpose and upsample1d over a sequence', async () => {
    const g = new LayerGraph();
    const x = g.input('x', ['batch', 5, 2]);
    const cw = g.param('c.weight', [3, 2, 2], { kind: 'glorot_uniform' });
    const c = g.layer('conv1d', 'c', [x, cw], { filters: 3, kernel: [2], strides: [1], padding: 'valid', dilation: [1], activation: 'tanh' }, ['batch', 4, 3]);
    const tw = g.param('t.weight', [3, 3, 2], { kind: 'glorot_uniform' });
    const tb = g.param('t.bias', [2], { kind: 'normal', mean: 0, std: 0.3 });
    const tr = g.layer('conv1d_transpose', 't', [c, tw, tb], { filters: 2, kernel: [3], strides: [2], padding: 'valid', dilation: [1], activation: 'tanh' }, ['batch', 9, 2]);
    const up = g.layer('upsample1d', 'u', [tr], { size: [2], mode: 'bilinear' }, ['batch', 18, 2]);
    const mw = g.param('m.weight', [2, 3, 2], { kind: 'glorot_uniform' });
    const m = g.layer('conv1d', 'm', [up, mw], { filters: 2, kernel: [3], strides: [3], padding: 'valid', dilation: [1], activation: 'linear' }, ['batch', 6, 2]);
    const f = g.layer('flatten', 'f', [m], {}, ['batch', 12]);
    const y = g.dense('y', f, 2, null);
    g.output('y', y);
    const t = g.label('t', ['batch', 2]);
    await gradCheck({ graph: g, loss: { kind: 'mse', pred: y, target: t }, samples: 10 });
  });
});
