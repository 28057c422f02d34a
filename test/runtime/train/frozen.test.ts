import { describe, expect, it } from 'vitest';
import { checkSource } from '../../../compiler/index.js';
import { expectGanKeepsFrozen, trainOnWaves } from './frozen-helpers.js';
import { trainable } from './helpers.js';

const FROZEN = `
model F {
  input x: [batch, 4]
  input y: [batch, 2]
  h = dense(x, 8, tanh, frozen: true)
  n = layernorm(h, frozen: true)
  out = dense(n, 2)
  output out
  train {
    loss mse(out, y)
    optimizer adam(lr: 0.05)
    epochs 5  batch 8
    seed 2
  }
}
`;

describe('frozen layers', () => {
  it('count as non-trainable, get no gradient and no update step, and keep their weights through training', async () => {
    const check = checkSource(FROZEN);
    const model = check.models[0]!;
    expect(model.totalParams - model.trainableParams).toBe(4 * 8 + 8 + 8 + 8);
    const { plan, executor } = trainable(FROZEN);
    expect(plan.update.some((s) => s.inputs[0]?.startsWith('h.') || s.inputs[0]?.startsWith('n.'))).toBe(false);
    expect(plan.tensors.filter((t) => t.name.startsWith('h.') || t.name.startsWith('n.')).map((t) => t.role)).toEqual(['state', 'state', 'state', 'state']);
    const { before, after } = await trainOnWaves(plan, executor);
    for (const name of ['h.weight', 'h.bias', 'n.gamma', 'n.beta']) expect(after.get(name), name).toEqual(before.get(name));
    expect(after.get('out.weight')).not.toEqual(before.get('out.weight'));
    executor.dispose();
  });

  it('are respected by the GAN pair: a frozen generator layer keeps its weights while the rest trains', async () => {
    await expectGanKeepsFrozen('x = z |> dense(16, relu, frozen: true) |> dense(1)', 'x/dense.');
  });
});
