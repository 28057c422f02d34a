import { describe, expect, it } from 'vitest';
import { checkSource } from '../../../compiler/index.js';
import type { LayerGraph } from '../layer-graph.js';
import { gradCheck } from './grad-check.js';

/**
 * Finite-difference checks of `split` (docs/language.md, "Splitting a tensor"), from source through
 * the checker: each part is a slice of x, so the gradient of x is the parts' gradients laid side by
 * side (and zero under a discarded part). Tolerances are grad-check.ts's.
 */
async function check(body: string, sample = '[batch, 3]'): Promise<void> {
  const text = `model G {
  input x: ${sample}
  input t: [batch, 2]
${body}
  train { loss mse(y, t) }
}
`;
  const result = checkSource(text, { path: 'g.nnet' });
  expect(result.diagnostics.map((d) => d.message)).toEqual([]);
  const graph = result.models[0]!.graph;
  const node = (name: string, list: Array<{ name: string; node: number }>): number => list.find((e) => e.name === name)!.node;
  await gradCheck({ graph: { graph } as LayerGraph, loss: { kind: 'mse', pred: node('y', graph.outputs), target: node('t', graph.inputs) } });
}

describe('gradients: split', () => {
  it('equal parts along the last axis, each part used differently (a VAE head)', async () => {
    await check(`  h = dense(x, 8, tanh)
  mu, logvar = split(h, 2)
  output y = dense(mu * exp(0.5 * logvar), 2)`);
  });

  it('sizes along a middle axis, in a pipeline, with a discarded part', async () => {
    await check(`  h = dense(x, 12, tanh) |> reshape([4, 3])
  a, _, c = h |> split([1, 2, 1], axis: 1)
  output y = dense(flatten(a) - flatten(square(c)), 2)`);
  });

  it('inside a block, used twice', async () => {
    const text = `block gate(x) {
  a, b = split(x, 2)
  return a * sigmoid(b)
}
model G {
  input x: [batch, 3]
  input t: [batch, 2]
  output y = dense(x, 8) |> gate |> dense(4) |> gate
  train { loss mse(y, t) }
}
`;
    const result = checkSource(text, { path: 'g.nnet' });
    expect(result.diagnostics.map((d) => d.message)).toEqual([]);
    const graph = result.models[0]!.graph;
    await gradCheck({ graph: { graph } as LayerGraph, loss: { kind: 'mse', pred: graph.outputs[0]!.node, target: graph.inputs[1]!.node } });
  });
});
