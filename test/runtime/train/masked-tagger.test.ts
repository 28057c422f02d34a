import { describe, expect, it } from 'vitest';
import { makeDataset } from '../../../runtime/data/dataset.js';
import { readLoopConfig } from '../../../runtime/train/config.js';
import { evaluateDataset, trainModel } from '../../../runtime/train/loop.js';
import { argmax } from '../../../runtime/train/metrics.js';
import { trainable } from './helpers.js';

/**
 * A masked bidirectional tagger on padded sentences: the tag of a word is the next word's id mod 3,
 * or 3 at a sentence's last word, so it needs the reverse direction to start at each sentence's own
 * end (the padding after it, id 0, is the mask). Padded words are labelled 4, a tag no real word has:
 * a metric that counted them would differ from the accuracy over the real words, computed here.
 */
const SOURCE = `
model Tagger {
  input words: [batch, seq] int
  input labels: [batch, seq] int
  h = words |> embedding(8, 8) |> lstm(12, return_sequences: true, mask: words, bidirectional: concat)
  logits = dense(h, 5)
  output probs = softmax(logits)
  train {
    loss cross_entropy(logits, labels, mask: words)
    optimizer adam(lr: 0.03)
    metrics accuracy
    epochs 25  batch 16
    seed 2
  }
}
`;

function sentences(n: number, steps: number): { words: Int32Array; labels: Int32Array; lengths: number[] } {
  const lengths = Array.from({ length: n }, (_, b) => 2 + ((b * 5) % (steps - 1)));
  const words = new Int32Array(n * steps);
  const labels = new Int32Array(n * steps).fill(4);
  for (let b = 0; b < n; b++) {
    for (let t = 0; t < lengths[b]!; t++) words[b * steps + t] = 1 + ((b * 7 + t * 3 + ((b * t) % 5)) % 7);
    for (let t = 0; t < lengths[b]!; t++) labels[b * steps + t] = t + 1 < lengths[b]! ? words[b * steps + t + 1]! % 3 : 3;
  }
  return { words, labels, lengths };
}

describe('a masked BiLSTM tagger trains', () => {
  it('learns tags read from the next word, the loss and accuracy counting only real words', async () => {
    const { plan, executor } = trainable(SOURCE);
    const [n, steps] = [64, 6];
    const { words, labels, lengths } = sentences(n, steps);
    const int = (data: Int32Array) => ({ shape: [n, steps], dtype: 'i32' as const, data });
    const train = makeDataset({ words: int(words), labels: int(labels) });
    const config = readLoopConfig(plan);
    const report = await trainModel({ executor, plan, config, train });
    const losses = report.history.map((h) => h.loss);
    expect(losses.at(-1)!).toBeLessThan(0.3 * losses[0]!);
    // The reported accuracy is that of the real words alone.
    const evaluation = await evaluateDataset(executor, plan, config, train);
    const probs = (await executor.infer({ words: int(words) })).probs!;
    let [correct, counted] = [0, 0];
    for (let b = 0; b < n; b++) {
      for (let t = 0; t < lengths[b]!; t++) {
        counted++;
        if (argmax(probs.data, (b * steps + t) * 5, 5) === labels[b * steps + t]) correct++;
      }
    }
    expect(evaluation.accuracy).toBeCloseTo(correct / counted, 6);
    expect(evaluation.accuracy!).toBeGreaterThan(0.9);
  });
});

/**
 * A masked regression whose mask only the loss reads (so the plan feeds it as a label, not as an
 * input): the loop reads it from the batch (it once asked the plan for an output of that name,
 * NNR1011), and its MAE counts the kept steps alone.
 */
const REGRESSION = `
model Steps {
  input x: [batch, seq, 2]
  input keep: [batch, seq]
  input y: [batch, seq, 2]
  output pred = dense(x, 2)
  train {
    loss mse(pred, y, mask: keep)
    optimizer adam(lr: 0.05)
    epochs 40  batch 8
  }
}
`;

describe('a masked per-step regression trains', () => {
  it('with a mask only the loss reads; the loss and MAE count only the kept steps (padding holds targets of 100)', async () => {
    const { plan, executor } = trainable(REGRESSION);
    const [n, steps] = [16, 4];
    const x = Float32Array.from({ length: n * steps * 2 }, (_, i) => Math.sin(i * 0.9));
    const keep = Float32Array.from({ length: n * steps }, (_, i) => (i % steps < 1 + (Math.floor(i / steps) % steps) ? 1 : 0));
    // y = 2·x where kept, 100 at padding: counting padding would keep the loss far from 0.
    const y = x.map((v, i) => (keep[Math.floor(i / 2)] ? 2 * v : 100));
    const tensor = (shape: number[], data: Float32Array) => ({ shape, dtype: 'f32' as const, data });
    const train = makeDataset({ x: tensor([n, steps, 2], x), keep: tensor([n, steps], keep), y: tensor([n, steps, 2], y) });
    const config = readLoopConfig(plan);
    const report = await trainModel({ executor, plan, config, train });
    expect(report.history.at(-1)!.loss).toBeLessThan(0.02 * report.history[0]!.loss);
    const evaluation = await evaluateDataset(executor, plan, config, train);
    // Counting the padding (about 4 in 10 steps, |error| near 100) would give an MAE of tens.
    expect(evaluation.mae!).toBeLessThan(0.5);
  });
});
