import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../../compiler/compile.js';
import { CpuExecutor } from '../../../runtime/cpu/index.js';
import type { HostTensor } from '../../../runtime/tensor.js';
import { LayerGraph, trainConfig } from '../layer-graph.js';
import { gradCheck } from './grad-check.js';

/**
 * cross_entropy(..., mask: m): the masked_ loss kernels against finite differences, and the loss value
 * against the unmasked kernel run on the counted rows alone (its mean over them). A tagger's shapes:
 * logits [batch 3, seq 4, 5 classes], labels and mask [3, 4].
 */
const LENGTHS = [4, 2, 1];
const padded = (dtype: 'i32' | 'f32'): HostTensor => {
  const values = LENGTHS.flatMap((length) => [0, 1, 2, 3].map((t) => (t < length ? 1 : 0)));
  return { shape: [3, 4], dtype, data: dtype === 'i32' ? Int32Array.from(values) : Float32Array.from(values) } as HostTensor;
};

function tagger(dtype: 'i32' | 'f32', sparse: boolean, masked = true) {
  const g = new LayerGraph();
  const x = g.input('x', ['batch', 4, 3]);
  const mask = masked ? g.input('mask', ['batch', 4], dtype) : null;
  const logits = g.dense('logits', x, 5, null);
  g.output('logits', logits);
  const tags = sparse ? g.label('tags', ['batch', 4], 'i32') : g.label('tags', ['batch', 4, 5]);
  return { g, loss: { kind: 'cross_entropy' as const, pred: logits, target: tags, sparse, ...(mask === null ? {} : { mask }) } };
}

describe('gradients: masked cross-entropy', () => {
  for (const [dtype, sparse, fromLogits] of [['i32', true, true], ['f32', true, false], ['i32', false, true]] as const) {
    it(`${sparse ? 'sparse' : 'one-hot'} labels, ${fromLogits ? 'logits' : 'probabilities'}, ${dtype} mask of padded rows`, async () => {
      const { g, loss } = tagger(dtype, sparse);
      const pred = fromLogits ? loss.pred : g.layer('softmax', 'probs', [loss.pred], {}, ['batch', 4, 5]);
      await gradCheck({ graph: g, loss: { ...loss, pred, fromLogits }, classes: 5, targets: 'probabilities', feeds: { mask: padded(dtype) } });
    });
  }

  it('with label smoothing and class weights, a random int mask (holes)', async () => {
    const { g, loss } = tagger('i32', true);
    await gradCheck({ graph: g, loss: { ...loss, smoothing: 0.1, classWeights: [1, 2, 0.5, 1, 3] }, classes: 2 });
  });
});

describe('masked cross-entropy: the mean over the counted rows', () => {
  it('equals the unmasked loss of the counted rows alone, and ignores the labels of the others (even out of range)', async () => {
    const x = Float32Array.from({ length: 3 * 4 * 3 }, (_, i) => Math.sin(i * 1.7));
    const tags = Int32Array.from({ length: 12 }, (_, i) => (i * 3) % 5);
    const mask = padded('i32');
    // A padded label of −1 would be an error where counted (PyTorch's ignore_index is such a label).
    mask.data.forEach((m, i) => (m === 0 ? (tags[i] = -1) : undefined));
    const run = async (masked: boolean, feeds: Record<string, HostTensor>): Promise<number> => {
      const { g, loss } = tagger('i32', true, masked);
      const { plan, weights } = compileGraph(g.graph, 'Tagger', trainConfig(loss, { kind: 'gd', lr: 0 }, { seed: 3 }), { target: 'cpu', fuse: true, training: true, verify: true });
      return (await new CpuExecutor(plan!, weights).evaluate(feeds)).loss;
    };
    const maskedLoss = await run(true, { x: { shape: [3, 4, 3], dtype: 'f32', data: x }, tags: { shape: [3, 4], dtype: 'i32', data: tags }, mask });
    // The counted rows (7 of 12) as a batch of their own: [7, 1, 3] → the same dense layer, the same seed.
    const rows = [...mask.data.keys()].filter((i) => mask.data[i] !== 0);
    const alone = await (async () => {
      const g = new LayerGraph();
      const xi = g.input('x', ['batch', 1, 3]);
      const logits = g.dense('logits', xi, 5, null);
      g.output('logits', logits);
      const t = g.label('tags', ['batch', 1], 'i32');
      const { plan, weights } = compileGraph(g.graph, 'Tagger', trainConfig({ kind: 'cross_entropy', pred: logits, target: t, sparse: true }, { kind: 'gd', lr: 0 }, { seed: 3 }), { target: 'cpu', fuse: true, training: true, verify: true });
      const feeds = {
        x: { shape: [rows.length, 1, 3], dtype: 'f32' as const, data: Float32Array.from(rows.flatMap((r) => [...x.subarray(r * 3, r * 3 + 3)])) },
        tags: { shape: [rows.length, 1], dtype: 'i32' as const, data: Int32Array.from(rows.map((r) => tags[r]!)) },
      };
      return (await new CpuExecutor(plan!, weights).evaluate(feeds)).loss;
    })();
    expect(rows.length).toBe(7);
    expect(maskedLoss).toBeCloseTo(alone, 6);
  });
});

describe('gradients: masked global pooling', () => {
  for (const kind of ['global_avgpool', 'global_maxpool'] as const) {
    it(`${kind} over a sequence with a padded int mask (a row of one step) and a random float mask`, async () => {
      for (const feeds of [{ mask: padded('i32') }, undefined]) {
        const g = new LayerGraph();
        const x = g.input('x', ['batch', 4, 3]);
        const mask = g.input('mask', ['batch', 4], feeds ? 'i32' : 'f32');
        const h = g.dense('h', x, 3, null);
        const pooled = g.layer(kind, 'p', [h, mask], { masked: true }, ['batch', 3]);
        const y = g.dense('y', pooled, 2, null);
        g.output('y', y);
        const t = g.label('t', ['batch', 2]);
        await gradCheck({ graph: g, loss: { kind: 'mse', pred: y, target: t }, ...(feeds ? { feeds } : {}) });
      }
    });
  }
});
