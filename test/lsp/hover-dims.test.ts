import { describe, expect, it } from 'vitest';
import type { MarkupContent } from 'vscode-languageserver';
import { hover } from '../../lsp/providers/hover.js';
import { at, contextFor } from './helpers.js';

describe('hover on a strided convolution over a symbolic length', () => {
  it('shows the floored length the plan evaluates (it showed (seq-3)/2+1, 4.5 at seq = 10)', () => {
    const text = 'model M {\n  input x: [batch, seq, 2]\n  h = conv1d(x, 4, 3, stride: 2)\n  output y = dense(h, 1)\n}\n';
    const value = (hover(contextFor(text), at(text, 'h =', 0))!.contents as MarkupContent).value;
    expect(value).toContain('(value) h: [batch, floor((seq-3)/2)+1, 4]');
  });
});
