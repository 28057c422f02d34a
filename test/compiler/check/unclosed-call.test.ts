import { describe, expect, it } from 'vitest';
import { checkSource } from '../../../compiler/index.js';

// Issue 10: an unclosed `dropout(0.3` swallowed the next pipeline stage (`0.3 |> dense(4)`) and
// cascaded into a second error at its argument.
describe('an unclosed call', () => {
  it('reports only the missing ) , not the errors of what it swallowed', () => {
    const text = 'model M {\n  input x: [batch, 4]\n  h = x\n    |> dense(8)\n    |> dropout(0.3\n    |> dense(4)\n  output y = dense(h, 1)\n}\n';
    const errors = checkSource(text).diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => `${d.code} ${d.message}`)).toEqual(["NN1011 expected ')' to close the call to dropout opened at 5:15"]);
  });
  it('keeps a real error outside the unclosed call', () => {
    const text = 'model M {\n  input x: [batch, 4]\n  h = dense(x, 8) |> dropout(0.3\n  output y = dense(h, nope)\n}\n';
    const codes = checkSource(text).diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);
    expect(codes).toContain('NN1011');
    expect(codes.length).toBeGreaterThan(1);
  });
});
