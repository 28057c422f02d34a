import { describe, it } from 'vitest';
import { LayerGraph } from '../layer-graph.js';
import { gradCheck } from './grad-check.js';

/** multi-head attention (plain and causal) and positional encoding against finite differences. */
describe('gradients: attention', () => {
  for (const causal of [false, true]) {
    it(`multi_head_attention, 2 heads (causal: ${causal})`, async () => {
      const g = new LayerGraph();
      const x = g.input('x', ['batch', 3, 4]);
      const pe = g.layer('positional_encoding', 'pe', [x], {}, ['batch', 3, 4]);
      const params = ['q', 'k', 'v', 'o'].flatMap((p) => [
        g.param(`att.w${p}`, [4, 4], { kind: 'glorot_uniform' }),
        g.param(`att.b${p}`, [4], { kind: 'normal', mean: 0, std: 0.2 }),
      ]);
      const att = g.layer('multi_head_attention', 'att', [pe, ...params], { heads: 2, causal }, ['batch', 3, 4]);
      const y = g.dense('y', att, 2, null);
      g.output('y', y);
      const t = g.label('t', ['batch', 3, 2]);
      await gradCheck({ graph: g, loss: { kind: 'mse', pred: y, target: t }, samples: 8 });
    });
  }

  for (const causal of [false, true]) {
    it(`cross-attention: 3 queries over a 5-step context (causal: ${causal})`, async () => {
      const g = new LayerGraph();
      const x = g.input('x', ['batch', 3, 4]);
      const memory = g.input('memory', ['batch', 5, 4]);
      const params = ['q', 'k', 'v', 'o'].flatMap((p) => [
        g.param(`att.w${p}`, [4, 4], { kind: 'glorot_uniform' }),
        g.param(`att.b${p}`, [4], { kind: 'normal', mean: 0, std: 0.2 }),
      ]);
      const att = g.layer('multi_head_attention', 'att', [x, memory, ...params], { heads: 2, causal, cross: true }, ['batch', 3, 4]);
      const y = g.dense('y', att, 2, null);
      g.output('y', y);
      const t = g.label('t', ['batch', 3, 2]);
      await gradCheck({ graph: g, loss: { kind: 'mse', pred: y, target: t }, samples: 8 });
    });
  }

  it('cross-attention with a key mask (random 0/1 int mask, no gradient to it)', async () => {
    const g = new LayerGraph();
    const x = g.input('x', ['batch', 3, 4]);
    const memory = g.input('memory', ['batch', 5, 4]);
    const keep = g.input('keep', ['batch', 5], 'i32');
    const params = ['q', 'k', 'v', 'o'].flatMap((p) => [
      g.param(`att.w${p}`, [4, 4], { kind: 'glorot_uniform' }),
      g.param(`att.b${p}`, [4], { kind: 'normal', mean: 0, std: 0.2 }),
    ]);
    const att = g.layer('multi_head_attention', 'att', [x, memory, keep, ...params], { heads: 2, causal: false, cross: true, masked: true }, ['batch', 3, 4]);
    const y = g.dense('y', att, 2, null);
    g.output('y', y);
    const t = g.label('t', ['batch', 3, 2]);
    await gradCheck({ graph: g, loss: { kind: 'mse', pred: y, target: t }, samples: 8, classes: 2 });
  });

  it('self-attention with a mask per query and key [batch, seq, seq] (random 0/1)', async () => {
    const g = new LayerGraph();
    const x = g.input('x', ['batch', 4, 4]);
    const allowed = g.input('allowed', ['batch', 4, 4], 'i32');
    const params = ['q', 'k', 'v', 'o'].flatMap((p) => [
      g.param(`att.w${p}`, [4, 4], { kind: 'glorot_uniform' }),
      g.param(`att.b${p}`, [4], { kind: 'normal', mean: 0, std: 0.2 }),
    ]);
    const att = g.layer('multi_head_attention', 'att', [x, allowed, ...params], { heads: 2, causal: true, masked: true }, ['batch', 4, 4]);
    const y = g.dense('y', att, 2, null);
    g.output('y', y);
    const t = g.label('t', ['batch', 4, 2]);
    await gradCheck({ graph: g, loss: { kind: 'mse', pred: y, target: t }, samples: 8, classes: 2 });
  });
});
