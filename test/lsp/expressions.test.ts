import { describe, expect, it } from 'vitest';
import type { CompletionItem, MarkupContent } from 'vscode-languageserver';
import { completion } from '../../lsp/providers/completion.js';
import { hover } from '../../lsp/providers/hover.js';
import { after, at, contextFor } from './helpers.js';

/** The editor on tensor arithmetic, the math ops and indexing: hover on operators and brackets, completion of the new ops. */
const text = `model M {
  input x: [batch, seq, 4]
  input y: [4]
  d = x - y
  h = d * 0.5
  first = x[:, 0]
  s = sum(x, axis: -1)
  output o = first + s[:, 0:1] + h[:, 0]
}
`;
const ctx = contextFor(text);

function hoverText(needle: string, delta: number): string {
  return (hover(ctx, at(text, needle, delta))!.contents as MarkupContent).value;
}

describe('the editor on expressions', () => {
  it('hover on an operator between tensors shows the op, the shapes and its documentation', () => {
    const value = hoverText('x - y', 2);
    expect(value).toMatch(/^```nnet\nsubtract\(a, b\)/);
    expect(value).toContain('[batch, seq, 4], [4] → [batch, seq, 4]');
    expect(value).toContain('broadcasting');
  });

  it('hover on an operator with a number and on an index shows what it computes', () => {
    expect(hoverText('d * 0.5', 2)).toBe('**scale** [batch, seq, 4] → [batch, seq, 4]');
    expect(hoverText('x[:, 0]', 2)).toBe('**index** [batch, seq, 4] → [batch, 4]');
  });

  it('hover on a reduction shows its signature and the reduced shape', () => {
    const value = hoverText('sum(x', 1);
    expect(value).toMatch(/^```nnet\nsum\(x, axis = all, keepdims = false\)/);
    expect(value).toContain('[batch, seq, 4] → [batch, seq]');
  });

  it('completion offers the math and axis ops where a value goes', () => {
    const labels = completion(ctx, after(text, 'output o = ')).map((i: CompletionItem) => i.label);
    for (const op of ['exp', 'sqrt', 'clip', 'mean', 'max', 'transpose', 'pad', 'stack', 'subtract']) expect(labels, op).toContain(op);
  });
});
