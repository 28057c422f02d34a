import { describe, expect, it } from 'vitest';
import { compileGan, FROZEN_PREFIX, GAN_TARGET } from '../../../compiler/gan/compile-gan.js';
import type { CompileResult } from '../../../compiler/compile.js';
import { checkSource } from '../../../compiler/index.js';
import { createCpuExecutor } from '../../../runtime/cpu/index.js';
import { makeDataset } from '../../../runtime/data/dataset.js';
import type { HostTensor } from '../../../runtime/tensor.js';
import { readLoopConfig } from '../../../runtime/train/config.js';
import { generatorWeights, trainGan } from '../../../runtime/train/gan-loop.js';
import { trainModel } from '../../../runtime/train/loop.js';
import { trainable, TOY_GAN_SOURCE } from './helpers.js';

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

const copy = (weights: Map<string, HostTensor>) => new Map([...weights].map(([k, t]) => [k, Array.from(t.data)]));

describe('a block frozen at its use', () => {
  it('keeps every weight of that use through training (no gradient, no update), while the other use trains', async () => {
    const { plan, executor } = trainable(FROZEN_BLOCK);
    const weights = new Set(['a.bias', 'a.weight', 'a/h.bias', 'a/h.weight', 'a/layernorm.beta', 'a/layernorm.gamma']);
    const frozen = plan.tensors.filter((t) => weights.has(t.name));
    expect(frozen.map((t) => t.role)).toEqual(Array(6).fill('state'));
    expect(plan.update.some((s) => s.inputs.some((n) => n.startsWith('a/') || n.startsWith('a.')))).toBe(false);
    const before = copy(await executor.getWeights());
    const x = { shape: [32, 4], dtype: 'f32' as const, data: Float32Array.from({ length: 128 }, (_, i) => Math.sin(i)) };
    const y = { shape: [32, 2], dtype: 'f32' as const, data: Float32Array.from({ length: 64 }, (_, i) => Math.cos(i)) };
    const report = await trainModel({ executor, plan, config: readLoopConfig(plan), train: makeDataset({ x, y }) });
    expect(report.history.at(-1)!.loss).toBeLessThan(report.history[0]!.loss);
    const after = copy(await executor.getWeights());
    for (const t of frozen) expect(after.get(t.name), t.name).toEqual(before.get(t.name));
    for (const name of ['b/h.weight', 'b.weight', 'out.weight']) expect(after.get(name), name).not.toEqual(before.get(name));
    executor.dispose();
  });

  it('is respected by the GAN pair: the generator\'s frozen block keeps its weights while the rest trains', async () => {
    const source = `block body(z) {\n  return z |> dense(16, relu)\n}\n${TOY_GAN_SOURCE.replace('x = z |> dense(16, relu) |> dense(1)', 'x = z |> body(frozen: true) |> dense(1)')}`;
    const compiled = compileGan(checkSource(source), 'Toy', { target: 'cpu', fuse: true, text: source });
    if (!compiled.ok) throw new Error(compiled.diagnostics.map((d) => d.message).join('\n'));
    const executor = (c: CompileResult) => {
      const weights = new Map<string, HostTensor>();
      for (const [name, data] of c.weights) {
        const t = c.plan!.tensors.find((v) => v.name === name)!;
        weights.set(name, { shape: t.shape as number[], dtype: t.dtype, data });
      }
      return createCpuExecutor(c.plan!, weights);
    };
    const generator = executor(compiled.generator);
    const discriminator = executor(compiled.discriminator);
    const names = { latent: 'z', fake: 'x', sample: 'x', target: GAN_TARGET, frozenPrefix: FROZEN_PREFIX };
    const before = copy(await generatorWeights({ generator, names }));
    const real = makeDataset({ x: { shape: [64, 1], dtype: 'f32', data: Float32Array.from({ length: 64 }, (_, i) => 2 + Math.sin(i) / 2) } });
    await trainGan({ generator, discriminator, real, names, epochs: 2, batch: 32, lr: 1e-2, seed: 1 });
    const after = copy(await generatorWeights({ generator, names }));
    const frozen = [...before.keys()].filter((k) => k.startsWith('x/body.'));
    const trained = [...before.keys()].filter((k) => k.startsWith('x.'));
    expect(frozen.length).toBe(2);
    expect(trained.length).toBe(2);
    for (const name of frozen) expect(after.get(name), name).toEqual(before.get(name));
    for (const name of trained) expect(after.get(name), name).not.toEqual(before.get(name));
    generator.dispose();
    discriminator.dispose();
  });
});
