import { describe, expect, it } from 'vitest';
import type { CompletionItem, MarkupContent, Range } from 'vscode-languageserver';
import { codeActions } from '../../lsp/providers/code-actions.js';
import { completion } from '../../lsp/providers/completion.js';
import { toLspDiagnostics } from '../../lsp/providers/diagnostics.js';
import { documentSymbols } from '../../lsp/providers/document-symbols.js';
import { hover } from '../../lsp/providers/hover.js';
import { inlayHints } from '../../lsp/providers/inlay-hints.js';
import { definition } from '../../lsp/providers/navigation.js';
import { rename } from '../../lsp/providers/rename.js';
import { semanticTokens, SEMANTIC_TOKENS_LEGEND } from '../../lsp/providers/semantic-tokens.js';
import { signatureHelp } from '../../lsp/providers/signature-help.js';
import { after, at, contextFor } from './helpers.js';

/** The editor on `mu, logvar = split(h, 2)`: each name of the tuple is a value of its own. */
const text = `model Vae {
  input x: [batch, 8]
  stats = dense(x, 4)
  mu, logvar, _ = split(stats, [1, 1, 2])
  spare, rest = split(x, 2)
  output z = mu + exp(0.5 * logvar) + rest[:, 0:1]
}
`;
const ctx = contextFor(text);

function hoverText(needle: string, delta = 0, nth = 0): string {
  return (hover(ctx, at(text, needle, delta, nth))!.contents as MarkupContent).value;
}

describe('the editor on split', () => {
  it('hover on each name shows its part\'s shape and the split that made it', () => {
    const mu = hoverText('mu,');
    expect(mu).toContain('(value) mu: [batch, 1]');
    expect(mu).toContain('**split** [batch, 4] → [batch, 1]');
    expect(hoverText('logvar,')).toContain('(value) logvar: [batch, 1]');
    expect(hoverText('rest =')).toContain('(value) rest: [batch, 4]');
  });

  it('hover on split shows its signature, shape rule and doc', () => {
    const value = hoverText('split(stats', 1);
    expect(value).toMatch(/^```nnet\nsplit\(x, parts, axis = -1\)/);
    expect(value).toContain('Shape: `[..., d, ...] → n parts');
    // What this split computes: each distinct kept part once (mu and logvar; `_` computes nothing).
    expect(value).toContain('[batch, 4] → [batch, 1]');
    expect(value).not.toContain('[batch, 4] → [batch, 2]');
  });

  it('renames one name of the tuple and only it; `_` is refused as a new name', () => {
    const edit = rename(ctx, at(text, 'logvar', 1, 1), 'log_var')!;
    const edits = edit.changes!['file:///test.nnet']!;
    expect(edits.map((e) => text.split('\n')[e.range.start.line]!.slice(e.range.start.character, e.range.end.character))).toEqual(['logvar', 'logvar']);
    expect(edits.map((e) => e.range.start.line)).toEqual([3, 5]);
    expect(() => rename(ctx, at(text, 'mu,'), '_')).toThrow(/discards a part/);
  });

  it('goes to the definition of a part from its use', () => {
    const location = definition(ctx, at(text, 'logvar)', 1))!;
    expect(location.range.start).toEqual(at(text, 'logvar,'));
  });

  it('lists each name in the outline with its shape, and none for `_`', () => {
    const model = documentSymbols(ctx)[0]!;
    expect(model.children!.map((c) => `${c.name} ${c.detail}`)).toEqual([
      'x [batch, 8]',
      'stats [batch, 4]',
      'mu [batch, 1]',
      'logvar [batch, 1]',
      'spare [batch, 4]',
      'rest [batch, 4]',
      'z [batch, 1]',
    ]);
    const mu = model.children![2]!;
    expect(mu.selectionRange.start).toEqual(at(text, 'mu,'));
  });

  it('colours each name as a declared variable and split as a built-in function', () => {
    const data = semanticTokens(ctx).data;
    const tokens: Array<{ line: number; char: number; type: string; mods: number }> = [];
    let line = 0;
    let char = 0;
    for (let i = 0; i < data.length; i += 5) {
      line += data[i]!;
      char = data[i]! === 0 ? char + data[i + 1]! : data[i + 1]!;
      tokens.push({ line, char, type: SEMANTIC_TOKENS_LEGEND.tokenTypes[data[i + 3]!]!, mods: data[i + 4]! });
    }
    const on = (needle: string) => tokens.find((t) => t.line === at(text, needle).line && t.char === at(text, needle).character);
    expect(on('mu,')).toMatchObject({ type: 'variable', mods: 1 });
    expect(on('logvar,')).toMatchObject({ type: 'variable', mods: 1 });
    expect(on('split(stats')).toMatchObject({ type: 'function', mods: 4 });
  });

  it('completes split where a value goes, and its arguments after `split(`', () => {
    const values = completion(ctx, after(text, 'output z = ')).map((i: CompletionItem) => i.label);
    expect(values).toContain('split');
    const inCall = contextFor(text.replace('split(x, 2)', 'split(x, 2, )'));
    const args = completion(inCall, after(inCall.document.getText(), 'split(x, 2, ')).map((i: CompletionItem) => i.label);
    expect(args).toContain('axis:');
    const help = signatureHelp(ctx, after(text, 'split(stats, '))!;
    expect(help.signatures[0]!.label).toBe('split(x, parts, axis = -1)');
    expect(help.activeParameter).toBe(1);
  });

  it('shows each part\'s shape after its name, and warns about an unused part only', () => {
    const whole: Range = { start: { line: 0, character: 0 }, end: { line: 7, character: 0 } };
    const hints = inlayHints(ctx, whole).filter((h) => h.position.line === 3);
    expect(hints.map((h) => [h.position.character, h.label])).toEqual([
      [at(text, 'mu,').character + 2, '→ [batch, 1]'],
      [at(text, 'logvar,').character + 6, '→ [batch, 1]'],
    ]);
    const diagnostics = toLspDiagnostics(ctx.document, ctx.result);
    expect(diagnostics.map((d) => [d.code, d.message, d.range.start])).toEqual([['NN2005', "'spare' is computed but never used", at(text, 'spare')]]);
  });

  it('offers to discard an unused part with `_`', async () => {
    const line = at(text, 'spare').line;
    const actions = await codeActions(ctx, { start: { line, character: 0 }, end: { line, character: 5 } });
    const discard = actions.find((a) => a.title === "Discard it: replace 'spare' with _")!;
    const [edit] = discard.edit!.changes!['file:///test.nnet']!;
    expect(edit!.newText).toContain('_, rest = split(x, 2)');
  });
});
