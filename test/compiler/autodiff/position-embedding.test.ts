import { describe, expect, it } from 'vitest';
import { checkSource } from '../../../compiler/index.js';
import { gradCheck } from './grad-check.js';

/**
 * position_embedding: the table's gradient is the output gradient summed over the batch, in the
 * first seq rows (seq is bound to 3 by the check; rows 3.. of the 6 get none), and x's passes through.
 */
const SOURCE = `
model Positions {
  input ids: [batch, seq] int
  input label: [batch] int
  h = ids |> embedding(5, 4, table: normal(0.0, 0.5)) |> position_embedding(6, table: normal(0.0, 0.5))
  logits = concat(h[:, 0], mean(h |> dense(4, tanh), axis: 1)) |> dense(3)
  output logits
}
`;

describe('gradients: position_embedding', () => {
  it('the table and the token embedding match central differences', async () => {
    const model = checkSource(SOURCE).models[0]!;
    const graph = model.graph;
    expect(graph.params.map((p) => p.name).slice(0, 2)).toEqual(['h/embedding.table', 'h.table']);
    const pred = graph.outputs[0]!.node;
    const target = graph.inputs.find((i) => i.name === 'label')!.node;
    const { checked } = await gradCheck({ graph: { graph }, loss: { kind: 'cross_entropy', fromLogits: true, sparse: true, pred, target }, classes: 3, samples: 24 });
    expect(checked).toBeGreaterThan(0);
  });
});
