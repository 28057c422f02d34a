import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { readSafetensors } from '../../../runtime/weights/safetensors.js';
import { runCli } from '../../cli/run-cli.js';

/** A safetensors file's tensors by name, as float32. */
export const weightsOf = (path: string): Map<string, Float32Array> =>
  new Map([...readSafetensors(new Uint8Array(readFileSync(path))).tensors].map(([name, t]) => [name, Float32Array.from(t.data)]));

/** What both runs printed, and nnet's trained weights. */
export interface BothRuns {
  readonly printed: string;
  readonly nnetStdout: string;
  readonly nnetOutput: string;
  readonly nnet: Map<string, Float32Array>;
}

/**
 * The train.py equivalence check the PyTorch export tests share: export `file` into `dir` (then
 * `prepare`, e.g. writing the data train.py reads), run train.py and `nnet train` from the same initial
 * weights, and expect the same steps — train.py writes nnet's parameter names (a tied weight once),
 * and every weight equals nnet's within 1e-5 and moved from its initial value by more than 1e-3 (the
 * models train full-batch, so every epoch is one step whatever the shuffle).
 */
export async function trainBoth(python: string, file: string, dir: string, prepare?: () => Promise<void>): Promise<BothRuns> {
  const exported = await runCli(['export', file, '--format', 'pytorch', '-o', dir]);
  expect(exported.code, exported.stderr).toBe(0);
  await prepare?.();
  const printed = execFileSync(python, ['train.py', '--out', 'torch.safetensors'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 });
  const nnetRun = await runCli(['train', file, '--no-checkpoint', '--out', join(dir, 'nnet.safetensors')]);
  expect(nnetRun.code, nnetRun.stderr).toBe(0);
  const initial = weightsOf(join(dir, 'initial.safetensors'));
  const torch = weightsOf(join(dir, 'torch.safetensors'));
  const nnet = weightsOf(join(dir, 'nnet.safetensors'));
  expect([...torch.keys()].sort(), "train.py writes nnet's names, a tied weight once").toEqual([...nnet.keys()].sort());
  for (const [key, w] of nnet) {
    const t = torch.get(key)!;
    expect(Math.max(...w.map((v, i) => Math.abs(v - t[i]!))), key).toBeLessThanOrEqual(1e-5);
    expect(Math.max(...w.map((v, i) => Math.abs(v - initial.get(key)![i]!))), `${key} moved`).toBeGreaterThan(1e-3);
  }
  return { printed, nnetStdout: nnetRun.stdout, nnetOutput: nnetRun.stdout + nnetRun.stderr, nnet };
}
