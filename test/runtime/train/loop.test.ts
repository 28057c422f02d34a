import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBuiltin } from '../../../runtime/data/builtins.js';
import { makeDataset, split, takeRows } from '../../../runtime/data/dataset.js';
import { captureCheckpoint, readCheckpoint, restoreCheckpoint, writeCheckpoint } from '../../../runtime/train/checkpoint.js';
import { readLoopConfig } from '../../../runtime/train/config.js';
import { TrainError } from '../../../runtime/train/errors.js';
import type { EpochRecord } from '../../../runtime/train/history.js';
import { evaluateDataset, trainModel } from '../../../runtime/train/loop.js';
import { trainable, XOR_SOURCE } from './helpers.js';

const xor = loadBuiltin('xor').train;

describe('training loop on a real model (CPU executor)', () => {
  it('trains xor to 100% accuracy', async () => {
    const { plan, executor } = trainable(XOR_SOURCE);
    const config = readLoopConfig(plan);
    const report = await trainModel({ executor, plan, config, train: xor });
    expect(report.history).toHaveLength(60);
    expect(report.history[59]!.loss).toBeLessThan(report.history[0]!.loss);
    const test = await evaluateDataset(executor, plan, config, xor);
    expect(test.accuracy).toBe(1);
  });

  it('is reproducible for a seed', async () => {
    const run = async (): Promise<number[]> => {
      const { plan, executor } = trainable(XOR_SOURCE);
      const report = await trainModel({ executor, plan, config: readLoopConfig(plan, { epochs: 5 }), train: xor });
      return report.history.map((r) => r.loss);
    };
    expect(await run()).toEqual(await run());
  });

  it('early stopping stops once the monitored loss stalls and restores the best weights', async () => {
    // lr 1e-12 keeps the loss constant: epoch 1 is the best, patience 2 stops after epoch 3.
    const { plan, executor } = trainable(XOR_SOURCE.replace('adam(lr: 0.05)', 'sgd(lr: 1e-12)'));
    const config = { ...readLoopConfig(plan, { epochs: 10 }), earlyStopping: { monitor: 'loss' as const, patience: 2, minDelta: 1e-3, restoreBest: true } };
    const messages: string[] = [];
    const reporter = { epochStart() {}, batchEnd() {}, epochEnd() {}, close() {}, message: (m: string) => messages.push(m) };
    const report = await trainModel({ executor, plan, config, train: xor, reporter });
    expect(report.stoppedEarly).toBe(true);
    expect(report.history).toHaveLength(3);
    expect(report.finalEpoch).toBe(1);
    expect(messages.join('\n')).toContain('early stopping');
  });

  it('stops with NNR5101 naming the step when the loss is not finite', async () => {
    const { plan, executor } = trainable(XOR_SOURCE);
    const bad = makeDataset({ x: { shape: [4, 2], dtype: 'f32', data: Float32Array.of(0, 0, NaN, 1, 1, 0, 1, 1) }, label: xor.fields.label! }, 'label');
    const error = await trainModel({ executor, plan, config: readLoopConfig(plan), train: bad }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainError);
    expect((error as TrainError).code).toBe('NNR5101');
    expect((error as TrainError).message).toMatch(/at step 1 \(epoch 1, batch 1\)/);
  });

  it('holds out a validation split and reports validation metrics', async () => {
    const iris = loadBuiltin('iris').train;
    const { plan, executor } = trainable(IRIS_SOURCE);
    const config = readLoopConfig(plan, { epochs: 2 });
    const report = await trainModel({ executor, plan, config, train: iris });
    // The reported figures are those of the held-out tenth (12 of the 120 training rows, chosen by the
    // seed) under the final weights: a loop that validated on other rows reports other figures.
    const [, heldOut] = split(iris, config.validation, config.seed);
    expect(heldOut.length).toBe(12);
    const expected = await evaluateDataset(executor, plan, config, heldOut);
    const last = report.history[1]!;
    expect(last.valLoss).toBe(expected.loss);
    expect(last.valAccuracy).toBe(expected.accuracy);
    expect(Number.isInteger(Math.round(last.valAccuracy! * 12 * 1e6) / 1e6)).toBe(true);
  });
});

