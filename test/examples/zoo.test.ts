import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileGan, FROZEN_PREFIX, GAN_TARGET } from '../../compiler/gan/compile-gan.js';
import type { CompileResult } from '../../compiler/compile.js';
import { checkSource, compileModel } from '../../compiler/index.js';
import { createCpuExecutor } from '../../runtime/cpu/index.js';
import { makeDataset } from '../../runtime/data/dataset.js';
import { Random } from '../../runtime/data/random.js';
import type { Executor } from '../../runtime/executor.js';
import type { HostTensor } from '../../runtime/tensor.js';
import { readLoopConfig } from '../../runtime/train/config.js';
import { trainGan } from '../../runtime/train/gan-loop.js';

/**
 * examples/zoo/: every architecture checks clean, has the reference's trainable parameter count
 * (which its header states), and trains: a few steps on one small synthetic batch make the loss fall.
 * Sizes shrink only through the data (batch, sequence lengths); the one model whose input size is
 * fixed in the file and too large for a test (U-Net, 128×128) is trained at 16×16 by changing that
 * declaration alone, after its count was checked on the file as written.
 */
const ZOO = join(import.meta.dirname, '../../examples/zoo');
const read = (file: string): string => readFileSync(join(ZOO, file), 'utf8');

function checked(text: string) {
  const result = checkSource(text);
  expect(result.diagnostics).toEqual([]);
  expect(result.models.every((m) => m.ok)).toBe(true);
  return result;
}

/** The numbers of the header's "Reference: N ... trainable parameters" line(s), in order. */
function statedCounts(text: string): number[] {
  const header = text.split('\n').filter((l) => l.startsWith('//')).join(' ');
  const reference = /Reference: ([^.]*?)trainable parameters/.exec(header);
  expect(reference, 'the header states a reference count').not.toBeNull();
  return [...reference![1]!.matchAll(/\d{1,3}(?:,\d{3})+|\d+/g)].map((m) => Number(m[0].replace(/,/g, '')));
}

function executorOf(compiled: CompileResult): Executor {
  const plan = compiled.plan!;
  const weights = new Map<string, HostTensor>();
  for (const [name, data] of compiled.weights) {
    const t = plan.tensors.find((x) => x.name === name)!;
    weights.set(name, { shape: t.shape as number[], dtype: t.dtype, data });
  }
  return createCpuExecutor(plan, weights);
}

function trainable(text: string): Executor {
  const check = checked(text);
  const model = check.models[check.models.length - 1]!;
  const compiled = compileModel(check, model.name, { target: 'cpu', fuse: true, training: true, text, seed: 1 });
  expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return executorOf(compiled);
}

/** Reseeded before each model's batch, so a batch does not depend on which tests ran before it. */
let random = new Random(11);
const f32 = (shape: number[], fill: () => number = () => random.normal()): HostTensor => ({
  shape,
  dtype: 'f32',
  data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, fill),
});
const ints = (shape: number[], below: number): HostTensor => ({
  shape,
  dtype: 'i32',
  data: Int32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random.int(below)),
});
const oneHot = (rows: number, classes: number): HostTensor => {
  const t = f32([rows, classes], () => 0);
  for (let r = 0; r < rows; r++) t.data[r * classes + random.int(classes)] = 1;
  return t;
};

/** Word ids (1..vocab−1, 0 after each sentence's length) and tags (0 on padding) for a tagger. */
function padded(lengths: number[], steps: number, vocab: number, tags: number): Record<string, HostTensor> {
  const words = ints([lengths.length, steps], vocab - 1);
  const labels = ints([lengths.length, steps], tags);
  lengths.forEach((length, b) => {
    for (let t = 0; t < steps; t++) {
      words.data[b * steps + t] = t < length ? words.data[b * steps + t]! + 1 : 0;
      if (t >= length) labels.data[b * steps + t] = 0;
    }
  });
  return { words, labels };
}

/** Losses of `steps` optimizer steps on one batch, with the file's optimizer at its learning rate or `lr`. */
async function losses(executor: Executor, batch: Record<string, HostTensor>, steps: number, lr = readLoopConfig(executor.plan).lr): Promise<number[]> {
  const out: number[] = [];
  for (let s = 0; s < steps; s++) out.push((await executor.trainStep(batch, { lr, seed: s + 1 })).loss);
  return out;
}

function expectFalling(history: number[]): void {
  expect(history.every(Number.isFinite)).toBe(true);
  expect(history[history.length - 1]!).toBeLessThan(history[0]!);
}

interface Case {
  file: string;
  /** Trainable parameters of the reference, per model in file order. */
  params: number[];
  /** The source to train (the file, or the file with its fixed input size made smaller). */
  source?: (text: string) => string;
  batch: () => Record<string, HostTensor>;
  steps: number;
  /** A learning rate for this one small batch where the file's (chosen for full batches) overshoots it. */
  lr?: number;
}

