import { describe, expect, it } from 'vitest';
import { makeDataset } from '../../../runtime/data/dataset.js';
import { readLoopConfig } from '../../../runtime/train/config.js';
import { trainModel } from '../../../runtime/train/loop.js';
import { trainable } from './helpers.js';

/** Next-token prediction on a cycle 0→1→…→6→0 with the output projection tied to the embedding table. */
const TIED = `
model Lm {
  input ids: [batch, seq] int
  input next: [batch, seq] int
  emb = embedding(ids, 7, 8, table: normal(0.0, 0.3))
  h = dense(emb, 8, tanh)
  logits = dense(h, 7, weight: tied(emb))
  output logits
  train {
    loss cross_entropy(logits, next)
    optimizer adam(lr: 0.03)
    epochs 30  batch 8
    seed 5
  }
}
`;

describe('tied weights in training', () => {
  it('train one table (one update) read by the lookup and the projection, with a falling loss', async () => {
    const { plan, executor } = trainable(TIED);
    expect(plan.tensors.filter((t) => t.role === 'param').map((t) => t.name)).toEqual(['emb.table', 'h.weight', 'h.bias', 'logits.bias']);
    expect(plan.update.filter((s) => s.inputs[0] === 'emb.table')).toHaveLength(1);
    const rows = 32;
    const ids = Int32Array.from({ length: rows * 4 }, (_, i) => (Math.floor(i / 4) + (i % 4)) % 7);
    const next = ids.map((v) => (v + 1) % 7);
    const data = { ids: { shape: [rows, 4], dtype: 'i32' as const, data: ids }, next: { shape: [rows, 4], dtype: 'i32' as const, data: next } };
    const report = await trainModel({ executor, plan, config: readLoopConfig(plan), train: makeDataset(data) });
    expect(report.history.at(-1)!.loss).toBeLessThan(report.history[0]!.loss * 0.5);
    // The projection reads the trained table: logits = table · h + bias, by hand for one token.
    const weights = await executor.getWeights();
    const table = weights.get('emb.table')!.data;
    const w = weights.get('h.weight')!.data;
    const b = weights.get('h.bias')!.data;
    const bias = weights.get('logits.bias')!.data;
    const token = 3;
    const h = Array.from({ length: 8 }, (_, o) => Math.tanh(Array.from({ length: 8 }, (_, i) => w[o * 8 + i]! * table[token * 8 + i]!).reduce((a, c) => a + c, b[o]!)));
    const expected = Array.from({ length: 7 }, (_, v) => h.reduce((a, c, i) => a + c * table[v * 8 + i]!, bias[v]!));
    const out = (await executor.infer({ ids: { shape: [1, 1], dtype: 'i32', data: Int32Array.of(token) } })).logits!.data;
    expected.forEach((v, i) => expect(out[i]).toBeCloseTo(v, 4));
  });
});
