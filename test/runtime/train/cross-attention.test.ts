import { describe, expect, it } from 'vitest';
import { makeDataset } from '../../../runtime/data/dataset.js';
import { readLoopConfig } from '../../../runtime/train/config.js';
import { trainModel } from '../../../runtime/train/loop.js';
import { trainable } from './helpers.js';

/** The target is only computable from the context (the mean of its steps), so the loss falls only if keys and values come from it. */
const SOURCE = `
model Cross {
  input x: [batch, seq, 4]
  input memory: [batch, mem, 4]
  input target: [batch, seq, 4]
  output y = x |> multi_head_attention(2, context: memory) |> dense(4)
  train {
    loss mse(y, target)
    optimizer adam(lr: 0.02)
    epochs 8  batch 16
    seed 3
  }
}
`;

describe('cross-attention trains', () => {
  it('a decoder stream attending to a context learns a target read from the context (falling loss)', async () => {
    const { plan, executor } = trainable(SOURCE);
    const n = 64;
    const x = Float32Array.from({ length: n * 12 }, (_, i) => Math.sin(i * 0.7));
    const memory = Float32Array.from({ length: n * 20 }, (_, i) => Math.cos(i * 1.3) + Math.sin(i * 0.11));
    const target = new Float32Array(n * 12);
    for (let b = 0; b < n; b++) {
      for (let e = 0; e < 4; e++) {
        let mean = 0;
        for (let j = 0; j < 5; j++) mean += memory[(b * 5 + j) * 4 + e]! / 5;
        for (let i = 0; i < 3; i++) target[(b * 3 + i) * 4 + e] = mean;
      }
    }
    const f32 = (shape: number[], data: Float32Array) => ({ shape, dtype: 'f32' as const, data });
    const train = makeDataset({ x: f32([n, 3, 4], x), memory: f32([n, 5, 4], memory), target: f32([n, 3, 4], target) });
    const report = await trainModel({ executor, plan, config: readLoopConfig(plan), train });
    const losses = report.history.map((h) => h.loss);
    expect(losses.at(-1)!).toBeLessThan(0.5 * losses[0]!);
  });
});
