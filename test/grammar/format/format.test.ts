import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';
import { parse } from '../../../grammar/index.js';
import { formatNnet, meaningOf, nnetPlugin, NnetSyntaxError } from '../../../grammar/format/index.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

function nnetFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? nnetFiles(path) : name.endsWith('.nnet') ? [path] : [];
    })
    .sort();
}

const sources = [...nnetFiles(join(root, 'examples')), ...nnetFiles(join(root, 'test/lsp/fixtures'))];
const corpus = nnetFiles(join(root, 'test/golden/errors'));
const hasSyntaxErrors = (text: string): boolean => parse(text).diagnostics.some((d) => d.severity === 'error');

/** Formats, and checks the three promises: idempotent, same tree, every comment kept. */
async function formatChecked(text: string): Promise<string> {
  const once = await formatNnet(text);
  expect(await formatNnet(once)).toBe(once);
  expect(meaningOf(parse(once).file)).toBe(meaningOf(parse(text).file));
  for (const comment of parse(text).file.comments) expect(once).toContain(comment.text.trim());
  expect(parse(once).file.comments.length).toBe(parse(text).file.comments.length);
  return once;
}

describe('formatter on the examples', () => {
  it.each(sources.map((f) => [relative(root, f), f]))('%s: idempotent, same meaning, comments kept', async (_, file) => {
    const text = readFileSync(file, 'utf8');
    expect(hasSyntaxErrors(text)).toBe(false);
    await formatChecked(text);
  });
});

describe.runIf(corpus.length > 0)('formatter on the error corpus', () => {
  it.each(corpus.map((f) => [relative(root, f), f]))('%s', async (_, file) => {
    const text = readFileSync(file, 'utf8');
    if (hasSyntaxErrors(text)) {
      await expect(formatNnet(text)).rejects.toBeInstanceOf(NnetSyntaxError);
    } else {
      await formatChecked(text);
    }
  });
});

describe('formatter layout', () => {
  it('breaks a long pipeline one stage per line, and keeps a short one on one line', async () => {
    const short = await formatChecked('model M {\n  input x: [batch, 4]\n  y = x   |>  dense(8,relu)\n  output y\n}\n');
    expect(short).toBe('model M {\n  input x: [batch, 4]\n  y = x |> dense(8, relu)\n  output y\n}\n');
    const long = await formatChecked(
      'model M {\n  input image: [batch, 28, 28]\n  logits = image |> flatten |> dense(256, relu) |> dropout(0.2) |> dense(128, relu) |> dropout(0.2) |> dense(10)\n  output logits\n}\n',
    );
    expect(long).toContain(
      '  logits = image\n    |> flatten\n    |> dense(256, relu)\n    |> dropout(0.2)\n    |> dense(128, relu)\n    |> dropout(0.2)\n    |> dense(10)\n',
    );
  });

  it('breaks a long call one argument per line with a trailing comma, and a matrix by rows', async () => {
    const out = await formatChecked(
      'model Seed {\n  input x: [batch, 3]\n  h = dense(x, 4, sigmoid, weight: [[0.5, -0.6, 0.1], [0.7, -0.8, 0.2], [-0.1, 0.9, -0.3], [0.3, 0.1, -0.4]], bias: [0.1, -0.2, 0.3, 0.4])\n  output h\n}\n',
    );
    expect(out).toContain('  h = dense(\n    x,\n    4,\n    sigmoid,\n');
    expect(out).toContain('    bias: [0.1, -0.2, 0.3, 0.4],\n  )\n');
  });

  it('keeps one blank line where the user left one or more, and none where there was none', async () => {
    const out = await formatChecked('model M {\n  input x: [batch, 2]\n\n\n\n  h = dense(x, 2)\n  output h\n}\n');
    expect(out).toBe('model M {\n  input x: [batch, 2]\n\n  h = dense(x, 2)\n  output h\n}\n');
  });

  it('separates top-level declarations by one blank line', async () => {
    const out = await formatChecked('let a = 1\nlet b = 2\nblock id(x) { return x }\nmodel M { input x: [batch, 2]  output x }\n');
    expect(out).toBe('let a = 1\nlet b = 2\n\nblock id(x) {\n  return x\n}\n\nmodel M {\n  input x: [batch, 2]\n  output x\n}\n');
  });

  it('keeps settings the user wrote on one line together', async () => {
    const out = await formatChecked(
      'model M {\n  input x: [batch, 2]\n  input t: [batch, 1]\n  y = dense(x, 1)\n  output y\n  train {\n    loss mse(y, t)\n    epochs 10  batch 32   validation 0.1\n  }\n}\n',
    );
    expect(out).toContain('    loss mse(y, t)\n    epochs 10  batch 32  validation 0.1\n');
  });

  it('adds exactly the parentheses the tree needs', async () => {
    const out = await formatChecked('let a = (1 + 2) * 3\nlet b = 1 - (2 - 3)\nlet c = (1 - 2) - 3\nlet d = -(1 + 2)\n');
    expect(out).toBe('let a = (1 + 2) * 3\nlet b = 1 - (2 - 3)\nlet c = 1 - 2 - 3\nlet d = -(1 + 2)\n');
  });

  it('keeps strings and numbers exactly as written', async () => {
    const out = await formatChecked('model M {\n  input x: [batch, 2]\n  h = dense(x, 2, weight: load("w \\"1\\".npy"), l2: 1E-4)\n  output h\n}\n');
    expect(out).toContain('load("w \\"1\\".npy")');
    expect(out).toContain('l2: 1E-4');
  });
});

describe('formatter comments', () => {
  it('keeps leading, trailing and block comments in place', async () => {
    const text = [
      '// header',
      '',
      '/* the model */',
      'model M {',
      '  // inputs',
      '  input x: [batch, 2] // two features',
      '  h = dense(x, 2) /* hidden */',
      '  output h',
      '  // after everything',
      '}',
      '',
    ].join('\n');
    expect(await formatChecked(text)).toBe(text);
  });

  it('keeps a comment inside an empty body inside the braces', async () => {
    expect(await formatChecked('model M {\n  // todo\n}\n')).toBe('model M {\n  // todo\n}\n');
    expect(await formatChecked('model M { /* nothing yet */ }\n')).toBe('model M {\n  /* nothing yet */\n}\n');
  });

  it('keeps comments between pipeline stages', async () => {
    const text = 'model M {\n  input x: [batch, 28, 28]\n  y = x\n    |> flatten // to vectors\n    |> dense(10)\n  output y\n}\n';
    expect(await formatChecked(text)).toBe(text);
  });

  it('keeps a comment-only file', async () => {
    expect(await formatChecked('// nothing here yet\n')).toBe('// nothing here yet\n');
  });
});

describe('formatter refuses broken files', () => {
  it('throws NnetSyntaxError with the first error location instead of printing', async () => {
    const error = await formatNnet('model M {\n  h = dense(x,\n}\n').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NnetSyntaxError);
    expect((error as NnetSyntaxError).message).toMatch(/^cannot format a file with syntax errors: \d+:\d+: NN1\d{3}: /);
  });

  it('works as a plain Prettier plugin', async () => {
    const out = await prettier.format('model M { input x: [batch, 2]\noutput x }', { parser: 'nnet', plugins: [nnetPlugin] });
    expect(out).toBe('model M {\n  input x: [batch, 2]\n  output x\n}\n');
  });
});
