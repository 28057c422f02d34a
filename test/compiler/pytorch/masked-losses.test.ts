import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findTorchPython } from './python-with-torch.js';
import { trainBoth, weightsOf } from './train-both.js';

/**
 * PyTorch export of masked losses (`mask:` on every loss): train.py's item_losses + masked_mean
 * against nnet's masked_ loss kernels. A masked LSTM over padded sequences feeds every loss at once,
 * each masked by the padded steps (an int mask of [batch, seq]) or by single elements (huber, a float
 * mask of [batch, seq, 2]); padding carries label −1, which neither reads. Full batch, so each epoch is
 * one step whatever the shuffle: the weights after three steps equal `nnet train`'s within 1e-5 (the
 * tolerance of tied-and-label-losses.test.ts), and so do the last epoch's loss and masked metrics;
 * and so do the weights of 2 DDP processes.
 */
const torch = findTorchPython();

const MODEL = `model MaskedSeq {
  input x: [batch, seq, 3]
  input mask: [batch, seq] int
  input keep: [batch, seq, 2]
  input y: [batch, seq, 2]
  input tags: [batch, seq] int
  input on: [batch, seq, 2]
  input dist: [batch, seq, 3]
  h = lstm(x, 6, return_sequences: true, mask: mask)
  reg = dense(h, 2)
  logits = dense(h, 3)
  bits = dense(h, 2)
  output probs = softmax(logits)
  train {
    loss mse(reg, y, mask: mask) + 0.5 * huber(reg, y, delta: 0.5, mask: keep) + 0.3 * mae(reg, y, mask: mask)
      + cross_entropy(logits, tags, mask: mask, label_smoothing: 0.1) + binary_cross_entropy(bits, on, mask: mask, class_weights: [0.5, 2])
      + 0.2 * kl_divergence(probs, dist, mask: mask)
    metrics accuracy(logits, tags), mae(reg, y)
    optimizer adam(lr: 0.05)
    epochs 3
    batch 40
    data json("masked.json")
  }
}
`;

/** 40 padded sequences of 5 steps (lengths 1 to 5), deterministic. */
function data(): Record<string, unknown> {
  const rows = Array.from({ length: 40 }, (_, i) => i);
  const length = (i: number): number => 1 + ((i * 7) % 5);
  const steps = (f: (i: number, t: number) => unknown) => rows.map((i) => Array.from({ length: 5 }, (_, t) => f(i, t)));
  const round = (v: number): number => Math.round(v * 1e4) / 1e4 + (Number.isInteger(Math.round(v * 1e4) / 1e4) ? 1e-4 : 0);
  return {
    x: steps((i, t) => [0, 1, 2].map((k) => round(Math.sin(i * 0.7 + t * 1.3 + k)))),
    mask: steps((i, t) => (t < length(i) ? 1 : 0)),
    keep: steps((i, t) => [0, 1].map((k) => ((i + t * 3 + k) % 4 === 0 ? 0 : 1))),
    y: steps((i, t) => [0, 1].map((k) => round(Math.cos(i * 0.3 + t + k * 2)))),
    tags: steps((i, t) => (t < length(i) ? (i + t) % 3 : -1)),
    on: steps((i, t) => [0, 1].map((k) => (i * 3 + t + k) % 2)),
    dist: steps((i, t) => {
      const v = [0, 1, 2].map((k) => 1.1 + Math.sin(i + t * 2 + k));
      const sum = v.reduce((a, b) => a + b, 0);
      return v.map((p) => round(p / sum));
    }),
  };
}

/** The figures of the last epoch line (`loss 0.1234 · accuracy(logits) 0.5 · mae 0.3`), its lr left out. */
function lastEpoch(text: string): Record<string, number> {
  const line = text.split('\n').filter((l) => l.startsWith('epoch 3/3')).pop()!;
  return Object.fromEntries([...line.matchAll(/([\w()]+) (-?\d+\.\d+)/g)].filter((m) => m[1] !== 'lr').map((m) => [m[1]!, Number(m[2])]));
}

describe.skipIf(!torch.python)(`PyTorch export: masked losses (${torch.reason})`, () => {
  it("every loss masked (steps or elements): train.py's steps, loss and masked metrics equal nnet train's", async () => {
    const root = mkdtempSync(join(tmpdir(), 'nnet-pytorch-masked-'));
    const file = join(root, 'masked.nnet');
    writeFileSync(file, MODEL);
    writeFileSync(join(root, 'masked.json'), JSON.stringify(data()));
    const dir = join(root, 'out');
    const { printed, nnetOutput, nnet } = await trainBoth(torch.python!, file, dir);
    // Under DDP (2 processes, 20 + 20 rows keeping different counts) a masked mean is over the items
    // kept in the whole batch (the counts all-reduced), so the steps are nnet's too.
    execFileSync(torch.python!, ['train.py', '--procs', '2', '--out', 'ddp.safetensors'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 });
    const ddp = weightsOf(join(dir, 'ddp.safetensors'));
    for (const [key, w] of nnet) expect(Math.max(...w.map((v, i) => Math.abs(v - ddp.get(key)![i]!))), `${key} under DDP`).toBeLessThanOrEqual(1e-5);
    const [torchFigures, nnetFigures] = [lastEpoch(printed), lastEpoch(nnetOutput)];
    expect(Object.keys(torchFigures).sort()).toEqual(['accuracy(logits)', 'loss', 'mae']);
    for (const key of ['loss', 'accuracy(logits)', 'mae']) expect(Math.abs(torchFigures[key]! - nnetFigures[key]!), key).toBeLessThanOrEqual(2e-4);
  }, 300_000);
});
