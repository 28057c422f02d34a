import { beforeEach, describe, expect, it, vi } from 'vitest';
import { checkModel } from '../../../compiler/check/model-statements.js';
import { checkSource, checkSourceAfterEdit } from '../../../compiler/index.js';

// Counts the models actually checked, to see which checks an edit reused.
vi.mock('../../../compiler/check/model-statements.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../compiler/check/model-statements.js')>();
  return { ...original, checkModel: vi.fn(original.checkModel) };
});
const checked = vi.mocked(checkModel);
const modelsChecked = (): string[] => checked.mock.calls.map(([, decl]) => decl.name.name);
beforeEach(() => {
  checked.mockClear();
});

// Several models sharing blocks (one declared after its users, one never used), a block with an
// error that two models expand (its note points at the first use), constants, a gan over two models.
const TEXT = [
  'let width = 16',
  '',
  'block mlp(x, units) {',
  '  h = dense(x, units, relu)',
  '  return dense(h, units)',
  '}',
  '',
  'model A {',
  '  input x: [batch, 8]',
  '  input t: [batch, 8]',
  '  h1 = dense(x, width, relu)  // first',
  '  h2 = mlp(h1, 8)',
  '  h3 = h2 |> dense(8, relu) |> dropout(0.1)',
  '  output h3',
  '  train {',
  '    loss mse(h3, t)',
  '    optimizer adam(lr: 1e-3)',
  '  }',
  '}',
  '',
  'model B {',
  '  input x: [batch, 4]',
  '  h1 = mlp(x, 4)',
  '  h2 = later(h1)',
  '  output h2',
  '}',
  '',
  'model G {',
  '  input z: [batch, 4]',
  '  img = z |> mlp(width) |> dense(6, tanh)',
  '  output img',
  '}',
  '',
  'model D {',
  '  input img: [batch, 6]',
  '  p = later(img) |> dense(1)',
  '  output p',
  '}',
  '',
  '/* after its users; warns (unused z) once per use, with a note at the first use */',
  'block later(x) {',
  '  y = dense(x, 3, tanh)',
  '  z = dense(x, 5)',
  '  return y',
  '}',
  '',
  'block unused(x) {',
  '  return dense(x, 2)',
  '}',
  '',
  'gan pair {',
  '  generator G',
  '  discriminator D',
  '}',
  '',
].join('\n');

function edit(text: string, anchor: string, insert: string, remove = 0): string {
  const at = text.indexOf(anchor);
  expect(at).toBeGreaterThanOrEqual(0);
  return text.slice(0, at) + insert + text.slice(at + remove);
}

describe('checkSourceAfterEdit', () => {
  it('checks only the edited model again, and moves the others', () => {
    const previous = checkSource(TEXT);
    checked.mockClear();
    const next = edit(TEXT, 'h1 = mlp(x, 4)', '  hb = dense(x, 4)\n  output hb\n');
    const quick = checkSourceAfterEdit(next, { text: TEXT, result: previous });
    expect(modelsChecked()).toEqual(['B']);
    expect(quick).toEqual(checkSource(next));
  });

  it('reuses every model while the edit is inside one that has a syntax error', () => {
    const broken = edit(TEXT, 'h1 = mlp(x, 4)', 'h0 = dense(x, ');
    const previous = checkSource(broken);
    expect(previous.diagnostics.some((d) => d.code.startsWith('NN1'))).toBe(true);
    checked.mockClear();
    const next = edit(broken, 'h0 = dense(x, ', '4', 'h0 = dense(x, '.length);
    const quick = checkSourceAfterEdit(next, { text: broken, result: previous });
    expect(modelsChecked()).toEqual(['B']);
    expect(quick).toEqual(checkSource(next));
  });

  it('checks again the models that expand an edited block, and every model after an edit to a constant or a model name', () => {
    const previous = checkSource(TEXT);
    const cases: Array<[string, string[]]> = [
      [edit(TEXT, 'tanh)\n  z =', 'sigmoid)\n  z =', 'tanh)\n  z ='.length), ['B', 'D']],
      [edit(TEXT, 'units, relu)', 'units, tanh)', 'units, relu)'.length), ['A', 'B', 'G']],
      [edit(TEXT, 'return dense(x, 2)', 'return dense(x, 3)', 'return dense(x, 2)'.length), []],
      [edit(TEXT, '16', '8', 2), ['A', 'B', 'G', 'D']],
      [edit(TEXT, 'B {', 'C {', 3), ['A', 'C', 'G', 'D']],
    ];
    for (const [next, models] of cases) {
      checked.mockClear();
      const quick = checkSourceAfterEdit(next, { text: TEXT, result: previous });
      expect(modelsChecked()).toEqual(models);
      expect(quick).toEqual(checkSource(next));
    }
  });

  it('keeps the previous result intact', () => {
    const previous = checkSource(TEXT);
    const snapshot = structuredClone(previous);
    checkSourceAfterEdit(edit(TEXT, 'h1 = mlp(x, 4)', '  hb = dense(x, 4)\n'), { text: TEXT, result: previous });
    expect(previous).toEqual(snapshot);
  });

  it('equals checkSource on a random edit sequence, valid and invalid', () => {
    let seed = 11;
    const random = (n: number): number => {
      seed = (seed * 48271) % 2147483647;
      return seed % n;
    };
    const inserts = ['1', '0', ' ', '\n', 'h1', '(', '}', 'relu', ', 4', 'x', '', '', 'img', 'later(h1)', '// c\n'];
    let text = TEXT;
    let previous = checkSource(text);
    let quickChecks = 0;
    for (let k = 0; k < 400; k++) {
      const at = random(text.length + 1);
      const next = text.slice(0, at) + inserts[random(inserts.length)]! + text.slice(at + random(3));
      checked.mockClear();
      const quick = checkSourceAfterEdit(next, { text, result: previous });
      quickChecks += checked.mock.calls.length;
      expect(quick).toEqual(checkSource(next));
      // Mostly keep valid texts (where the shortcut applies), sometimes carry an invalid one on.
      if (!quick.diagnostics.some((d) => d.severity === 'error') || random(5) === 0) {
        text = next;
        previous = quick;
      } else if (random(3) === 0) {
        text = TEXT;
        previous = checkSource(TEXT);
      }
    }
    // Four models per text: most edits land in one model and reuse the other three.
    expect(quickChecks).toBeLessThan(400 * 4 * 0.6);
  });
});
