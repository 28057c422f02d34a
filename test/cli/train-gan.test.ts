import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Random } from '../../runtime/data/random.js';
import { TOY_GAN_SOURCE } from '../runtime/train/helpers.js';
import { runCli } from './run-cli.js';

// A gan over a 1-D Gaussian N(2, 0.5²), with its real samples in a JSON file next to it.
const dir = mkdtempSync(join(tmpdir(), 'nnet-train-gan-'));
const random = new Random(5);
writeFileSync(join(dir, 'real.json'), JSON.stringify({ value: Array.from({ length: 512 }, () => [2 + 0.5 * random.normal()]) }));
const ganFile = join(dir, 'toy-gan.nnet');
writeFileSync(ganFile, TOY_GAN_SOURCE.replace('epochs 30', 'epochs 40').replace('seed 3', 'seed 3\n    data "real.json"'));

describe('nnet train on a gan', () => {
  it('trains it, reports both losses per epoch, and writes generator weights that generate like the data', async () => {
    const out = join(dir, 'generator.safetensors');
    const { code, stdout, stderr } = await runCli(['train', ganFile, '--out', out]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('training gan Toy (G against D) on real.json: 512 real samples, 40 epochs, batch 32, seed 3');
    expect(stdout).toMatch(/^epoch 40\/40 · g_loss \d\.\d{4} · d_loss \d\.\d{4} · /m);
    expect(stdout).toContain(`wrote the generator's weights to ${out}`);

    const z = Array.from({ length: 256 }, () => Array.from({ length: 4 }, () => random.normal()));
    const run = await runCli(['run', ganFile, '--model', 'G', '--weights', out, '--input', JSON.stringify({ z })]);
    expect(run.code).toBe(0);
    const xs = (JSON.parse(run.stdout) as { x: number[][] }).x.map((row) => row[0]!);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(Math.abs(mean - 2)).toBeLessThan(0.3);
  });

  it('refuses options that only apply to models', async () => {
    const { code, stderr } = await runCli(['train', ganFile, '--plot', join(dir, 'curve.svg')]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/error NNR5103: --resume, --validation and --plot apply to models; gan 'Toy' trains without them/);
  });
});
