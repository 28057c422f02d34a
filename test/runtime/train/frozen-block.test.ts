import { describe, expect, it } from 'vitest';
import { expectGanKeepsFrozen, trainOnWaves } from './frozen-helpers.js';
import { trainable } from './helpers.js';

/** A block frozen at its use (`enc(x, frozen: true)`): every layer it makes keeps its weights. */
const FROZEN_BLOCK = `
block enc(x, width) {
  h = dense(x, width, tanh)
  return h |> layernorm |> dense(4)
}
model F {
  input x: [batch, 4]
  input y: [batch, 2]
  a = x |> enc(8, frozen: true)
  b = x |> enc(6)
  out = dense(concat(a, b), 2)
  output out
  train {
    loss mse(out, y)
    optimizer adam(lr: 0.05)
    epochs 5  batch 8
    seed 2
  }
}
`;

describe('a block frozen at its use', () => {
  it('keeps every weight of that use through training (no gradient, no update), while the other use trains', async () => {
    const { plan, executor } = trainable(FROZEN_BLOCK);
    const weights = new Set(['a.bias', 'a.weight', 'a/h.bias', 'a/h.weight', 'a/layernorm.beta', 'a/layernorm.gamma']);
    const frozen = plan.tensors.filter((t) => weights.has(t.name));
    expect(frozen.map((t) => t.role)).toEqual(Array(6).fill('state'));
    expect(plan.update.some((s) => s.inputs.some((n) => n.startsWith('a/') || n.startsWith('a.')))).toBe(false);
    const { before, after } = await trainOnWaves(plan, executor);
    for (const t of frozen) expect(after.get(t.name), t.name).toEqual(before.get(t.name));
    for (const name of ['b/h.weight', 'b.weight', 'out.weight']) expect(after.get(name), name).not.toEqual(before.get(name));
    executor.dispose();
  });

  it('is respected by the GAN pair: the generator\'s frozen block keeps its weights while the rest trains', async () => {
    await expectGanKeepsFrozen('x = z |> body(frozen: true) |> dense(1)', 'x/body.', 'block body(z) {\n  return z |> dense(16, relu)\n}\n');
  });
});
