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
    const previous = parse(TEXT);
    const result = reparseAfterEdit(TEXT, previous, next);
    expect(result).toEqual(parse(next));
    // Not re-parsed: the declarations before the edited model are the previous parse's own objects
    // (a full parse would build new ones); the edited model itself is new.
    const [letDecl, block, modelA] = previous.file.decls;
    const decls = result!.file.decls;
    expect(decls[0]).toBe(letDecl);
    expect(decls[1]).toBe(block);
    expect(decls[2]).not.toBe(modelA);
  });

  it('re-parses only an edited block', () => {
    const next = edit(TEXT, TEXT.indexOf('units, relu'), 'relu'.length + 'units, '.length, 'units, tanh');
    const result = reparseAfterEdit(TEXT, parse(TEXT), next);
    expect(result).toBeDefined();
    expect(result).toEqual(parse(next));
  });

  it('re-parses a model whose syntax error the edit repairs, when the error was only there', () => {
    const broken = edit(TEXT, TEXT.indexOf('h2 = mlp'), 0, '= ');
    expect(parse(broken).diagnostics.length).toBeGreaterThan(0);
    const result = reparseAfterEdit(broken, parse(broken), TEXT);
    expect(result).toBeDefined();
    expect(result).toEqual(parse(TEXT));
  });

  it('returns the previous parse unchanged when the text is the same', () => {
    const previous = parse(TEXT);
    expect(reparseAfterEdit(TEXT, previous, TEXT)).toBe(previous);
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
      edit(TEXT, TEXT.indexOf('width = 16'), 0, 'x'), // inside a let (its end depends on what follows)
      edit(TEXT, TEXT.indexOf('model A'), 0, ' '), // before the keyword
      edit(TEXT, TEXT.indexOf('}\n\n/*'), 1, ''), // the model's closing brace
      edit(TEXT, TEXT.indexOf('h2 = mlp'), 0, '}\nmodel C {\n'), // splits the model in two
    ];
    for (const next of cases) expect(reparseAfterEdit(TEXT, previous, next)).toBeUndefined();
  });

  it('re-parses a model that the edit breaks, with the diagnostics of a full parse', () => {
    for (const insert of ['= =', 'dense(h1, ', 'h9 = dense(', '[', '"open']) {
      const next = edit(TEXT, TEXT.indexOf('h2 = mlp'), 0, insert);
      const result = reparseAfterEdit(TEXT, parse(TEXT), next);
      expect(result).toBeDefined();
      expect(result!.diagnostics.length).toBeGreaterThan(0);
      expect(result).toEqual(parse(next));
    }
  });

  it('equals a full parse at every keystroke of a statement typed into a model, and back', () => {
    const statement = 'h9 = dense(h1, [2, 3], relu) |> conv1d(4, "x") // done\n  ';
    for (const anchor of ['  output h2', '  output h1\n}']) {
      let text = TEXT;
      let previous = parse(text);
      let shortcuts = 0;
      const at = TEXT.indexOf(anchor) + 2;
      const steps = [...statement].map((_, i) => edit(TEXT, at, 0, statement.slice(0, i + 1)));
      for (const next of [...steps, ...steps.reverse().slice(1), TEXT]) {
        const quick = reparseAfterEdit(text, previous, next);
        const full = parse(next);
        if (quick) shortcuts++;
        expect(quick ?? full).toEqual(full);
        text = next;
        previous = full;
      }
      expect(shortcuts).toBeGreaterThan(statement.length * 1.5);
    }
  });

  it('declines when the previous parse had syntax errors outside the edited declaration', () => {
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
    let repairs = 0;
    for (let k = 0; k < 600; k++) {
      const at = random(text.length + 1);
      const next = edit(text, at, random(3), inserts[random(inserts.length)]!);
      const full = parse(next);
      const quick = reparseAfterEdit(text, previous, next);
      if (quick) {
        shortcuts++;
        if (previous.diagnostics.length > 0) repairs++;
        expect(quick).toEqual(full);
      }
      // Mostly keep edits that leave the text valid, so that the shortcut keeps being exercised;
      // sometimes carry a broken text on (the next edit may repair it), or start over.
      if (full.diagnostics.length === 0 || random(3) === 0) {
        text = next;
        previous = quick ?? full;
      } else if (random(4) === 0) {
        text = TEXT;
        previous = parse(TEXT);
      }
    }
    expect(shortcuts).toBeGreaterThan(20);
    expect(repairs).toBeGreaterThan(0);
  });
});
