import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CompletionItem, MarkupContent, TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { codeActions } from '../../lsp/providers/code-actions.js';
import { codeLenses } from '../../lsp/providers/code-lens.js';
import { countFusedGroups } from '../../lsp/fused-groups.js';
import { completion } from '../../lsp/providers/completion.js';
import { documentSymbols, workspaceSymbols } from '../../lsp/providers/document-symbols.js';
import { hover } from '../../lsp/providers/hover.js';
import { inlayHints } from '../../lsp/providers/inlay-hints.js';
import { definition, highlights, references } from '../../lsp/providers/navigation.js';
import { prepareRename, rename } from '../../lsp/providers/rename.js';
import { SEMANTIC_TOKENS_LEGEND, semanticTokens } from '../../lsp/providers/semantic-tokens.js';
import { signatureHelp } from '../../lsp/providers/signature-help.js';
import { foldingRanges, selectionRanges } from '../../lsp/providers/structure.js';
import { after, at, contextFor } from './helpers.js';

const showcase = readFileSync(new URL('./fixtures/showcase.nnet', import.meta.url), 'utf8');
const ctx = contextFor(showcase);
const whole = { start: { line: 0, character: 0 }, end: { line: 1000, character: 0 } };

function applyEdits(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///x', 'nnet', 1, text), edits);
}

describe('the fixture checks clean', () => {
  it('has no diagnostics', () => {
    expect(ctx.result.diagnostics).toEqual([]);
  });
});

