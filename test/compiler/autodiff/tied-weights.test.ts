import { describe, expect, it } from 'vitest';
import { checkSource } from '../../../compiler/index.js';
import { gradCheck } from './grad-check.js';

/** An output projection tied to the embedding table: the table's gradient sums the lookup's and the projection's. */
const SOURCE = `
model Lm {
  input ids: [batch, seq] int
  input next: [batch, seq] int
  emb = embedding(ids, 5, 4, table: normal(0.0, 0.5))
  h = dense(emb, 4, tanh)
  logits = dense(h, 5, weight: tied(emb))
  output logits
}
`;

describe('gradients: tied weights', () => {
  it('a weight tied to an embedding table gets the sum of both uses\' gradients (finite differences)', async () => {
    const model = checkSource(SOURCE).models[0]!;
    const graph = model.graph;
    expect(graph.params.map((p) => p.name)).toEqual(['emb.table', 'h.weight', 'h.bias', 'logits.bias']);
    const pred = graph.outputs[0]!.node;
    const target = graph.inputs.find((i) => i.name === 'next')!.node;
    const { checked } = await gradCheck({ graph: { graph }, loss: { kind: 'cross_entropy', fromLogits: true, sparse: true, pred, target }, classes: 5 });
    expect(checked).toBeGreaterThan(0);
  });
});
