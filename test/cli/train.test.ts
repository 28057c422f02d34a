import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCheckpoint } from '../../runtime/train/checkpoint.js';
import { XOR_SOURCE } from '../runtime/train/helpers.js';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'nnet-train-'));
const xorFile = join(dir, 'xor.nnet');
writeFileSync(xorFile, XOR_SOURCE);

describe('nnet train', () => {
  it('trains xor to 100% and writes weights, curves and a checkpoint', async () => {
    const out = join(dir, 'xor.safetensors');
    const plot = join(dir, 'xor.svg');
    const checkpoint = join(dir, 'xor.ckpt.safetensors');
    const { code, stdout, stderr } = await runCli(['train', xorFile, '--out', out, '--plot', plot, '--checkpoint', checkpoint]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('training Xor on xor: 4 samples, 60 epochs, batch 4');
    expect(stdout).toMatch(/^epoch 60\/60 · loss \d\.\d{4} · acc 1\.0000 · /m); // plain lines: stdout is not a TTY here
    expect(stdout.trim().split('\n').pop()).toBe('test accuracy: 1.0000');
    expect(readFileSync(plot, 'utf8')).toContain('<svg');
    expect(readCheckpoint(checkpoint).epochsDone).toBe(60);
    // the trained weights run: xor(1, 0) is class 1
    const run = await runCli(['run', xorFile, '--weights', out, '--input', '[[1, 0], [1, 1]]']);
    const probs = (JSON.parse(run.stdout) as { probs: number[][] }).probs;
    expect(probs[0]![1]).toBeGreaterThan(0.9);
    expect(probs[1]![0]).toBeGreaterThan(0.9);
  });

  it('resumes from a checkpoint after its epoch', async () => {
    const checkpoint = join(dir, 'resume.ckpt.safetensors');
    expect((await runCli(['train', xorFile, '--epochs', '2', '--checkpoint', checkpoint])).code).toBe(0);
    const { code, stdout } = await runCli(['train', xorFile, '--epochs', '4', '--resume', checkpoint, '--checkpoint', checkpoint]);
    expect(code).toBe(0);
    expect(stdout).toContain('after epoch 2');
    expect(stdout).not.toMatch(/^epoch [12]\/4/m);
    expect(stdout).toMatch(/^epoch 3\/4/m);
    expect(stdout).toContain('trained 2 epochs');
    expect(readCheckpoint(checkpoint).epochsDone).toBe(4);
  });

  it('reports data errors with codes and exit 1; bad options exit 2', async () => {
    const csv = join(dir, 'bad.csv');
    writeFileSync(csv, 'a,b,label\n0,1,1\n0,x,1\n');
    const bad = await runCli(['train', xorFile, '--data', csv, '--no-checkpoint']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(`${csv}:3:2: error NNR5003: cell "x" in column 'b' is not a number\n`);
    const unknown = await runCli(['train', xorFile, '--data', 'cifar', '--no-checkpoint']);
    expect(unknown.stderr).toMatch(/error NNR5006: unknown dataset 'cifar'/);
    const shape = await runCli(['train', xorFile, '--data', 'iris', '--no-checkpoint']);
    expect(shape.stderr).toMatch(/error NNR5005: field 'features' has samples of shape \[4\], but input 'x' needs \[2\]/);
    expect((await runCli(['train', xorFile, '--epochs', '0'])).code).toBe(2);
    expect(existsSync('xor.checkpoint.safetensors')).toBe(false);
  });

  it('trains from a CSV file with a label column and a held-out test split', async () => {
    const csv = join(dir, 'xor.csv');
    const rows = Array.from({ length: 40 }, (_, i) => `${(i >> 1) & 1},${i & 1},${((i >> 1) & 1) ^ (i & 1)}`);
    writeFileSync(csv, ['a,b,label', ...rows].join('\n'));
    const file = join(dir, 'xor-csv.nnet');
    writeFileSync(file, XOR_SOURCE.replace('data xor', 'data csv("xor.csv", test: 0.25)').replace('epochs 60  batch 4', 'epochs 40  batch 8'));
    const { code, stdout, stderr } = await runCli(['train', file, '--no-checkpoint']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('30 samples');
    expect(stdout).toContain('test accuracy: 1.0000');
  });
});
