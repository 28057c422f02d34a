import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../../lsp/build-server.js';

const run = promisify(execFile);

describe('nnet fmt', () => {
  let cli: string;
  let dir: string;
  const messy = 'model M {   input x: [batch, 2]\n\n\n  y = dense(x,1)\n  output y }\n';
  const tidy = 'model M {\n  input x: [batch, 2]\n\n  y = dense(x, 1)\n  output y\n}\n';

  beforeAll(async () => {
    cli = await buildCli();
    dir = mkdtempSync(join(tmpdir(), 'nnet-fmt-'));
  });
  afterAll(() => {
    rmSync(cli, { force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  const nnet = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await run(process.execPath, [cli, 'fmt', ...args], { env: { ...process.env, NO_COLOR: '1' } });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };

  it('prints the formatted file by default', async () => {
    const file = join(dir, 'a.nnet');
    writeFileSync(file, messy);
    expect(await nnet(file)).toEqual({ code: 0, stdout: tidy, stderr: '' });
    expect(readFileSync(file, 'utf8')).toBe(messy);
  });

  it('--check lists files that would change and exits 1; 0 once formatted', async () => {
    const a = join(dir, 'b.nnet');
    const b = join(dir, 'c.nnet');
    writeFileSync(a, messy);
    writeFileSync(b, tidy);
    expect(await nnet('--check', a, b)).toEqual({ code: 1, stdout: `${a}\n`, stderr: '' });
    expect((await nnet('--check', b)).code).toBe(0);
  });

  it('--write rewrites in place', async () => {
    const file = join(dir, 'd.nnet');
    writeFileSync(file, messy);
    const result = await nnet('--write', file);
    expect(result.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(tidy);
  });

  it('--write --check rewrites, reports each file it changed, and exits 1 when one changed', async () => {
    const a = join(dir, 'f.nnet');
    const b = join(dir, 'g.nnet');
    writeFileSync(a, messy);
    writeFileSync(b, tidy);
    expect(await nnet('--write', '--check', a, b)).toEqual({ code: 1, stdout: '', stderr: `formatted ${a}\n` });
    expect(readFileSync(a, 'utf8')).toBe(tidy);
    expect(await nnet('--write', '--check', a, b)).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('refuses a file with syntax errors, leaving it untouched, and reports where', async () => {
    const file = join(dir, 'e.nnet');
    const broken = 'model M {\n  y = dense(x,\n}\n';
    writeFileSync(file, broken);
    const result = await nnet('--write', file);
    expect(result.code).toBe(1);
    const name = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    expect(result.stderr).toMatch(new RegExp(`^${name}:\\d+:\\d+: error NN1\\d{3}: .*\n  \\d+ \\| .*\n    \\| +\\^`));
    expect(result.stderr).toMatch(new RegExp(`\\n\\d+ syntax errors? in ${name}; not formatted\\n$`));
    expect(readFileSync(file, 'utf8')).toBe(broken);
  });

  it('reports a missing file without a stack trace', async () => {
    const result = await nnet(join(dir, 'missing.nnet'));
    expect(result.code).toBe(1);
    // One line in the format of every command's errors (the code and wording belong to the file layer).
    expect(result.stderr).toMatch(new RegExp(`^${join(dir, 'missing.nnet').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: error NN4005: cannot read the file: no such file\\n$`));
    expect(result.stderr).not.toContain('    at ');
  });
});
