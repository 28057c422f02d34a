import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNpy } from '../../../runtime/data/npy.js';
import { readSafetensors } from '../../../runtime/weights/safetensors.js';
import { runCli } from '../../cli/run-cli.js';
import { findTorchPython } from './python-with-torch.js';

/**
 * train.py under DistributedDataParallel, with the built-in --procs launcher (spawn + gloo on CPU):
 * one step on 2 processes equals one step of 1 process on the joined batch, and digits-mlp trained
 * 2 epochs on 2 processes lands within 1% of nnet's own test accuracy after 2 epochs; its weights
 * run in `nnet run`.
 */
const torch = findTorchPython();
const root = mkdtempSync(join(tmpdir(), 'nnet-pytorch-ddp-'));

const weightsOf = (path: string): Map<string, Float32Array> =>
  new Map([...readSafetensors(new Uint8Array(readFileSync(path))).tensors].map(([name, t]) => [name, Float32Array.from(t.data)]));

function train(dir: string, args: string[]): string {
  return execFileSync(torch.python!, ['train.py', ...args], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 });
}

// Adam with l2 (global and per layer), layernorm and an uneven split: a batch of 33 is 17 + 16 rows.
const STEP_MODEL = `model Step {
  input features: [batch, 4]
  input label: [batch] int
  logits = features |> dense(16, gelu, l2: 1e-3) |> layernorm |> dense(3)
  output probs = softmax(logits)
  train {
    loss cross_entropy(logits, label)
    optimizer adam(lr: 0.05)
    regularize l2(1e-3)
    batch 33
    data iris
  }
}
`;

// One batch holds every sample, so each epoch is one step whatever the shuffle: nnet train and
// train.py take the same three steps (adam, l2 terms, a per-step cosine with warmup, clipping).
const NNET_STEPS_MODEL = `model Steps {
  input features: [batch, 4]
  input label: [batch] int
  logits = features |> dense(16, gelu, l2: 1e-3) |> layernorm |> dense(3)
  output probs = softmax(logits)
  train {
    loss cross_entropy(logits, label)
    optimizer adam(lr: 0.05)
    regularize l2(1e-3)
    schedule cosine(per: step)
    warmup 2
    clip norm(0.5)
    epochs 3
    batch 120
    data iris
  }
}
`;

describe.skipIf(!torch.python)(`PyTorch export: train.py under DistributedDataParallel (${torch.reason})`, () => {
  it("train.py's steps equal nnet train's, within 1e-5 (optimizer, penalties, schedule, warmup, clipping)", async () => {
    const file = join(root, 'steps.nnet');
    writeFileSync(file, NNET_STEPS_MODEL);
    const dir = join(root, 'steps');
    expect((await runCli(['export', file, '--format', 'pytorch', '-o', dir])).code).toBe(0);
    expect((await runCli(['data', 'export', 'iris', join(dir, 'data', 'iris')])).code).toBe(0);
    const printed = train(dir, ['--out', 'torch.safetensors']);
    const nnet = await runCli(['train', file, '--no-checkpoint', '--out', join(dir, 'nnet.safetensors')]);
    expect(nnet.code, nnet.stderr).toBe(0);
    const initial = weightsOf(join(dir, 'initial.safetensors'));
    const ours = weightsOf(join(dir, 'torch.safetensors'));
    for (const [name, w] of weightsOf(join(dir, 'nnet.safetensors'))) {
      const t = ours.get(name)!;
      expect(Math.max(...w.map((v, i) => Math.abs(v - t[i]!))), name).toBeLessThanOrEqual(1e-5);
      expect(Math.max(...w.map((v, i) => Math.abs(v - initial.get(name)![i]!))), name).toBeGreaterThan(1e-2);
    }
    const testLoss = (text: string): number => Number(/test loss: (\d+\.\d+)/.exec(text)![1]);
    expect(Math.abs(testLoss(printed) - testLoss(nnet.stdout))).toBeLessThanOrEqual(2e-4);
  }, 300_000);


  it('one step on 2 processes equals one step of 1 process on the joined batch, within 1e-5', async () => {
    const file = join(root, 'step.nnet');
    writeFileSync(file, STEP_MODEL);
    const dir = join(root, 'step');
    expect((await runCli(['export', file, '--format', 'pytorch', '-o', dir])).code).toBe(0);
    expect((await runCli(['data', 'export', 'iris', join(dir, 'data', 'iris')])).code).toBe(0);
    train(dir, ['--procs', '1', '--steps', '1', '--no-shuffle', '--out', 'one.safetensors']);
    train(dir, ['--procs', '2', '--steps', '1', '--no-shuffle', '--out', 'two.safetensors']);
    const initial = weightsOf(join(dir, 'initial.safetensors'));
    const one = weightsOf(join(dir, 'one.safetensors'));
    const two = weightsOf(join(dir, 'two.safetensors'));
    expect([...two.keys()].sort()).toEqual([...initial.keys()].sort());
    let moved = 0;
    for (const [name, w] of one) {
      const w2 = two.get(name)!;
      const diff = Math.max(...w.map((v, i) => Math.abs(v - w2[i]!)));
      expect(diff, name).toBeLessThanOrEqual(1e-5);
      moved = Math.max(moved, ...w.map((v, i) => Math.abs(v - initial.get(name)![i]!)));
    }
    expect(moved).toBeGreaterThan(1e-3);
  }, 300_000);

  it('digits-mlp, 2 epochs on 2 processes: within 1% of nnet after 2 epochs, and the weights run in nnet run', async () => {
    const dir = join(root, 'digits');
    expect((await runCli(['export', 'examples/digits-mlp.nnet', '--format', 'pytorch', '-o', dir])).code).toBe(0);
    expect((await runCli(['data', 'export', 'digits', join(dir, 'data', 'digits')])).code).toBe(0);
    train(dir, ['--procs', '2', '--epochs', '2', '--out', 'trained.safetensors', '--history', 'history.json']);
    const history = JSON.parse(readFileSync(join(dir, 'history.json'), 'utf8')) as { test: { accuracy: number } };
    const nnet = await runCli(['train', 'examples/digits-mlp.nnet', '--epochs', '2', '--no-checkpoint']);
    expect(nnet.code, nnet.stderr).toBe(0);
    const nnetAccuracy = Number(/test accuracy: (\d\.\d+)/.exec(nnet.stdout)![1]);
    expect(Math.abs(history.test.accuracy - nnetAccuracy), `PyTorch ${history.test.accuracy}, nnet ${nnetAccuracy}`).toBeLessThanOrEqual(0.01);

    // nnet run with the PyTorch-trained weights on the 2,000 test digits: the same accuracy.
    const run = await runCli(['run', 'examples/digits-mlp.nnet', '--weights', join(dir, 'trained.safetensors'), '--input', join(dir, 'data', 'digits', 'test', 'image.npy')]);
    expect(run.code, run.stderr).toBe(0);
    const probs = (JSON.parse(run.stdout) as { probs: number[][] }).probs;
    const labels = readNpy(new Uint8Array(readFileSync(join(dir, 'data', 'digits', 'test', 'label.npy')))).data;
    const correct = probs.filter((p, i) => p.indexOf(Math.max(...p)) === labels[i]).length;
    expect(Math.abs(correct / probs.length - history.test.accuracy)).toBeLessThanOrEqual(1 / probs.length);
  }, 300_000);
});
