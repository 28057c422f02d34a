import { mkdtempSync } from 'node:fs';
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
