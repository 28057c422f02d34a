import { describe, expect, it } from 'vitest';
import { checkSource } from '../../../compiler/index.js';
import type { LayerGraph } from '../layer-graph.js';
import { gradCheck } from './grad-check.js';

/**
 * Finite-difference checks of indexing and the axis ops, from source through the checker: slices with
 * steps, negative and reversed, indices, transpose, expand_dims and squeeze, stack, and padding with
 * zeros and by reflection. Each model makes `a` of the given sample shape from its input by a dense
 * layer (so the gradients reach parameters), applies the ops to get `b`, and predicts from it.
 */
async function check(sample: number[], body: string): Promise<void> {
  const units = sample.reduce((p, d) => p * d, 1);
  const text = `model G {
  input x: [batch, 3]
  input t: [batch, 2]
  a = dense(x, ${units}, tanh) |> reshape([${sample.join(', ')}])
${body}
  output y = b |> flatten |> dense(2)
  train { loss mse(y, t) }
}
`;
  const result = checkSource(text, { path: 'g.nnet' });
  expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
  const graph = result.models[0]!.graph;
  const node = (name: string, list: Array<{ name: string; node: number }>): number => list.find((e) => e.name === name)!.node;
  await gradCheck({ graph: { graph } as LayerGraph, loss: { kind: 'mse', pred: node('y', graph.outputs), target: node('t', graph.inputs) } });
}

describe('gradients: indexing and axis ops', () => {
  it('slices with a step, a negative start and a reversed axis', async () => {
    await check([4, 3], '  b = a[:, -3:, ::-2]');
  });

  it('an index drops an axis', async () => {
    await check([4, 3], '  b = a[:, 0] * a[:, -1]');
  });

  it('a symbolic axis: the first and last positions, and a slice from 1 (bound to 3 by the check)', async () => {
    const text = `model G {
  input x: [batch, seq, 3]
  input t: [batch, 2]
  a = dense(x, 4, tanh)
  output y = dense(a[:, 0] - a[:, -1] + mean(a[:, 1:], axis: 1), 2)
  train { loss mse(y, t) }
}
`;
    const result = checkSource(text, { path: 'g.nnet' });
    expect(result.diagnostics).toEqual([]);
    const graph = result.models[0]!.graph;
    await gradCheck({ graph: { graph } as LayerGraph, loss: { kind: 'mse', pred: graph.outputs[0]!.node, target: graph.inputs[1]!.node } });
  });

  it('transpose, expand_dims and squeeze', async () => {
    await check([2, 5, 3], '  b = squeeze(expand_dims(transpose(a, [0, 2, 3, 1]), 1), 1) + expand_dims(transpose(transpose(a)[:, 0]), -1)');
  });

  it('stack along a new middle axis', async () => {
    await check([3], '  b = stack(a, square(a), axis: 1)');
  });

  it('pad with zeros (asymmetric) and by reflection', async () => {
    await check([3, 3], '  b = pad(a, [1, 0], after: [0, 2]) + pad(a, [1, 1], after: [0, 1], mode: reflect)');
  });
});
