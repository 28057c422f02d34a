import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { checkFiles, register } from '../../cli/commands/check.js';
import { paintFor } from '../../cli/terminal.js';

const examples = (name: string) => new URL(`../../examples/${name}`, import.meta.url).pathname;

function run(files: string[], options: { json?: boolean; summary?: boolean } = {}) {
  let out = '';
  let err = '';
  const code = checkFiles(files, { summary: true, ...options }, { write: (t: string) => (out += t) }, { write: (t: string) => (err += t) });
  return { code, out, err };
}

function scratch(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'nnet-check-'));
  const file = join(dir, 'model.nnet');
  writeFileSync(file, text);
  return file;
}

describe('nnet check', () => {
  it('prints a Keras-like summary of a clean file and exits 0', () => {
    const { code, out } = run([examples('seed.nnet')]);
    expect(code).toBe(0);
    expect(out).toContain('Model Seed');
    expect(out).toMatch(/x\s+input\s+\[batch, 3\]\s+0\n/);
    expect(out).toMatch(/h\s+dense\s+\[batch, 4\]\s+16\n/);
    expect(out).toMatch(/y\s+dense\s+\[batch, 2\]\s+10\n/);
    expect(out).toContain('Total params: 26 (trainable 26, non-trainable 0)');
  });

  it("summarises a gan under its models: the data flow and its training settings", () => {
    const { code, out } = run([examples('gan.nnet')]);
    expect(code).toBe(0);
    expect(out).toContain('Gan DigitsGan: Generator z → image → Discriminator image → score [batch, 1]\n');
    expect(out).toContain('  adam(lr 0.0002, beta1 0.5, beta2 0.999, epsilon 1e-7), 20 epochs, batch 64, seed 42, data digits\n');
  });

  it('prints diagnostics on stderr with a line-numbered code frame, no summary, and exits 1 on errors', () => {
    const file = scratch('model M {\n  input image: [batch, 28, 28]\n  h = image |> dense(256, relu)\n  output h\n}\n');
    const { code, out, err } = run([file]);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toContain(
      `${file}:3:16: error NN2003: dense expects [batch, features], got [batch, 28, 28]\n` +
        '  3 |   h = image |> dense(256, relu)\n' +
        '    |                ^~~~~~~~~~~~~~~~\n',
    );
    expect(err).toContain('  fix: Insert flatten before dense');
    expect(err).toContain('\n1 error, 0 warnings in 1 file\n');
    expect(err).not.toContain('\x1b[');
  });

  it('colours diagnostics when asked, and never in the plain form', () => {
    const file = scratch('model M {\n  input image: [batch, 28, 28]\n  h = image |> dense(256, relu)\n  output h\n}\n');
    const coloured = (text: string) => `\x1b[${text}`;
    let err = '';
    checkFiles([file], { summary: true }, { write: () => {} }, { write: (t: string) => (err += t) }, paintFor({ isTTY: true }, {}));
    expect(err).toContain(coloured('1m'));
    expect(err).toContain(coloured('31m'));
    expect(err.replace(/\x1b\[\d+m/g, '')).toBe(run([file]).err);
  });

  it('allows warnings: exit 0 with the summary', () => {
    const file = scratch('model M {\n  input x: [batch, 2]\n  unused = dense(x, 2)\n  output y = dense(x, 1)\n}\n');
    const { code, out, err } = run([file]);
    expect(code).toBe(0);
    expect(err).toContain('warning NN2005');
    expect(out).toContain('Model M');
  });

  it('reports an unreadable file in one line, without a stack trace, and exits 1', () => {
    const { code, out, err } = run(['missing.nnet', examples('xor.nnet')]);
    expect(code).toBe(1);
    expect(err).toBe('missing.nnet: error NN4005: cannot read the file: no such file\n\n1 error, 0 warnings in 2 files\n');
    expect(out).toContain('Model Xor');
  });

  it('--json prints diagnostics with lines and columns, and summaries', () => {
    const file = scratch('model M {\n  input x: [batch, 2]\n  output y = dense(x, 1)\n  z = dense(q, 1)\n}\n');
    const { code, out } = run([file, examples('seed.nnet')], { json: true });
    expect(code).toBe(1);
    const report = JSON.parse(out);
    expect(report.errors).toBe(1);
    expect(report.files[0].diagnostics[0]).toMatchObject({ code: 'NN2001', severity: 'error', line: 4, column: 13, endLine: 4, endColumn: 14 });
    expect(report.files[1].models[0]).toMatchObject({ name: 'Seed', ok: true, totalParams: 26 });
    expect(report.files[1].models[0].layers[1]).toEqual({ layer: 'h', op: 'dense', outputShape: ['batch', 4], dtype: 'f32', params: 16 });
  });

  it('is a usage error (exit 2 through commander) without files', async () => {
    const program = new Command().exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
    register(program, () => {});
    const error = await program.parseAsync(['check'], { from: 'user' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommanderError);
    expect((error as CommanderError).code).toBe('commander.missingArgument');
  });

  it('checks every example clean', () => {
    const names = readdirSync(examples('')).filter((f) => f.endsWith('.nnet'));
    expect(names.length).toBeGreaterThanOrEqual(12);
    const { code, out } = run(names.map((n) => examples(n)));
    expect(out).toContain(`0 errors, 0 warnings in ${names.length} files`);
    expect(code).toBe(0);
  });
});
