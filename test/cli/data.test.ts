import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBuiltin } from '../../runtime/data/builtins.js';
import { readNpy } from '../../runtime/data/npy.js';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'nnet-data-'));

describe('nnet data export', () => {
  it("writes a built-in dataset as NPY files with nnet's own split", async () => {
    const out = join(dir, 'iris');
    const { code, stderr } = await runCli(['data', 'export', 'iris', out]);
    expect(code).toBe(0);
    expect(stderr).toBe(`wrote ${out} (iris: 120 train, 30 test samples; fields features, label)\n`);
    expect(JSON.parse(readFileSync(join(out, 'fields.json'), 'utf8'))).toEqual({ fields: ['features', 'label'], label: 'label' });
    const { train, test } = loadBuiltin('iris');
    const features = readNpy(new Uint8Array(readFileSync(join(out, 'train', 'features.npy'))));
    expect(features.shape).toEqual([120, 4]);
    expect(Array.from(features.data)).toEqual(Array.from(train.fields.features!.data));
    expect(Array.from(readNpy(new Uint8Array(readFileSync(join(out, 'test', 'label.npy')))).data)).toEqual(Array.from(test!.fields.label!.data));
  });

  it('refuses a name that is not a built-in dataset (usage error)', async () => {
    const { code, stderr } = await runCli(['data', 'export', 'cifar', join(dir, 'x')]);
    expect(code).toBe(2);
    expect(stderr).toContain('use one of digits, iris, xor');
  });
});
