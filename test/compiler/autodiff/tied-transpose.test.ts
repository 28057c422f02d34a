import { describe, expect, it } from 'vitest';
import { checkSource } from '../../../compiler/index.js';
import { gradCheck } from './grad-check.js';

/** A decoder reading its encoder's weight transposed: the one tensor's gradient sums both uses'. */
const SOURCE = `
model Ae {
  input x: [batch, 5]
  enc = dense(x, 3, tanh, weight: normal(0.0, 0.5))
  dec = dense(enc, 5, weight: tied(enc, transpose: true))
  output dec
}
`;

describe('gradients: a weight tied transposed', () => {
  it('the encoder weight, read [3, 5] by one layer and [5, 3] by the other, matches central differences', async () => {
    const model = checkSource(SOURCE).models[0]!;
    const graph = model.graph;
    expect(graph.params.map((p) => p.name)).toEqual(['enc.weight', 'enc.bias', 'dec.bias']);
    const pred = graph.outputs[0]!.node;
    const target = graph.inputs.find((i) => i.name === 'x')!.node;
    const { checked } = await gradCheck({ graph: { graph }, loss: { kind: 'mse', pred, target } });
    expect(checked).toBeGreaterThan(0);
  });
});