describe('checkpoints', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nnet-ckpt-'));

  it('a crash between the temp write and the rename leaves the previous checkpoint intact', async () => {
    const { plan, executor } = trainable(XOR_SOURCE);
    const path = join(dir, 'crash.safetensors');
    await trainModel({ executor, plan, config: readLoopConfig(plan, { epochs: 1 }), train: xor });
    writeCheckpoint(path, await captureCheckpoint(executor, 1, []));
    const before = readFileSync(path);
    await trainModel({ executor, plan, config: readLoopConfig(plan, { epochs: 2 }), train: xor, resume: { epochsDone: 1, history: [] } });
    const crash = new Error('killed');
    expect(() =>
      writeCheckpoint(path, { ...readCheckpoint(path), epochsDone: 2 }, {
        beforeRename: (temp) => {
          expect(existsSync(temp)).toBe(true);
          throw crash;
        },
      }),
    ).toThrow('killed');
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(readCheckpoint(path).epochsDone).toBe(1);
    expect(existsSync(`${path}.tmp-${process.pid}`)).toBe(false);
  });

  it('resume continues from the saved epoch and matches an uninterrupted run', async () => {
    const path = join(dir, 'resume.safetensors');
    const full = trainable(XOR_SOURCE);
    const fullReport = await trainModel({ executor: full.executor, plan: full.plan, config: readLoopConfig(full.plan, { epochs: 6 }), train: xor });

    const first = trainable(XOR_SOURCE);
    await trainModel({
      executor: first.executor,
      plan: first.plan,
      config: readLoopConfig(first.plan, { epochs: 3 }),
      train: xor,
      onEpochEnd: async (epoch, history) => writeCheckpoint(path, await captureCheckpoint(first.executor, epoch, history)),
    });
    const checkpoint = readCheckpoint(path);
    expect(checkpoint.epochsDone).toBe(3);
    expect(checkpoint.history).toHaveLength(3);

    const second = trainable(XOR_SOURCE);
    await restoreCheckpoint(second.executor, checkpoint, path);
    const resumed = await trainModel({
      executor: second.executor,
      plan: second.plan,
      config: readLoopConfig(second.plan, { epochs: 6 }),
      train: xor,
      resume: { epochsDone: checkpoint.epochsDone, history: checkpoint.history },
    });
    expect(resumed.history.map((r: EpochRecord) => r.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    for (let i = 0; i < 6; i++) expect(resumed.history[i]!.loss).toBeCloseTo(fullReport.history[i]!.loss, 5);
  });

  it('resume keeps the best weights of early stopping from before the checkpoint', async () => {
    // minDelta 10: only epoch 1 counts as an improvement, so patience 3 stops after epoch 4 and
    // restores epoch 1, while adam keeps changing the weights in between.
    const stopping = { monitor: 'loss' as const, patience: 3, minDelta: 10, restoreBest: true };
    const configFor = (plan: Parameters<typeof readLoopConfig>[0], epochs: number) => ({ ...readLoopConfig(plan, { epochs }), earlyStopping: stopping });
    const full = trainable(XOR_SOURCE);
    const fullReport = await trainModel({ executor: full.executor, plan: full.plan, config: configFor(full.plan, 10), train: xor });
    expect(fullReport.finalEpoch).toBe(1);

    const path = join(dir, 'resume-best.safetensors');
    const first = trainable(XOR_SOURCE);
    await trainModel({
      executor: first.executor,
      plan: first.plan,
      config: configFor(first.plan, 2),
      train: xor,
      onEpochEnd: async (epoch, history, best) => writeCheckpoint(path, await captureCheckpoint(first.executor, epoch, history, best)),
    });
    const checkpoint = readCheckpoint(path);
    expect(checkpoint.best?.epoch).toBe(1);

    const second = trainable(XOR_SOURCE);
    await restoreCheckpoint(second.executor, checkpoint, path);
    const resumed = await trainModel({
      executor: second.executor,
      plan: second.plan,
      config: configFor(second.plan, 10),
      train: xor,
      resume: { epochsDone: checkpoint.epochsDone, history: checkpoint.history, best: checkpoint.best },
    });
    expect(resumed.history).toHaveLength(4);
    expect(resumed.finalEpoch).toBe(1);
    const expected = await full.executor.getWeights();
    const actual = await second.executor.getWeights();
    for (const [name, tensor] of expected) expect([...actual.get(name)!.data]).toEqual([...tensor.data]);
    // The restored weights are not the last epoch's: the test would pass trivially otherwise.
    expect([...checkpoint.weights.values()][0]!.data).not.toEqual([...expected.values()][0]!.data);
  });

  it('rejects a plain weights file as a checkpoint', () => {
    const path = join(dir, 'not-a-checkpoint.safetensors');
    writeFileSync(path, new Uint8Array([8, 0, 0, 0, 0, 0, 0, 0, ...new TextEncoder().encode('{}      ')]));
    expect(() => readCheckpoint(path)).toThrow(/not a checkpoint/);
  });
});

describe('digits subset (short)', () => {
  it('a small MLP learns 500 digits in 2 epochs well above chance', async () => {
    const { train, test } = loadBuiltin('digits');
    const { plan, executor } = trainable(DIGITS_SOURCE);
    const config = readLoopConfig(plan, { epochs: 2 });
    await trainModel({ executor, plan, config, train: takeRows(train, Array.from({ length: 500 }, (_, i) => i)) });
    const result = await evaluateDataset(executor, plan, config, takeRows(test!, Array.from({ length: 300 }, (_, i) => i)));
    expect(result.accuracy).toBeGreaterThan(0.6);
  });
});

const IRIS_SOURCE = `
model Iris {
  input features: [batch, 4]
  input label: [batch] int
  h = dense(features, 16, relu)
  logits = dense(h, 3)
  output probs = softmax(logits)
  train {
    loss cross_entropy(logits, label)
    optimizer adam(lr: 0.01)
    epochs 60  batch 16  validation 0.1
    metrics accuracy
    seed 7
  }
}
`;

const DIGITS_SOURCE = `
model Digits {
  input image: [batch, 28, 28]
  input label: [batch] int
  logits = image |> flatten |> dense(64, relu) |> dense(10)
  output probs = softmax(logits)
  train {
    loss cross_entropy(logits, label)
    optimizer adam(lr: 2e-3)
    epochs 2  batch 32
    metrics accuracy
    seed 3
  }
}
`;
