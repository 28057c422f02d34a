import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSafetensors } from '../../runtime/weights/safetensors.js';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'nnet-pytorch-cli-'));

describe('nnet export --format pytorch', () => {
  it('writes model.py, train.py, the initial weights and the data files the train section reads', async () => {
    const out = join(dir, 'residual');
    const { code, stderr } = await runCli(['export', 'examples/residual.nnet', '--format', 'pytorch', '-o', out]);
    expect(code).toBe(0);
    expect(stderr).toBe(`wrote ${out} (Regressor as PyTorch: model.py, train.py, README.md, initial.safetensors, data/regression.csv)\n`);
    expect(readFileSync(join(out, 'model.py'), 'utf8')).toContain('class Regressor(nn.Module):');
    expect(readFileSync(join(out, 'train.py'), 'utf8')).toContain('"source": "data/regression.csv"');
    expect(readFileSync(join(out, 'data', 'regression.csv'), 'utf8')).toBe(readFileSync('examples/data/regression.csv', 'utf8'));
    expect([...readSafetensors(new Uint8Array(readFileSync(join(out, 'initial.safetensors')))).tensors.keys()]).toContain('deep/stage.gamma');
  });

  it('a model without a train section gets no train.py', async () => {
    const out = join(dir, 'seed');
    expect((await runCli(['export', 'examples/seed.nnet', '--format', 'pytorch', '-o', out])).code).toBe(0);
    expect(existsSync(join(out, 'model.py'))).toBe(true);
    expect(existsSync(join(out, 'train.py'))).toBe(false);
  });

  it('refuses a compiled plan (it holds kernels, not layers) with NNR7101', async () => {
    const plan = join(dir, 'seed.plan.json');
    expect((await runCli(['compile', 'examples/seed.nnet', '-o', plan])).code).toBe(0);
    const { code, stderr } = await runCli(['export', plan, '--format', 'pytorch', '-o', join(dir, 'plan')]);
    expect(code).toBe(1);
    expect(stderr).toContain('error NNR7101: the PyTorch export needs the .nnet file');
  });
});
