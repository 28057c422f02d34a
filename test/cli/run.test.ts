import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const SEED = 'examples/seed.nnet';
const EXPECTED = [0.60530524, 0.65013656];

function outputsOf(stdout: string): number[] {
  return (JSON.parse(stdout) as { y: number[][] }).y[0]!;
}

describe('nnet run', () => {
  it('runs the seed network on a bare nested list (1e-6)', async () => {
    const { code, stdout } = await runCli(['run', SEED, '--input', '[[0.7,-1.5,0.2]]']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\{"y": \[\[0\.605305\d*, 0\.650136\d*\]\]\}\n$/);
    outputsOf(stdout).forEach((v, i) => expect(Math.abs(v - EXPECTED[i]!)).toBeLessThan(1e-6));
  });

  it('accepts named inputs and a compiled plan with its weights', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnet-run-'));
    const plan = join(dir, 'seed.plan.json');
    expect((await runCli(['compile', SEED, '-o', plan])).code).toBe(0);
    const { code, stdout } = await runCli(['run', plan, '--input', '{"x": [[0.7, -1.5, 0.2]]}']);
    expect(code).toBe(0);
    outputsOf(stdout).forEach((v, i) => expect(Math.abs(v - EXPECTED[i]!)).toBeLessThan(1e-6));
  });

  it('reports a wrong input shape, an unknown input and bad JSON with codes and exit 1', async () => {
    const shape = await runCli(['run', SEED, '--input', '[[0.7, -1.5]]']);
    expect(shape.code).toBe(1);
    expect(shape.stderr).toBe("--input: error NNR5005: input 'x' needs shape [batch, 3], got [1, 2]\n");
    const unknown = await runCli(['run', SEED, '--input', '{"x": [[1, 2, 3]], "z": 1}']);
    expect(unknown.stderr).toContain("unknown input 'z'");
    const bad = await runCli(['run', SEED, '--input', '[[1, 2,']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('error NNR5002: invalid JSON');
  });

  it('a missing file is exit 1, a missing option exit 2', async () => {
    const missing = await runCli(['run', 'nope.nnet', '--input', '[[1]]']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('nope.nnet: error NN4005: cannot read the file: no such file\n');
    expect((await runCli(['run', SEED])).code).toBe(2);
  });
});

describe('nnet run: int inputs (issue 10: 1.5 silently rounded to row 2)', () => {
  const EMBED = `model Embed {\n  input ids: [batch, 2] int\n  output y = embedding(ids, 4, 2)\n}\n`;
  it('refuses a value that is not a whole number with NNR5005, and accepts whole numbers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnet-run-int-'));
    const file = join(dir, 'embed.nnet');
    writeFileSync(file, EMBED);
    const bad = await runCli(['run', file, '--input', '{"ids": [[0, 1.5]]}']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe("--input: error NNR5005: input 'ids' is int, but value 2 is 1.5, not a whole number in the int32 range\n");
    const good = await runCli(['run', file, '--input', '{"ids": [[0, 2]]}']);
    expect(good.code).toBe(0);
  });
});
