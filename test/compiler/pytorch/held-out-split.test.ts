import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findTorchPython } from './python-with-torch.js';
import { trainBoth } from './train-both.js';

/**
 * train.py holds out the same samples as `nnet train`: the data option `test:` splits the file with
 * the run's seed (the train section's `seed`, or --seed) unless the data options name their own, and
 * `validation` then splits the rest with the same seed. A JSON and a CSV file of 40 samples, a test
 * fraction and a validation fraction, a seed other than the default: full batch, so each epoch is one
 * step whatever the shuffle, and the weights after three steps equal nnet's within 1e-5 (the
 * tolerance of masked-losses.test.ts) only when both trained on the same 24 rows; the validation and
 * test figures (printed to 4 decimals) agree within 2e-4, as there.
 */
const torch = findTorchPython();

const model = (data: string, input: string, seedLine: string): string => `model Held {
  input ${input}: [batch, 4]
  input label: [batch] int
  output logits = ${input} |> dense(6, activation: tanh) |> dense(3)
  train {
    loss cross_entropy(logits, label)
    metrics accuracy
    optimizer adam(lr: 0.05)
    epochs 3
    batch 64
    validation 0.25
    ${seedLine}
    data ${data}
  }
}
`;

/** 40 samples, deterministic; no feature is an integer, so the JSON reader keeps them float. */
const rows = Array.from({ length: 40 }, (_, i) => ({
  x: [0, 1, 2, 3].map((k) => Math.round(Math.sin(i * 1.7 + k * 0.9) * 1e4) / 1e4 + 1e-5),
  label: (i * 7) % 3,
}));

const CASES = [
  { kind: 'json', file: 'held.json', input: 'x', data: 'json("held.json", test: 0.2)', text: JSON.stringify({ x: rows.map((r) => r.x), label: rows.map((r) => r.label) }), seed: 'seed 7' },
  { kind: 'csv', file: 'held.csv', input: 'features', data: 'csv("held.csv", label: "label", test: 0.2)', text: ['a,b,c,d,label', ...rows.map((r) => [...r.x, r.label].join(','))].join('\n') + '\n', seed: 'seed 7' },
  // The train section's default seed (42), the one the colleague's run used.
  { kind: 'json, default seed', file: 'held.json', input: 'x', data: 'json("held.json", test: 0.2)', text: JSON.stringify({ x: rows.map((r) => r.x), label: rows.map((r) => r.label) }), seed: '' },
];

/** `test loss: 0.1234`, `test accuracy: 0.5000` wherever they are printed. */
const testFigures = (text: string): Record<string, number> => Object.fromEntries([...text.matchAll(/test (\w+): (-?\d+\.\d+)/g)].map((m) => [m[1]!, Number(m[2])]));

/** The figures of the last epoch line, its lr left out; nnet's short `acc` read as train.py's `accuracy`. */
function lastEpoch(text: string): Record<string, number> {
  const line = text.split('\n').filter((l) => l.startsWith('epoch 3/3')).pop()!;
  return Object.fromEntries([...line.matchAll(/([\w()]+) (-?\d+\.\d+)/g)].filter((m) => m[1] !== 'lr').map((m) => [m[1]!.replace(/acc$/, 'accuracy'), Number(m[2])]));
}

describe.skipIf(!torch.python)(`PyTorch export: the held-out test and validation samples (${torch.reason})`, () => {
  it.each(CASES)("$kind with test: and validation: train.py's steps, validation and test figures equal nnet train's", async (c) => {
    const root = mkdtempSync(join(tmpdir(), 'nnet-pytorch-held-'));
    const file = join(root, 'held.nnet');
    writeFileSync(file, model(c.data, c.input, c.seed));
    writeFileSync(join(root, c.file), c.text);
    const dir = join(root, 'out');
    const { printed, nnetStdout, nnetOutput } = await trainBoth(torch.python!, file, dir);
    expect(printed).toContain('24 training samples');
    const [torchEpoch, nnetEpoch] = [lastEpoch(printed), lastEpoch(nnetOutput)];
    expect(Object.keys(torchEpoch).sort()).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
    for (const key of Object.keys(torchEpoch)) expect(Math.abs(torchEpoch[key]! - nnetEpoch[key]!), key).toBeLessThanOrEqual(2e-4);
    const [torchTest, nnetTest] = [testFigures(printed), testFigures(nnetStdout)];
    expect(Object.keys(nnetTest).sort()).toEqual(['accuracy', 'loss']);
    expect(Object.keys(torchTest).sort()).toEqual(['accuracy', 'loss']);
    for (const key of ['loss', 'accuracy']) expect(Math.abs(torchTest[key]! - nnetTest[key]!), `test ${key}`).toBeLessThanOrEqual(2e-4);
  }, 300_000);
});
