import { describe, expect, it } from 'vitest';
import { makeDataset } from '../../../runtime/data/dataset.js';
import { readLoopConfig } from '../../../runtime/train/config.js';
import { trainModel } from '../../../runtime/train/loop.js';
import { readSafetensors, writeSafetensors } from '../../../runtime/weights/safetensors.js';
import { trainable } from './helpers.js';

const SHARED = `
shared block enc(x) {
  h = dense(x, 8, tanh)
  return dense(h, 3)
}
model S {
  input x: [batch, 3]
  input y: [batch, 3]
  b = x |> enc |> enc
  output b
  train {
    loss mse(b, y)
    optimizer adam(lr: 0.02)
    epochs 20  batch 8
    seed 4
  }
}
`;

describe('shared block in training', () => {
  it('trains one set of weights (one update each) with a falling loss, saved once under the first use\'s names', async () => {
    const { plan, executor } = trainable(SHARED);
    const params = plan.tensors.filter((t) => t.role === 'param').map((t) => t.name);
    expect(params).toEqual(['b/enc/h.weight', 'b/enc/h.bias', 'b/enc.weight', 'b/enc.bias']);
    // One optimizer step per weight, not one per use.
    expect(plan.update.filter((s) => s.inputs[0] === 'b/enc/h.weight')).toHaveLength(1);
    const x = { shape: [32, 3], dtype: 'f32' as const, data: Float32Array.from({ length: 96 }, (_, i) => Math.sin(i * 0.7)) };
    const y = { shape: [32, 3], dtype: 'f32' as const, data: Float32Array.from({ length: 96 }, (_, i) => 0.5 * Math.cos(i * 0.3)) };
    const report = await trainModel({ executor, plan, config: readLoopConfig(plan), train: makeDataset({ x, y }) });
    expect(report.history.at(-1)!.loss).toBeLessThan(report.history[0]!.loss * 0.7);
    const weights = await executor.getWeights();
    expect([...weights.keys()].filter((k) => params.includes(k)).sort()).toEqual([...params].sort());
    // Both uses read the one trained tensor: a forward pass equals applying the first use twice by hand.
    const probe = { x: { shape: [1, 3], dtype: 'f32' as const, data: Float32Array.of(0.3, -0.2, 0.9) } };
    const out = (await executor.infer(probe)).b!.data;
    const enc = (v: number[]) => dense(dense(v, weights.get('b/enc/h.weight')!.data, weights.get('b/enc/h.bias')!.data).map(Math.tanh), weights.get('b/enc.weight')!.data, weights.get('b/enc.bias')!.data);
    const expected = enc(enc([0.3, -0.2, 0.9]));
    expected.forEach((v, i) => expect(out[i]).toBeCloseTo(v, 5));
    const file = readSafetensors(writeSafetensors(new Map(params.map((p) => [p, weights.get(p)!]))));
    expect([...file.tensors.keys()].sort()).toEqual([...params].sort());
  });
});

/** y = W x + b with W [out, in] row-major (docs/conventions.md). */
function dense(x: number[], w: ArrayLike<number>, b: ArrayLike<number>): number[] {
  return Array.from({ length: b.length }, (_, o) => x.reduce((sum, v, i) => sum + v * (w[o * x.length + i] as number), b[o] as number));
}