const CASES: Case[] = [
  { file: 'lenet5.nnet', params: [61_706], batch: () => ({ image: f32([4, 28, 28]), label: ints([4], 10) }), steps: 5 },
  { file: 'vgg-bn.nnet', params: [9_231_114], batch: () => ({ image: f32([4, 32, 32, 3]), label: ints([4], 10) }), steps: 3, lr: 0.01 },
  { file: 'resnet20.nnet', params: [272_474], batch: () => ({ image: f32([2, 32, 32, 3]), label: ints([2], 10) }), steps: 4 },
  {
    file: 'unet.nnet',
    params: [31_030_658],
    source: (text) => text.replace('[batch, 128, 128, 1]', '[batch, 16, 16, 1]').replace('[batch, 128, 128] int', '[batch, 16, 16] int'),
    batch: () => ({ image: f32([1, 16, 16, 1]), mask: ints([1, 16, 16], 2) }),
    steps: 2,
  },
  { file: 'char-lstm.nnet', params: [874_881], batch: () => ({ chars: ints([2, 8], 65), next: ints([2, 8], 65) }), steps: 5 },
  {
    file: 'multitask.nnet',
    params: [1_392_097],
    batch: () => ({
      title: ints([4, 6], 10000),
      body: ints([4, 10], 10000),
      tags: f32([4, 12], () => (random.next() < 0.3 ? 1 : 0)),
      priority_target: f32([4, 1], () => random.next()),
      department_target: oneHot(4, 4),
    }),
    steps: 5,
  },
  // Four sentences of 7, 5, 3 and 2 words padded to 7 with id 0 (the mask), random tags (padding's: 0).
  { file: 'bilstm-tagger.nnet', params: [2_162_609], batch: () => padded([7, 5, 3, 2], 7, 20000, 9), steps: 5 },
  // Token ids and segments; the first token's class. The file's fine-tuning rate (5e-5) is for a
  // pre-trained encoder; from scratch on one batch, 1e-3 shows the fall in a few steps.
  {
    file: 'bert-tiny.nnet',
    params: [4_386_178],
    batch: () => ({ tokens: ints([4, 8], 30522), segments: ints([4, 8], 2), label: ints([4], 2) }),
    steps: 5,
    lr: 1e-3,
  },
  { file: 'gpt.nnet', params: [10_770_816], batch: () => ({ tokens: ints([2, 8], 65), next: ints([2, 8], 65) }), steps: 4 },
  // Pixels in [0, 1], the binary cross-entropy's targets; the sample ε is drawn afresh at every step.
  { file: 'vae.nnet', params: [134_165], batch: () => ({ image: f32([4, 28, 28], () => (random.next() < 0.2 ? 1 : 0)) }), steps: 5 },
];

describe('examples/zoo', () => {
  for (const c of CASES) {
    it(`${c.file}: the reference's ${c.params.join(' + ')} trainable parameters, stated in its header`, () => {
      const text = read(c.file);
      expect(text.startsWith('//')).toBe(true);
      expect(statedCounts(text)).toEqual(c.params);
      expect(checked(text).models.map((m) => m.trainableParams)).toEqual(c.params);
    });

    it(`${c.file}: the loss falls over ${c.steps} steps on a small synthetic batch`, async () => {
      const text = read(c.file);
      const executor = trainable(c.source ? c.source(text) : text);
      random = new Random(11);
      try {
        expectFalling(await losses(executor, c.batch(), c.steps, c.lr));
      } finally {
        executor.dispose();
      }
    });
  }

  it('dcgan.nnet: 3,576,704 + 2,765,568 trainable parameters (generator, discriminator), stated in its header', () => {
    const text = read('dcgan.nnet');
    expect(statedCounts(text)).toEqual([3_576_704, 2_765_568]);
    expect(checked(text).models.map((m) => m.trainableParams)).toEqual([3_576_704, 2_765_568]);
  });

  it("dcgan.nnet: the pair trains, and the discriminator's loss falls on a small synthetic set", async () => {
    const text = read('dcgan.nnet');
    const compiled = compileGan(checked(text), 'Dcgan', { target: 'cpu', fuse: true, text, seed: 1 });
    if (!compiled.ok) throw new Error(compiled.diagnostics.map((d) => d.message).join('\n'));
    const generator = executorOf(compiled.generator);
    const discriminator = executorOf(compiled.discriminator);
    random = new Random(11);
    // Two real "images" (a smooth gradient in [-1, 1], what tanh can produce), two epochs of one batch.
    const image = f32([2, 64, 64, 3], () => 0);
    for (let i = 0; i < image.data.length; i++) image.data[i] = Math.sin(i / 97);
    const names = { latent: 'z', fake: 'image', sample: 'image', target: GAN_TARGET, frozenPrefix: FROZEN_PREFIX };
    try {
      const report = await trainGan({ generator, discriminator, real: makeDataset({ image }), names, epochs: 2, batch: 2, lr: compiled.gan.optimizer.lr, seed: 1 });
      const d = report.history.map((r) => r.discriminatorLoss!);
      expect(report.history.every((r) => Number.isFinite(r.loss))).toBe(true);
      expectFalling(d);
    } finally {
      generator.dispose();
      discriminator.dispose();
    }
  });
});
