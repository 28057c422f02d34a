import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CodeAction } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { ModelDecl } from '../../grammar/ast.js';
import { formatNnet } from '../../grammar/format/index.js';
import { codeActions } from '../../lsp/providers/code-actions.js';
import type { ProviderContext } from '../../lsp/providers/context.js';
import { sampleTexts } from './corpus.js';
import { contextFor } from './helpers.js';

const goldens = new URL('../golden/errors/semantic/', import.meta.url);

/** Texts with quick fixes: the diagnostics goldens, and the examples with a flatten dropped or a name misspelt. */
function brokenTexts(): string[] {
  const golden = readdirSync(goldens)
    .filter((f) => f.endsWith('.nnet'))
    .sort()
    .map((f) => readFileSync(new URL(f, goldens), 'utf8'));
  const mutations: Array<[RegExp | string, string]> = [
    [/\n *\|> flatten(?=\n)/, ''],
    ['flatten |> ', ''],
    ['image |> flatten |> dense(', 'dense(image, '],
    ['dense(', 'desne('],
    ['relu', 'rleu'],
    ['adam', 'adma'],
    ['epochs', 'epoch'],
  ];
  const mutants = sampleTexts().flatMap((text) => mutations.map(([from, to]) => text.replace(from, to)).filter((t) => t !== text));
  return [...golden, ...mutants];
}

function apply(ctx: ProviderContext, action: CodeAction): string {
  return TextDocument.applyEdits(ctx.document, action.edit!.changes![ctx.document.uri]!);
}

function selection(ctx: ProviderContext, start: number, end: number) {
  return { start: ctx.document.positionAt(start), end: ctx.document.positionAt(end) };
}

/** Whether `nnet fmt --check` passes (a file with syntax errors it refuses: not canonical). */
async function isCanonical(text: string): Promise<boolean> {
  try {
    return (await formatNnet(text)) === text;
  } catch {
    return false;
  }
}

describe('code actions leave what nnet fmt prints', () => {
  it('every quick fix of the goldens and the broken examples, applied to a formatted file', async () => {
    let applied = 0;
    for (const text of brokenTexts()) {
      if (!(await isCanonical(text))) continue;
      const ctx = contextFor(text);
      for (const diagnostic of ctx.result.diagnostics.filter((d) => d.fix)) {
        const actions = await codeActions(ctx, selection(ctx, diagnostic.range.start, diagnostic.range.end), ['quickfix']);
        const fix = actions.find((a) => a.title === diagnostic.fix!.title)!;
        const fixed = apply(ctx, fix);
        expect(fixed, `${fix.title} in\n${text}`).toBe(await formatNnet(fixed));
        applied++;
      }
    }
    expect(applied).toBeGreaterThan(30);
  });

  it('Insert flatten in a pipeline of one stage a line puts the stage on its own line', async () => {
    const example = sampleTexts().find((t) => t.includes('model DigitsMlp'))!;
    const text = example.replace('\n    |> flatten\n', '\n');
    const ctx = contextFor(text);
    const diagnostic = ctx.result.diagnostics.find((d) => d.code === 'NN2003')!;
    const [fix] = await codeActions(ctx, selection(ctx, diagnostic.range.start, diagnostic.range.end), ['quickfix']);
    expect(fix!.title).toBe('Insert flatten before dense');
    expect(apply(ctx, fix!)).toBe(example);
  });

  it('Insert flatten that pushes a pipeline past 100 columns breaks it one stage a line', async () => {
    const text = [
      'model M {',
      '  input image: [batch, 28, 28]',
      '  logits = image |> dense(256, relu, weight: he_uniform) |> dropout(0.2) |> dense(64) |> dense(10)',
      '  output logits',
      '}',
      '',
    ].join('\n');
    expect(await isCanonical(text)).toBe(true);
    const ctx = contextFor(text);
    const diagnostic = ctx.result.diagnostics.find((d) => d.code === 'NN2003')!;
    const [fix] = await codeActions(ctx, selection(ctx, diagnostic.range.start, diagnostic.range.end), ['quickfix']);
    const fixed = apply(ctx, fix!);
    expect(fixed).toContain('  logits = image\n    |> flatten\n    |> dense(256, relu, weight: he_uniform)\n');
    expect(fixed).toBe(await formatNnet(fixed));
    expect(contextFor(fixed).result.diagnostics).toEqual([]);
  });

  it('formats the declaration it edits, though another one has a syntax error', async () => {
    const example = sampleTexts().find((t) => t.includes('model DigitsMlp'))!;
    const broken = 'block unfinished(x) {\n  h = dense(x, 4)\n}\n\n';
    const text = broken + example.replace('\n    |> flatten\n', '\n');
    const ctx = contextFor(text);
    expect(ctx.result.diagnostics.map((d) => d.code)).toContain('NN1017');
    const diagnostic = ctx.result.diagnostics.find((d) => d.code === 'NN2003')!;
    const [fix] = await codeActions(ctx, selection(ctx, diagnostic.range.start, diagnostic.range.end), ['quickfix']);
    expect(apply(ctx, fix!)).toBe(broken + example);
  });

  it('a quick fix in an unformatted file reformats only the lines it touches', async () => {
    const text = 'model M {\n  input x: [batch, 8]\n      h = dense(x, 4,   relu)\n  g = h\n  y = desne(g, 2)\n  z = y\n  output   z\n}\n';
    const ctx = contextFor(text);
    const diagnostic = ctx.result.diagnostics.find((d) => d.fix)!;
    const [fix] = await codeActions(ctx, selection(ctx, diagnostic.range.start, diagnostic.range.end), ['quickfix']);
    expect(apply(ctx, fix!)).toBe(text.replace('desne', 'dense'));
  });

  it('Extract to block, for every run of two assignments in the examples', async () => {
    let applied = 0;
    for (const text of sampleTexts()) {
      if (!(await isCanonical(text))) continue;
      const ctx = contextFor(text);
      for (const model of ctx.result.file.decls.filter((d): d is ModelDecl => d.kind === 'Model')) {
        for (let i = 0; i + 1 < model.body.length; i++) {
          const [a, b] = [model.body[i]!, model.body[i + 1]!];
          if (a.kind !== 'Assign' || b.kind !== 'Assign') continue;
          const actions = await codeActions(ctx, selection(ctx, a.range.start, b.range.end), ['refactor.extract']);
          const extract = actions.find((x) => x.title === 'Extract to block' && !x.disabled);
          if (!extract) continue;
          const extracted = apply(ctx, extract);
          expect(extracted, `extract in\n${text}`).toBe(await formatNnet(extracted));
          applied++;
        }
      }
    }
    expect(applied).toBeGreaterThan(3);
  });
});
