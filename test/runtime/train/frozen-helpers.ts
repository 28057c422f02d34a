import { expect } from 'vitest';
import { compileGan, FROZEN_PREFIX, GAN_TARGET } from '../../../compiler/gan/compile-gan.js';
import type { CompileResult } from '../../../compiler/compile.js';
import { checkSource } from '../../../compiler/index.js';
import { createCpuExecutor } from '../../../runtime/cpu/index.js';
import { makeDataset } from '../../../runtime/data/dataset.js';
import type { Executor } from '../../../runtime/executor.js';
import type { Plan } from '../../../runtime/plan/format.js';
import type { HostTensor } from '../../../runtime/tensor.js';
import { readLoopConfig } from '../../../runtime/train/config.js';
import { generatorWeights, trainGan } from '../../../runtime/train/gan-loop.js';
import { trainModel } from '../../../runtime/train/loop.js';
import { TOY_GAN_SOURCE } from './helpers.js';

/** What frozen layers and frozen block uses are checked by: weights before and after some training. */
type Snapshot = Map<string, number[]>;
const snapshot = (weights: Map<string, HostTensor>): Snapshot => new Map([...weights].map(([k, t]) => [k, Array.from(t.data)]));

/**
 * Trains a model of inputs x [batch, 4] and y [batch, 2] on 32 fixed samples with its own train
 * section; expects the loss to fall, and returns the weights before and after.
 */
export async function trainOnWaves(plan: Plan, executor: Executor): Promise<{ before: Snapshot; after: Snapshot }> {
  const before = snapshot(await executor.getWeights());
  const x = { shape: [32, 4], dtype: 'f32' as const, data: Float32Array.from({ length: 128 }, (_, i) => Math.sin(i)) };
  const y = { shape: [32, 2], dtype: 'f32' as const, data: Float32Array.from({ length: 64 }, (_, i) => Math.cos(i)) };
  const report = await trainModel({ executor, plan, config: readLoopConfig(plan), train: makeDataset({ x, y }) });
  expect(report.history.at(-1)!.loss).toBeLessThan(report.history[0]!.loss);
  return { before, after: snapshot(await executor.getWeights()) };
}

/**
 * TOY_GAN_SOURCE with its generator line `x = …` replaced by `generatorLine` (and `prelude` before it),
 * trained for two epochs: the generator's two weights under `frozenPrefix` must keep their values
 * and its two output weights (`x.`) must change.
 */
export async function expectGanKeepsFrozen(generatorLine: string, frozenPrefix: string, prelude = ''): Promise<void> {
  const source = prelude + TOY_GAN_SOURCE.replace('x = z |> dense(16, relu) |> dense(1)', generatorLine);
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
  const before = snapshot(await generatorWeights({ generator, names }));
  const real = makeDataset({ x: { shape: [64, 1], dtype: 'f32', data: Float32Array.from({ length: 64 }, (_, i) => 2 + Math.sin(i) / 2) } });
  await trainGan({ generator, discriminator, real, names, epochs: 2, batch: 32, lr: 1e-2, seed: 1 });
  const after = snapshot(await generatorWeights({ generator, names }));
  const frozen = [...before.keys()].filter((k) => k.startsWith(frozenPrefix));
  const trained = [...before.keys()].filter((k) => k.startsWith('x.'));
  expect(frozen.length).toBe(2);
  expect(trained.length).toBe(2);
  for (const name of frozen) expect(after.get(name), name).toEqual(before.get(name));
  for (const name of trained) expect(after.get(name), name).not.toEqual(before.get(name));
  generator.dispose();
  discriminator.dispose();
}
