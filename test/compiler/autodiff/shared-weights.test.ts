import { describe, expect, it } from 'vitest';
import { checkSource } from '../../../compiler/index.js';
import { gradCheck } from './grad-check.js';

/** A shared block used twice in a chain: each weight feeds two layers, so its gradient is the sum over both uses. */
const SOURCE = `
shared block enc(x) {
  h = dense(x, 4, tanh)
  return dense(h, 3, sigmoid)
}
model M {
  input x: [batch, 3]
  input y: [batch, 3]
  b = x |> enc |> enc
  output b
}
`;

describe('gradients: shared weights', () => {
  it('a shared block\'s weights get the sum of their uses\' gradients (finite differences)', async () => {
    const model = checkSource(SOURCE).models[0]!;
    expect(model.graph.params).toHaveLength(4);
    const graph = model.graph;
    const pred = graph.outputs[0]!.node;
    const target = graph.inputs.find((i) => i.name === 'y')!.node;
    const { checked } = await gradCheck({ graph: { graph }, loss: { kind: 'mse', pred, target } });
    expect(checked).toBeGreaterThan(0);
  });
});
