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
