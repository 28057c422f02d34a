import { describe, expect, it } from 'vitest';
import { compileGan, FROZEN_PREFIX, GAN_TARGET } from '../../../compiler/gan/compile-gan.js';
import type { CompileResult } from '../../../compiler/compile.js';
import { checkSource } from '../../../compiler/index.js';
import { createCpuExecutor } from '../../../runtime/cpu/index.js';
import { makeDataset } from '../../../runtime/data/dataset.js';
import { Random } from '../../../runtime/data/random.js';
import type { HostTensor } from '../../../runtime/tensor.js';
import { generatorWeights, trainGan } from '../../../runtime/train/gan-loop.js';
import { TOY_GAN_SOURCE } from './helpers.js';

const names = { latent: 'z', fake: 'x', sample: 'x', target: GAN_TARGET, frozenPrefix: FROZEN_PREFIX };

function executor(compiled: CompileResult) {
  const plan = compiled.plan!;
  const weights = new Map<string, HostTensor>();
  for (const [name, data] of compiled.weights) {
    const t = plan.tensors.find((x) => x.name === name)!;
    weights.set(name, { shape: t.shape as number[], dtype: t.dtype, data });
  }
  return createCpuExecutor(plan, weights);
}

function setup() {
  const compiled = compileGan(checkSource(TOY_GAN_SOURCE), 'Toy', { target: 'cpu', fuse: true, text: TOY_GAN_SOURCE });
  if (!compiled.ok) throw new Error(compiled.diagnostics.map((d) => d.message).join('\n'));
  const random = new Random(7);
  const data = Float32Array.from({ length: 1024 }, () => 2 + 0.5 * random.normal());
  return { gan: compiled.gan, generator: executor(compiled.generator), discriminator: executor(compiled.discriminator), real: makeDataset({ x: { shape: [1024, 1], dtype: 'f32', data } }), random };
}

async function statistics(generator: ReturnType<typeof setup>['generator'], random: Random): Promise<{ mean: number; std: number }> {
  const z = Float32Array.from({ length: 4096 * 4 }, () => random.normal());
  const xs = Array.from((await generator.infer({ z: { shape: [4096, 4], dtype: 'f32', data: z } })).x!.data);
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
  return { mean, std };
}

describe('trainGan', () => {
  it('learns a 1-D Gaussian: the generated mean within 0.25 of 2, the spread within 0.25 of 0.5', async () => {
    const { gan, generator, discriminator, real, random } = setup();
    const before = await statistics(generator, random);
    expect(Math.abs(before.mean - 2)).toBeGreaterThan(1); // untrained, it is nowhere near
    const report = await trainGan({ generator, discriminator, real, names, epochs: gan.epochs, batch: gan.batch, lr: gan.optimizer.lr, seed: gan.seed });
    expect(report.history).toHaveLength(30);
    // At the equilibrium the discriminator cannot tell: its loss near ln 4 / 2 = 0.693 per sample.
    expect(report.history[29]!.discriminatorLoss).toBeGreaterThan(0.6);
    const after = await statistics(generator, random);
    expect(Math.abs(after.mean - 2)).toBeLessThan(0.25);
    expect(Math.abs(after.std - 0.5)).toBeLessThan(0.25);
  });

  it("steps the generator without touching the discriminator's weights, and keeps its copy of them current", async () => {
    const { generator, discriminator, real } = setup();
    const d0 = await discriminator.getWeights();
    const g0 = await generatorWeights({ generator, names });
    await trainGan({ generator, discriminator, real: makeDataset({ x: { ...real.fields.x!, shape: [32, 1], data: real.fields.x!.data.slice(0, 32) } }), names, epochs: 1, batch: 32, lr: 1e-2, seed: 1 });
    const d1 = await discriminator.getWeights();
    const g1 = await generatorWeights({ generator, names });
    const frozen = await generator.getWeights();
    for (const [name, t] of d1) {
      expect([...t.data]).not.toEqual([...d0.get(name)!.data]); // the discriminator step changed it...
      expect([...frozen.get(FROZEN_PREFIX + name)!.data]).toEqual([...t.data]); // ...and the copy followed
    }
    expect([...g1.keys()].sort()).toEqual([...g0.keys()].sort());
    expect([...g1.keys()].some((n) => n.startsWith(FROZEN_PREFIX))).toBe(false);
    for (const [name, t] of g1) expect([...t.data]).not.toEqual([...g0.get(name)!.data]);
  });

  it('names the field it needs when the data lacks it', async () => {
    const { generator, discriminator } = setup();
    const wrong = makeDataset({ y: { shape: [4, 1], dtype: 'f32', data: new Float32Array(4) } });
    await expect(trainGan({ generator, discriminator, real: wrong, names, epochs: 1, batch: 4, lr: 1e-3, seed: 0 })).rejects.toThrow(/no field 'x'.*it has y/);
  });
});
