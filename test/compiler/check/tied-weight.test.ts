import { describe, expect, it } from 'vitest';
import { checkSource } from '../../../compiler/index.js';

const TIED = `
model Lm {
  input ids: [batch, seq] int
  emb = embedding(ids, 11, 6)
  h = dense(emb, 6, tanh)
  logits = dense(h, 11, weight: tied(emb))
  output logits
}
`;

const errors = (source: string) => checkSource(source).diagnostics.filter((d) => d.severity === 'error');

describe('tied weights', () => {
  it('reuse the named layer\'s weight node, counted once in the summary', () => {
    expect(errors(TIED)).toEqual([]);
    const model = checkSource(TIED).models[0]!;
    expect(model.graph.params.map((p) => p.name)).toEqual(['emb.table', 'h.weight', 'h.bias', 'logits.bias']);
    expect(model.totalParams).toBe(11 * 6 + 6 * 6 + 6 + 11);
    expect(model.summary.find((r) => r.layer === 'logits')!.params).toBe(11);
    const table = model.graph.params[0]!.node;
    expect(model.graph.nodes.find((n) => n.op === 'dense' && n.origin.layer === 'logits')!.inputs).toContain(table);
  });

  it('report a weight of the wrong shape at the tie, with both shapes and where the value is computed', () => {
    const source = TIED.replace('dense(h, 11, weight: tied(emb))', 'dense(h, 12, weight: tied(emb))');
    const [error, ...rest] = errors(source);
    expect(rest).toEqual([]);
    expect([error!.code, error!.message]).toEqual(['NN2031', "tied(emb) gives 'emb.table' of shape [11, 6], but the weight of dense needs [12, 6]"]);
    expect(source.slice(error!.range.start, error!.range.end)).toBe('tied(emb)');
    expect(source.slice(error!.related![0]!.range.start, error!.related![0]!.range.end)).toBe('embedding(ids, 11, 6)');
  });

  it('report an unknown value with a did-you-mean fix, and a layer without weights', () => {
    const unknown = errors(TIED.replace('tied(emb)', 'tied(embb)'));
    expect(unknown.map((d) => [d.code, d.message])).toEqual([['NN2001', "'embb' is not defined; did you mean 'emb'?"]]);
    expect(unknown[0]!.fix?.edits[0]!.newText).toBe('emb');
    const noWeight = errors(TIED.replace('h = dense(emb, 6, tanh)', 'h = relu(emb)').replace('tied(emb)', 'tied(h)'));
    expect(noWeight.map((d) => [d.code, d.message])).toEqual([['NN2031', 'tied(h) gives no weight (its relu has none), but the weight of dense needs [11, 6]']]);
  });
});