describe('hover', () => {
  it('on an op in a pipeline: signature, shapes, parameters, FLOPs and docs', () => {
    const result = hover(ctx, at(showcase, 'dense(width', 2))!;
    const text = (result.contents as MarkupContent).value;
    expect(text).toMatch(/^```nnet\ndense\(/);
    expect(text).toContain('[batch, 784] → [batch, 256]');
    expect(text).toContain('200,960 params');
    expect(text).toMatch(/401\.\dK FLOPs\/sample/);
    expect(result.range).toEqual({ start: at(showcase, 'dense(width'), end: at(showcase, 'dense(width', 5) });
  });

  it('on a value: its type and the layer that computed it', () => {
    const text = (hover(ctx, at(showcase, 'logits', 1, 1))!.contents as MarkupContent).value;
    expect(text).toContain('(value) logits: [batch, 10]');
  });

  it('on an activation name: its documentation', () => {
    const text = (hover(ctx, at(showcase, 'relu)', 1))!.contents as MarkupContent).value;
    // The hovered word is `relu` whatever hover shows; the documentation is what must be there.
    expect(text).toContain('y = max(x, 0).');
  });

  it("on a model's name: its inputs and outputs, parameters and how it trains", () => {
    const name = /^model (\w+)/m.exec(showcase)![1]!;
    const text = (hover(ctx, at(showcase, `model ${name}`, 'model '.length + 1))!.contents as MarkupContent).value;
    expect(text).toContain(`(model) ${name}`);
    expect(text).toMatch(/`\w+` \[batch, [^\]]+\].* → `\w+` \[batch, \d+\]/);
    expect(text).toMatch(/[\d,]+ parameters/);
    expect(text).toMatch(/trains with \*\*\w+\*\*, \w+ lr [\d.e-]+, \d+ epochs of batch \d+/);
  });

  it("on a gan's name: how its models connect and how it trains", () => {
    const text = readFileSync(new URL('../../examples/gan.nnet', import.meta.url), 'utf8');
    const gan = contextFor(text);
    const value = (hover(gan, at(text, 'DigitsGan', 1))!.contents as MarkupContent).value;
    expect(value).toContain('**Generator** `z` → `image` → **Discriminator** `image` → real or generated');
    expect(value).toContain('adam lr 0.0002, 20 epochs of batch 64 on digits');
  });

  it('nothing on a keyword', () => {
    expect(hover(ctx, at(showcase, 'model', 1))).toBeNull();
  });
});

describe('inlay hints', () => {
  it('shows the shape after every pipeline stage and every layer', () => {
    const hints = inlayHints(ctx, whole);
    const labelAt = (needle: string, nth = 0) =>
      hints.find((h) => h.position.line === after(showcase, needle, 0, nth).line && h.position.character === after(showcase, needle, 0, nth).character)?.label;
    expect(labelAt('|> flatten')).toBe('→ [batch, 784]');
    expect(labelAt('dense(width, relu)')).toBe('→ [batch, 256]');
    expect(labelAt('residual(width)')).toBe('→ [batch, 256]');
    expect(labelAt('dense(10)')).toBe('→ [batch, 10]');
    expect(labelAt('softmax(logits)')).toBe('→ [batch, 10]');
    expect(labelAt('dense(x, units, act)')).toBe('→ [batch, 256]');
  });

  it('only in the requested range', () => {
    const line = after(showcase, '|> flatten').line;
    const hints = inlayHints(ctx, { start: { line, character: 0 }, end: { line, character: 200 } });
    expect(new Set(hints.map((h) => h.position.line))).toEqual(new Set([line]));
  });
});

describe('completion', () => {
  const labels = (items: CompletionItem[]) => items.map((i) => i.label);

  it('after |> offers layers and blocks as pipeline stages', () => {
    const items = completion(ctx, after(showcase, '|> ', 0));
    expect(labels(items)).toEqual(expect.arrayContaining(['dense', 'flatten', 'dropout', 'residual']));
    const dense = items.find((i) => i.label === 'dense')!;
    expect(dense.textEdit && 'newText' in dense.textEdit ? dense.textEdit.newText : '').toBe('dense(${1:units})');
  });

  it('inside a call offers the named arguments with defaults, and values in scope', () => {
    const text = showcase.replace('dense(10)', 'dense(10, )');
    const items = completion(contextFor(text), after(text, 'dense(10, '));
    expect(labels(items)).toEqual(expect.arrayContaining(['activation:', 'image']));
    expect(labels(items)).not.toContain('units:');
  });

  it('in a train section offers settings; after `loss ` losses; after `optimizer ` optimizers', () => {
    expect(labels(completion(ctx, at(showcase, 'metrics accuracy')))).toEqual(expect.arrayContaining(['epochs', 'optimizer', 'loss']));
    expect(labels(completion(ctx, after(showcase, 'loss ')))).toEqual(expect.arrayContaining(['cross_entropy', 'mse', 'huber']));
    expect(labels(completion(ctx, after(showcase, 'optimizer ')))).toEqual(expect.arrayContaining(['adam', 'sgd', 'rmsprop']));
  });

  it('in an input shape offers dims and constants', () => {
    expect(labels(completion(ctx, after(showcase, 'image: [')))).toEqual(expect.arrayContaining(['batch', 'width']));
  });

  it('at the start of a model line offers statement keywords; at top level declarations', () => {
    expect(labels(completion(ctx, at(showcase, '  input image', 2)))).toEqual(expect.arrayContaining(['input', 'output', 'train']));
    expect(labels(completion(ctx, at(showcase, 'model Digits')))).toEqual(expect.arrayContaining(['model', 'block', 'gan', 'let']));
  });

  it('nothing inside a comment', () => {
    expect(completion(ctx, after(showcase, '// The lang'))).toEqual([]);
  });
});

describe('signature help', () => {
  it('follows the argument under the cursor, counting the implicit tensor of a stage', () => {
    const help = signatureHelp(ctx, after(showcase, 'dense(width, '))!;
    expect(help.signatures[0]!.label).toMatch(/^dense\(/);
    expect(help.signatures[0]!.parameters![help.activeParameter!]!.label).toMatch(/^activation/);
  });

  it('knows blocks declared in the file', () => {
    const help = signatureHelp(ctx, after(showcase, 'residual(', 0, 1))!;
    expect(help.signatures[0]!.label).toBe('residual(x, units, act = relu, frozen = false)');
    expect(help.activeParameter).toBe(1);
  });
});

describe('navigation and rename', () => {
  it('goes to the definition and finds references', () => {
    expect(definition(ctx, at(showcase, 'logits', 1, 1))!.range.start).toEqual(at(showcase, 'logits'));
    expect(references(ctx, at(showcase, 'logits'), false)).toHaveLength(2);
    expect(references(ctx, at(showcase, 'logits'), true)).toHaveLength(3);
    expect(highlights(ctx, at(showcase, 'width', 0, 1))).toHaveLength(3);
  });

  it('renames a value everywhere and refuses keywords, built-ins and clashes', () => {
    expect(prepareRename(ctx, at(showcase, 'logits', 2, 1))).toEqual({
      range: { start: at(showcase, 'logits', 0, 1), end: after(showcase, 'logits', 0, 1) },
      placeholder: 'logits',
    });
    const edit = rename(ctx, at(showcase, 'logits'), 'scores')!;
    const renamed = applyEdits(showcase, edit.changes!['file:///test.nnet']!);
    expect(renamed).toContain('output probs = softmax(scores)');
    expect(renamed).toContain('loss cross_entropy(scores, label)');
    expect(renamed).not.toContain('logits');
    expect(() => rename(ctx, at(showcase, 'logits'), 'model')).toThrow(/keyword/);
    expect(() => rename(ctx, at(showcase, 'logits'), 'dense')).toThrow(/built-in/);
    expect(() => rename(ctx, at(showcase, 'logits'), 'probs')).toThrow(/already declared/);
    expect(prepareRename(ctx, at(showcase, 'dense(width', 1))).toBeNull();
  });
});

describe('code actions', () => {
  it('offers the compiler fix for a misspelt op, and the fix repairs the file', async () => {
    const text = showcase.replace('dropout(0.2)', 'dropuot(0.2)');
    const broken = contextFor(text);
    const diagnostic = broken.result.diagnostics.find((d) => d.fix)!;
    expect(diagnostic).toBeDefined();
    const actions = await codeActions(broken, { start: broken.document.positionAt(diagnostic.range.start), end: broken.document.positionAt(diagnostic.range.end) });
    const fix = actions.find((a) => a.kind === 'quickfix')!;
    expect(fix.title).toMatch(/dropout/);
    const repaired = applyEdits(text, fix.edit!.changes!['file:///test.nnet']!);
    expect(contextFor(repaired).result.diagnostics).toEqual([]);
  });

  it('extracts a selected run of assignments to a block that checks clean', async () => {
    const text = [
      'model M {',
      '  input x: [batch, 8]',
      '  a = dense(x, 16, relu)',
      '  b = dense(a, 16, relu)',
      '  c = dense(b, 4)',
      '  output c',
      '}',
      '',
    ].join('\n');
    const model = contextFor(text);
    const actions = await codeActions(model, { start: at(text, '  a ='), end: after(text, 'dense(a, 16, relu)') });
    const extract = actions.find((a) => a.title === 'Extract to block')!;
    const result = applyEdits(text, extract.edit!.changes!['file:///test.nnet']!);
    expect(result).toBe(
      [
        'block extracted(x) {',
        '  a = dense(x, 16, relu)',
        '  b = dense(a, 16, relu)',
        '  return b',
        '}',
        '',
        'model M {',
        '  input x: [batch, 8]',
        '  b = extracted(x)',
        '  c = dense(b, 4)',
        '  output c',
        '}',
        '',
      ].join('\n'),
    );
    expect(contextFor(result).result.diagnostics).toEqual([]);
  });

  it('offers extract disabled when a value defined in the selection is used after it', async () => {
    const text = 'model M {\n  input x: [batch, 8]\n  a = dense(x, 16)\n  b = dense(a, 16)\n  c = add(a, b)\n  output c\n}\n';
    const action = (await codeActions(contextFor(text), { start: at(text, '  a ='), end: after(text, 'dense(a, 16)') })).find((a) => a.title === 'Extract to block')!;
    expect(action.disabled?.reason).toMatch(/'a' is used after the selection/);
  });
});

describe('semantic tokens', () => {
  it('decode to ops, activations, dims, parameters and values', () => {
    const data = semanticTokens(ctx).data;
    const lines = showcase.split('\n');
    const decoded: Array<{ text: string; type: string; modifiers: string[] }> = [];
    let line = 0;
    let character = 0;
    for (let i = 0; i < data.length; i += 5) {
      line += data[i]!;
      character = data[i] === 0 ? character + data[i + 1]! : data[i + 1]!;
      decoded.push({
        text: lines[line]!.slice(character, character + data[i + 2]!),
        type: SEMANTIC_TOKENS_LEGEND.tokenTypes[data[i + 3]!]!,
        modifiers: SEMANTIC_TOKENS_LEGEND.tokenModifiers.filter((_, bit) => data[i + 4]! & (1 << bit)),
      });
    }
    const first = (text: string) => decoded.find((t) => t.text === text);
    expect(first('dense')).toEqual({ text: 'dense', type: 'function', modifiers: ['defaultLibrary'] });
    expect(first('relu')).toMatchObject({ type: 'enumMember' });
    expect(first('batch')).toMatchObject({ type: 'typeParameter' });
    expect(first('units')).toMatchObject({ type: 'parameter', modifiers: ['declaration'] });
    expect(first('logits')).toMatchObject({ type: 'variable', modifiers: ['declaration'] });
    expect(first('Digits')).toMatchObject({ type: 'class' });
    expect(first('lr')).toMatchObject({ type: 'parameter' });
    expect(first('width')).toMatchObject({ type: 'variable', modifiers: ['declaration', 'readonly'] });
  });
});

describe('outline, folding, selection, code lens', () => {
  it('lists models, blocks and their layers', () => {
    const symbols = documentSymbols(ctx);
    expect(symbols.map((s) => s.name)).toEqual(['width', 'residual', 'Digits']);
    const digits = symbols[2]!;
    expect(digits.children!.map((c) => c.name)).toEqual(['image', 'label', 'logits', 'probs', 'train']);
    expect(digits.children![2]!.detail).toBe('[batch, 10]');
    expect(workspaceSymbols([ctx], 'lgt').map((s) => s.name)).toEqual(['logits']);
  });

  it('folds declarations, train sections and comment blocks', () => {
    const folds = foldingRanges(ctx);
    const startLine = (needle: string) => at(showcase, needle).line;
    expect(folds).toEqual(
      expect.arrayContaining([
        { startLine: startLine('block residual'), endLine: startLine('return add') },
        { startLine: startLine('model Digits'), endLine: startLine('  }') },
        { startLine: startLine('train {'), endLine: startLine('metrics') },
        { startLine: startLine('/* A residual'), endLine: startLine('   two dense'), kind: 'comment' },
      ]),
    );
  });

  it('grows the selection from a name to its statement and declaration', () => {
    const [range] = selectionRanges(ctx, [at(showcase, 'flatten', 2)]);
    const chain: string[] = [];
    for (let r: typeof range | undefined = range; r; r = r.parent) chain.push(ctx.document.getText(r.range));
    expect(chain[0]).toBe('flatten');
    expect(chain).toContain(showcase.slice(showcase.indexOf('logits = image'), showcase.indexOf('\n', showcase.indexOf('logits = image'))));
    expect(chain[chain.length - 1]).toBe(showcase);
  });

  it('puts parameters, batch memory and fused groups above each model', () => {
    const [lens] = codeLenses(ctx, countFusedGroups);
    expect(lens!.range.start).toEqual(at(showcase, 'model Digits'));
    expect(lens!.command!.title).toMatch(/^335,114 params · \d+\.\d\d MB for a batch of 32 · [1-9]\d* fused kernel groups$/);
    // Without the back end the lens leaves that part out.
    expect(codeLenses(ctx)[0]!.command!.title).toMatch(/^335,114 params · \d+\.\d\d MB for a batch of 32$/);
  });
});
