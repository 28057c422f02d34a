import { describe, expect, it } from 'vitest';
import { parse } from '../../grammar/index.js';
import { reparseAfterEdit } from '../../grammar/reparse.js';

const TEXT = [
  '// two models and a block',
  'let width = 16',
  '',
  'block mlp(x, units) {',
  '  h = dense(x, units, relu)',
  '  return dense(h, units)',
  '}',
  '',
  'model A {',
  '  input x: [batch, 8]',
  '  h1 = dense(x, width, relu)  // first',
  '  h2 = mlp(h1, 8)',
  '  output h2',
  '}',
  '',
  '/* between */ model B {',
  '  input x: [batch, 4]',
  '  h1 = x |> dense(4, tanh) |> dropout(0.1)',
  '  output h1',
  '}',
  '',
].join('\n');

function edit(text: string, at: number, remove: number, insert: string): string {
  return text.slice(0, at) + insert + text.slice(at + remove);
}

describe('reparseAfterEdit', () => {
  it('re-parses only an edited model and equals a full parse', () => {
    const at = TEXT.indexOf('width, relu)');
    const next = edit(TEXT, at, 'width'.length, '32');
    const result = reparseAfterEdit(TEXT, parse(TEXT), next);
    expect(result).toBeDefined();
    expect(result).toEqual(parse(next));
  });

  it('keeps comments before, inside and after the model in document order', () => {
    const at = TEXT.indexOf('  output h2');
    const next = edit(TEXT, at, 0, '  // added\n');
    const result = reparseAfterEdit(TEXT, parse(TEXT), next);
    expect(result?.file.comments.map((c) => c.text)).toEqual(parse(next).file.comments.map((c) => c.text));
    expect(result).toEqual(parse(next));
  });

  it('declines edits outside a model, to its first or last character, or that break it', () => {
    const previous = parse(TEXT);
    const cases = [
      edit(TEXT, TEXT.indexOf('units, relu'), 0, 'x'), // inside a block
      edit(TEXT, TEXT.indexOf('model A'), 0, ' '), // before the keyword
      edit(TEXT, TEXT.indexOf('}\n\n/*'), 1, ''), // the model's closing brace
      edit(TEXT, TEXT.indexOf('h2 = mlp'), 0, '}\nmodel C {\n'), // splits the model in two
      edit(TEXT, TEXT.indexOf('h2 = mlp'), 0, '= ='), // a syntax error
    ];
    for (const next of cases) expect(reparseAfterEdit(TEXT, previous, next)).toBeUndefined();
  });

  it('declines when the previous parse had syntax errors', () => {
    const broken = edit(TEXT, TEXT.indexOf('h2 = mlp'), 0, '= ');
    const next = edit(broken, broken.indexOf('h1 = x'), 0, ' ');
    expect(reparseAfterEdit(broken, parse(broken), next)).toBeUndefined();
  });

  it('equals a full parse on a random edit sequence', () => {
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 48271) % 2147483647;
      return seed % n;
    };
    const inserts = ['1', ' ', '\n', 'x', '(', '}', '// c\n', 'relu', ','];
    let text = TEXT;
    let previous = parse(text);
    let shortcuts = 0;
    for (let k = 0; k < 300; k++) {
      const at = random(text.length + 1);
      const next = edit(text, at, random(3), inserts[random(inserts.length)]!);
      const full = parse(next);
      const quick = reparseAfterEdit(text, previous, next);
      if (quick) {
        shortcuts++;
        expect(quick).toEqual(full);
      }
      // Keep only edits that leave the text valid, so that the shortcut keeps being exercised.
      if (full.diagnostics.length === 0) {
        text = next;
        previous = quick ?? full;
      }
    }
    expect(shortcuts).toBeGreaterThan(20);
  });
});
