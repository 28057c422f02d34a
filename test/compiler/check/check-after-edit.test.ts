import { describe, expect, it } from 'vitest';
import { checkSource, checkSourceAfterEdit } from '../../../compiler/index.js';

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
  '  output h1',
  '}',
  '',
].join('\n');

describe('checkSourceAfterEdit', () => {
  it('equals checkSource on a random edit sequence, valid and invalid', () => {
    let seed = 11;
    const random = (n: number): number => {
      seed = (seed * 48271) % 2147483647;
      return seed % n;
    };
    const inserts = ['1', '0', ' ', '\n', 'h1', '(', '}', 'relu', ', 4', 'x'];
    let text = TEXT;
    let previous = checkSource(text);
    for (let k = 0; k < 150; k++) {
      const at = random(text.length + 1);
      const next = text.slice(0, at) + inserts[random(inserts.length)]! + text.slice(at + random(3));
      const quick = checkSourceAfterEdit(next, { text, result: previous });
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
  });
});
