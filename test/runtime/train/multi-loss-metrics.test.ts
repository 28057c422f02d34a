import { describe, expect, it } from 'vitest';
import { makeDataset } from '../../../runtime/data/dataset.js';
import type { HostTensor } from '../../../runtime/tensor.js';
import { readLoopConfig } from '../../../runtime/train/config.js';
import { describeEpoch } from '../../../runtime/train/history.js';
import { metricCounter } from '../../../runtime/train/metric-counters.js';
import { evaluateDataset, trainModel } from '../../../runtime/train/loop.js';
import { trainable } from './helpers.js';

const f32 = (shape: number[], data: number[]): HostTensor => ({ shape, dtype: 'f32', data: Float32Array.from(data) });
const i32 = (shape: number[], data: number[]): HostTensor => ({ shape, dtype: 'i32', data: Int32Array.from(data) });
const argmax = { kind: 'argmax' } as const;

describe('metric counters against hand-counted values', () => {
  // Rows predict classes 0, 1, 1, 2, 2, 0; labels are 0, 1, 2, 2, 1, 1.
  const scores = f32([6, 3], [0.9, 0.05, 0.05, 0.1, 0.8, 0.1, 0.2, 0.5, 0.3, 0.1, 0.2, 0.7, 0.2, 0.3, 0.5, 0.6, 0.3, 0.1]);
  const labels = i32([6], [0, 1, 2, 2, 1, 1]);
  const run = (name: 'precision' | 'recall' | 'f1' | 'accuracy'): number => {
    const c = metricCounter(name);
    c.add(scores, labels, argmax);
    return c.value();
  };

  it('macro precision, recall and f1 over the classes', () => {
    // class 0: tp 1, fp 1, fn 0 → p 1/2, r 1, f1 2/3; class 1: tp 1, fp 1, fn 2 → p 1/2, r 1/3, f1 2/5;
    // class 2: tp 1, fp 1, fn 1 → p 1/2, r 1/2, f1 1/2.
    expect(run('precision')).toBeCloseTo(0.5, 6);
    expect(run('recall')).toBeCloseTo((1 + 1 / 3 + 1 / 2) / 3, 6);
    expect(run('f1')).toBeCloseTo((2 / 3 + 2 / 5 + 1 / 2) / 3, 6);
    expect(run('accuracy')).toBeCloseTo(3 / 6, 6);
  });

  it('binary precision, recall and f1 of class 1 for a single unit, accumulated over batches', () => {
    const c = metricCounter('f1');
    const p = metricCounter('precision');
    const r = metricCounter('recall');
    const threshold = { kind: 'threshold', at: 0.5 } as const;
    // predicted 1, 1, 0 | 1, 0, 0 against 1, 0, 1 | 1, 0, 1: tp 2, fp 1, fn 2.
    for (const counter of [c, p, r]) {
      counter.add(f32([3, 1], [0.9, 0.7, 0.2]), f32([3, 1], [1, 0, 1]), threshold);
      counter.add(f32([3, 1], [0.6, 0.1, 0.4]), f32([3, 1], [1, 0, 1]), threshold);
    }
    expect(p.value()).toBeCloseTo(2 / 3, 6);
    expect(r.value()).toBeCloseTo(1 / 2, 6);
    expect(c.value()).toBeCloseTo(4 / 7, 6);
  });

  it('top-k accuracy counts the true class among the k highest scores (one-hot labels too)', () => {
    const top2 = metricCounter('top_k_accuracy', 2);
    top2.add(scores, labels, argmax);
    // ranks of the true class per row: 1, 1, 2, 1, 2, 2: all within the top 2; top-1 is accuracy.
    expect(top2.value()).toBe(1);
    const top1 = metricCounter('top_k_accuracy', 1);
    const oneHot = f32([6, 3], [1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 1, 0]);
    top1.add(scores, oneHot, argmax);
    expect(top1.value()).toBeCloseTo(0.5, 6);
  });
});

const TWO_HEADS = `
model TwoHeads {
  input x: [batch, 4]
  input label: [batch] int
  input target: [batch, 2]
  h = dense(x, 16, tanh)
  logits = dense(h, 3)
  out = dense(h, 2)
  output probs = softmax(logits)
  output out
  train {
    loss cross_entropy(logits, label) + 0.5 * mse(out, target)
    optimizer adam(lr: 0.02)
    metrics accuracy, f1, mae(out, target), top_k_accuracy(k: 2)
    epochs 30  batch 8  validation 0.25
    seed 5
  }
}
`;

