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

  it('with a key mask: the target is the mean of the unpadded context steps, the padding is loud noise (falling loss)', async () => {
    const masked = SOURCE.replace('input target', 'input keep: [batch, mem] int\n  input target').replace('context: memory)', 'context: memory, key_mask: keep)');
    const { plan, executor } = trainable(masked);
    const n = 64;
    const lengths = Array.from({ length: n }, (_, b) => 2 + (b % 4));
    const keep = Int32Array.from({ length: n * 5 }, (_, i) => (i % 5 < lengths[Math.floor(i / 5)]! ? 1 : 0));
    const x = Float32Array.from({ length: n * 12 }, (_, i) => Math.sin(i * 0.7));
    const memory = Float32Array.from({ length: n * 20 }, (_, i) => (keep[Math.floor(i / 4)] ? Math.cos(i * 1.3) : 20 * Math.sin(i * 2.9)));
    const target = new Float32Array(n * 12);
    for (let b = 0; b < n; b++) {
      for (let e = 0; e < 4; e++) {
        let mean = 0;
        for (let j = 0; j < lengths[b]!; j++) mean += memory[(b * 5 + j) * 4 + e]! / lengths[b]!;
        for (let i = 0; i < 3; i++) target[(b * 3 + i) * 4 + e] = mean;
      }
    }
    const f32 = (shape: number[], data: Float32Array) => ({ shape, dtype: 'f32' as const, data });
    const train = makeDataset({ x: f32([n, 3, 4], x), memory: f32([n, 5, 4], memory), keep: { shape: [n, 5], dtype: 'i32' as const, data: keep }, target: f32([n, 3, 4], target) });
    const report = await trainModel({ executor, plan, config: readLoopConfig(plan), train });
    const losses = report.history.map((h) => h.loss);
    expect(losses.at(-1)!).toBeLessThan(0.5 * losses[0]!);
  });

  it('with a mask per query: query i reads context steps 0..i+1 only, its target their mean (falling loss)', async () => {
    const masked = SOURCE.replace('input target', 'input allowed: [batch, seq, mem]\n  input target').replace('context: memory)', 'context: memory, mask: allowed)');
    const { plan, executor } = trainable(masked);
    const n = 64;
    const allowed = Float32Array.from({ length: n * 15 }, (_, i) => ((i % 5) <= Math.floor(i / 5) % 3 + 1 ? 1 : 0));
    const x = Float32Array.from({ length: n * 12 }, (_, i) => Math.sin(i * 0.7));
    const memory = Float32Array.from({ length: n * 20 }, (_, i) => Math.cos(i * 1.3) + Math.sin(i * 0.11));
    const target = new Float32Array(n * 12);
    for (let b = 0; b < n; b++) {
      for (let i = 0; i < 3; i++) {
        for (let e = 0; e < 4; e++) {
          let mean = 0;
          for (let j = 0; j <= i + 1; j++) mean += memory[(b * 5 + j) * 4 + e]! / (i + 2);
          target[(b * 3 + i) * 4 + e] = mean;
        }
      }
    }
    const f32 = (shape: number[], data: Float32Array) => ({ shape, dtype: 'f32' as const, data });
    const train = makeDataset({ x: f32([n, 3, 4], x), memory: f32([n, 5, 4], memory), allowed: f32([n, 3, 5], allowed), target: f32([n, 3, 4], target) });
    const report = await trainModel({ executor, plan, config: readLoopConfig(plan), train });
    const losses = report.history.map((h) => h.loss);
    expect(losses.at(-1)!).toBeLessThan(0.5 * losses[0]!);
  });
});
