import { describe, expect, it } from 'vitest';
import type { CompletionItem, MarkupContent } from 'vscode-languageserver';
import { completion } from '../../lsp/providers/completion.js';
import { hover } from '../../lsp/providers/hover.js';
import { signatureHelp } from '../../lsp/providers/signature-help.js';
import { after, at, contextFor } from './helpers.js';

/** The wrapper form `bidirectional(lstm(...), merge: ...)` in the editor: hover, completion, signature help. */
const TEXT = `model Tagger {
  input words: [batch, seq] int
  e = words |> embedding(100, 8)
  h = bidirectional(lstm(e, 16, return_sequences: true, mask: words), merge: sum)
  g = e |> bidirectional(gru(4))
  output y = dense(h, 3) + dense(g, 3)
}
`;

const hoverText = (text: string, needle: string, nth = 0): string => (hover(contextFor(text), at(text, needle, 1, nth))!.contents as MarkupContent).value;
const labels = (items: CompletionItem[]): string[] => items.map((i) => i.label);

describe('bidirectional(...) hover', () => {
  it('on bidirectional: the wrapper signature, its doc and the merged shape of this call', () => {
    const text = hoverText(TEXT, 'bidirectional');
    expect(text).toContain('bidirectional(layer, merge = concat)');
    expect(text).toContain("Keras' `Bidirectional` wrapper");
    // lstm of 16 units each way, merged by sum: 16 features, the two directions' weights counted.
    expect(text).toContain('[batch, seq, 8], [batch, seq] int → [batch, seq, 16] · 3,200 params');
    expect(text).toContain('- `merge` (default `concat`)');
  });

  it('on the wrapped layer: its own doc and the shape the wrapped call computes', () => {
    const text = hoverText(TEXT, 'lstm(');
    expect(text).toContain('Long short-term memory layer');
    expect(text).toContain('[batch, seq, 8], [batch, seq] int → [batch, seq, 16] · 3,200 params');
  });

  it('in a pipeline stage: concat (the default) doubles the units', () => {
    expect(hoverText(TEXT, 'bidirectional', 1)).toContain('[batch, seq, 8] → [batch, 8] · 312 params');
    expect(hoverText(TEXT, 'gru(')).toContain('[batch, seq, 8] → [batch, 8] · 312 params');
  });
});

describe('bidirectional(...) completion', () => {
  const prefix = 'model T {\n  input e: [batch, seq, 8]\n  h = ';

  it('as its first argument offers the recurrent layers (then merge:), nothing else', () => {
    const text = `${prefix}bidirectional(`;
    const items = completion(contextFor(text), after(text, 'bidirectional('));
    expect(labels(items)).toEqual(['rnn', 'lstm', 'gru', 'merge:']);
    expect(items.find((i) => i.label === 'lstm')!.insertText).toBe('lstm(${1:x}, ${2:units})');
  });

  it('in a pipeline stage the wrapped layer takes no x, in the snippet and in the argument count', () => {
    const text = `${prefix}e |> bidirectional(`;
    expect(completion(contextFor(text), after(text, 'bidirectional(')).find((i) => i.label === 'gru')!.insertText).toBe('gru(${1:units})');
    const inner = `${prefix}e |> bidirectional(gru(4, `;
    const help = signatureHelp(contextFor(inner), after(inner, 'gru(4, '))!;
    expect(help.signatures[0]!.label).toMatch(/^gru\(x, units, return_sequences/);
    expect(help.activeParameter).toBe(2);
  });

  it('after the wrapped call offers merge:, and after merge: the merge modes alone', () => {
    const text = `${prefix}bidirectional(lstm(e, 4), `;
    expect(labels(completion(contextFor(text), after(text, 'lstm(e, 4), ')))[0]).toBe('merge:');
    const merge = `${prefix}bidirectional(lstm(e, 4), merge: `;
    expect(labels(completion(contextFor(merge), after(merge, 'merge: ')))).toEqual(['concat', 'sum', 'mul', 'ave']);
  });

  it("the recurrent layers' own bidirectional: offers its choices too", () => {
    const text = `${prefix}lstm(e, 4, bidirectional: `;
    expect(labels(completion(contextFor(text), after(text, 'bidirectional: ')))).toEqual(['none', 'concat', 'sum', 'mul', 'ave']);
  });
});

describe('bidirectional(...) signature help', () => {
  it('shows the wrapper and follows layer, then merge', () => {
    const text = 'model T {\n  input e: [batch, seq, 8]\n  h = bidirectional(lstm(e, 4), merge: sum)\n}\n';
    const first = signatureHelp(contextFor(text), after(text, 'bidirectional('))!;
    expect(first.signatures[0]!.label).toBe('bidirectional(layer, merge = concat)');
    expect(first.activeParameter).toBe(0);
    expect(signatureHelp(contextFor(text), after(text, 'merge: '))!.activeParameter).toBe(1);
    // Inside the wrapped call, the wrapped layer's own signature.
    expect(signatureHelp(contextFor(text), after(text, 'lstm(e, '))!.signatures[0]!.label).toMatch(/^lstm\(x, units/);
  });
});