/** Class = which of the first three features is largest; the regression target is (x0 + x3, x1 − x2). */
function twoHeadData(rows: number) {
  let s = 11;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296) * 2 - 1;
  const x: number[] = [];
  const label: number[] = [];
  const target: number[] = [];
  for (let i = 0; i < rows; i++) {
    const v = [next(), next(), next(), next()];
    x.push(...v);
    label.push(v.slice(0, 3).indexOf(Math.max(...v.slice(0, 3))));
    target.push(v[0]! + v[3]!, v[1]! - v[2]!);
  }
  return makeDataset({ x: f32([rows, 4], x), label: i32([rows], label), target: f32([rows, 2], target) });
}

describe('a model with two weighted losses and per-output metrics', () => {
  it('trains both heads (the summed loss falls) and reports each metric on its own output', async () => {
    const { plan, executor } = trainable(TWO_HEADS);
    expect(plan.training!.config.losses.map((t) => t.kind === 'value' ? t : { kind: t.kind, weight: t.weight })).toEqual([
      { kind: 'cross_entropy', weight: 1 },
      { kind: 'mse', weight: 0.5 },
    ]);
    const config = readLoopConfig(plan);
    const data = twoHeadData(160);
    const report = await trainModel({ executor, plan, config, train: data });
    const [first, last] = [report.history[0]!, report.history.at(-1)!];
    expect(last.loss).toBeLessThan(first.loss * 0.5);
    expect(last.accuracy).toBeGreaterThan(0.8);
    expect(Object.keys(last.metrics!).sort()).toEqual(['f1', 'mae(out)', 'top2_accuracy', 'val_f1', 'val_mae(out)', 'val_top2_accuracy']);
    expect(last.metrics!['mae(out)']).toBeLessThan(first.metrics!['mae(out)']!);
    expect(describeEpoch(last)).toMatch(/mae\(out\) [0-9.]+ · top2_accuracy [0-9.]+ · val_f1/);

    // The mae of 'out' is the mean |out − target| of inference, not of another output.
    const test = twoHeadData(40);
    const outputs = await executor.infer({ x: test.fields.x! });
    const out = outputs.out!.data;
    const target = test.fields.target!.data;
    let expected = 0;
    for (let i = 0; i < out.length; i++) expected += Math.abs(out[i]! - target[i]!) / out.length;
    const evaluation = await evaluateDataset(executor, plan, config, test);
    expect(evaluation['mae(out)']).toBeCloseTo(expected, 5);
    expect(evaluation.accuracy).toBeGreaterThan(0.7);
  });
});

const VAE_LIKE = `
model VaeLike {
  input x: [batch, 4]
  h = dense(x, 8, relu)
  mu = dense(h, 2)
  logvar = dense(h, 2)
  kl = mean(-0.5 * sum(1 + logvar - mu * mu - exp(logvar), axis: 1))
  recon = dense(mu, 4)
  output recon
  output kl
  train {
    loss mse(recon, x) + 0.1 * kl
    optimizer adam(lr: 0.01)
    epochs 20  batch 8
    seed 2
  }
}
`;

describe('a free scalar term computed by the model (a KL term)', () => {
  it('adds to the loss with its weight, and training lowers the sum', async () => {
    const { plan, executor } = trainable(VAE_LIKE);
    let s = 3;
    const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296) * 2 - 1;
    const x = f32([64, 4], Array.from({ length: 256 }, next));
    const batch = f32([8, 4], Array.from(x.data.slice(0, 32)));
    const check = async (): Promise<void> => {
      const outputs = await executor.infer({ x: batch });
      let mse = 0;
      for (let i = 0; i < 32; i++) mse += (outputs.recon!.data[i]! - batch.data[i]!) ** 2 / 32;
      const { loss } = await executor.evaluate({ x: batch });
      expect(loss).toBeCloseTo(mse + 0.1 * outputs.kl!.data[0]!, 5);
    };
    await check();
    const report = await trainModel({ executor, plan, config: readLoopConfig(plan), train: makeDataset({ x }) });
    expect(report.history.at(-1)!.loss).toBeLessThan(report.history[0]!.loss);
    await check();
  });
});
