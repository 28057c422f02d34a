import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../cli/run-cli.js';
import { findTorchPython } from './python-with-torch.js';

/**
 * train.py of the examples' train sections, one process: the data readers (built-in folders, CSV,
 * JSON), the losses, optimizers, schedules, validation, early stopping and augmentation run, the
 * history holds the train section's metrics, and `nnet run` loads the weights written.
 */
const torch = findTorchPython();
const root = mkdtempSync(join(tmpdir(), 'nnet-pytorch-train-'));

const CASES: Array<{ example: string; builtin?: string; args: string[]; input: string; keys: string[] }> = [
  { example: 'iris', builtin: 'iris', args: ['--epochs', '2'], input: '[[0.1, 0.2, 0.3, 0.4]]', keys: ['loss', 'accuracy', 'val_loss', 'val_accuracy'] },
  { example: 'residual', args: ['--epochs', '1'], input: '[[1, 2, 3, 4, 5, 6, 7, 8]]', keys: ['loss', 'mae'] },
  { example: 'sequence-lstm', args: ['--epochs', '1'], input: '[[1, 2, 3, 4]]', keys: ['loss', 'accuracy', 'val_loss', 'val_accuracy'] },
  { example: 'tiny-transformer', args: ['--steps', '3'], input: '[[1, 2, 3, 4]]', keys: ['loss'] },
  { example: 'sort-digits', args: ['--steps', '3'], input: '{"source": [[5, 3, 9, 0]], "source_mask": [[1, 1, 1, 0]], "target_in": [[1, 3, 5, 9]]}', keys: ['loss', 'accuracy'] },
  { example: 'question-pairs', args: ['--epochs', '1'], input: '{"first": [[10, 11, 250, 12, 260, 13, 14, 270, 15, 16, 280, 17]], "second": [[30, 31, 250, 32, 260, 33, 34, 270, 35, 36, 280, 37]]}', keys: ['loss', 'accuracy', 'f1', 'val_loss', 'val_accuracy', 'val_f1'] },
  { example: 'digits-mobilenet', builtin: 'digits', args: ['--steps', '2'], input: JSON.stringify([Array.from({ length: 28 }, () => Array<number>(28).fill(0.5))]), keys: ['loss', 'accuracy', 'top3_accuracy', 'val_loss', 'val_accuracy', 'val_top3_accuracy'] },
  { example: 'xor', builtin: 'xor', args: ['--epochs', '3'], input: '[[1, 0]]', keys: ['loss', 'accuracy'] },
  { example: 'digits-autoencoder', builtin: 'digits', args: ['--steps', '2'], input: JSON.stringify([Array.from({ length: 28 }, () => Array<number>(28).fill(0.5))]), keys: ['loss', 'mae(pixels)'] },
  { example: 'digits-cnn', builtin: 'digits', args: ['--steps', '2'], input: JSON.stringify([Array.from({ length: 28 }, () => Array<number>(28).fill(0.5))]), keys: ['loss', 'accuracy', 'val_loss', 'val_accuracy'] },
];

describe.skipIf(!torch.python)(`PyTorch export: train.py reproduces the examples' train sections (${torch.reason})`, () => {
  it('trains every example with a train section, and nnet run loads the weights', async () => {
    for (const c of CASES) {
      const dir = join(root, c.example);
      const file = `examples/${c.example}.nnet`;
      expect((await runCli(['export', file, '--format', 'pytorch', '-o', dir])).code).toBe(0);
      if (c.builtin) expect((await runCli(['data', 'export', c.builtin, join(dir, 'data', c.builtin)])).code).toBe(0);
      execFileSync(torch.python!, ['train.py', ...c.args, '--out', 'trained.safetensors', '--history', 'history.json'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 });
      const history = JSON.parse(readFileSync(join(dir, 'history.json'), 'utf8')) as { history: Array<Record<string, number>>; test?: Record<string, number> };
      const last = history.history[history.history.length - 1]!;
      expect(Object.keys(last).filter((k) => !['epoch', 'lr', 'seconds'].includes(k)).sort(), c.example).toEqual([...c.keys].sort());
      for (const key of c.keys) expect(Number.isFinite(last[key]), `${c.example} ${key}`).toBe(true);
      const run = await runCli(['run', file, '--weights', join(dir, 'trained.safetensors'), '--input', c.input]);
      expect(run.code, `${c.example}: ${run.stderr}`).toBe(0);
      expect(run.stdout).not.toMatch(/NaN|Infinity/);
    }
  }, 300_000);
});
