import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { compileModel } from '../../../compiler/compile.js';
import { checkSource } from '../../../compiler/index.js';
import { createStepResult } from '../../../runtime/executor.js';
import { createCpuExecutor } from '../../../runtime/cpu/index.js';
import type { HostTensor } from '../../../runtime/tensor.js';
import { random } from './float-data.js';

/**
 * A steady-state training step allocates nothing on the JS heap (issue 9): the step the training
 * loop calls on the CPU (trainStepSync with its reused options and result record, reading back the
 * prediction), on models large enough for the WASM SIMD kernels, the worker pool and the optimizer's
 * packing update: a dense stack (and one with label smoothing and class weights, one with a VAE's
 * KL term: the JS math, split and broadcast kernels), a conv net
 * (indirect convolutions, pooling and their gradients), a strided convolution (its input gradient
 * phase by phase: conv-phases.ts), grouped convolutions with group norm, depthwise convolutions
 * (depthwise-simd.ts), one with a multiplier and a stride, and batch norm, upsampling and layer norm.
 * Measured as bench/cpu/measure.mjs does: the bytes V8's young generation took in over the steps
 * (what collections took out of it plus its growth), after warm-up steps that let V8 optimize the
 * code (until then the interpreter boxes numbers). The least of up to MAX_WINDOWS measurements:
 * optimizing the code late (here, after the model before has run the same kernels on other shapes)
 * allocates in some of them, a step that allocates does in every one. The second model guards what a
 * process that trains one model after another needs too: a function whose rare path makes a closure
 * allocates its context on every call once V8 has optimized it with that path (tileEpilogue did,
 * 150 bytes a call, for the second model only). Under vitest, V8 does not optimize array destructuring
 * away as it does in a plain Node: `const [x, w] = inputs` in a kernel makes an iterator per call
 * (~200 B a step in the grouped and depthwise kernels' entry points), so the kernels index.
 */
const SOURCE = `
model Dense {
  input x: [batch, 64]
  input label: [batch] int
  h1 = dense(x, 128, relu)
  h2 = dense(h1, 64, relu)
  logits = dense(h2, 10)
  output probs = softmax(logits)
  train { loss cross_entropy(logits, label)  optimizer adam(lr: 1e-3)  batch 32  seed 1 }
}
model Smoothed {
  input x: [batch, 64]
  input label: [batch] int
  h1 = dense(x, 128, relu)
  logits = dense(h1, 10)
  output probs = softmax(logits)
  train {
    loss cross_entropy(logits, label, label_smoothing: 0.1, class_weights: [1, 2, 1, 2, 1, 2, 1, 2, 1, 2])
    optimizer adam(lr: 1e-3)  batch 32  seed 1
  }
}
model Latent {
  input x: [batch, 64]
  input label: [batch] int
  stats = dense(x, 8)
  m, v = split(stats, 2)
  z = m + exp(0.5 * v) * m
  logits = dense(concat(z, m), 10)
  output probs = softmax(logits)
  kl = mean(sum(-0.5 * (1 + v - square(m) - exp(v)), axis: -1))
  train { loss cross_entropy(logits, label) + kl  optimizer adam(lr: 1e-3)  batch 32  seed 1 }
}
model Tokens {
  input x: [batch, 6] int
  input label: [batch] int
  e = embedding(x, 50, 16)
  h = dense(flatten(e), 32, relu)
  logits = dense(h, 10)
  output probs = softmax(logits)
  train { loss cross_entropy(logits, label)  optimizer adam(lr: 1e-3)  batch 2  seed 1 }
}
model Conv {
  input x: [batch, 12, 12, 1]
  input label: [batch] int
  c1 = conv2d(x, 8, 3, activation: relu)
  p1 = maxpool2d(c1, 2)
  c2 = conv2d(p1, 16, 3, activation: relu)
  logits = dense(flatten(c2), 10)
  output probs = softmax(logits)
  train { loss cross_entropy(logits, label)  optimizer adam(lr: 1e-3)  batch 16  seed 1 }
}
model Strided {
  input x: [batch, 16, 16, 4]
  input label: [batch] int
  c1 = conv2d(x, 8, 3, activation: relu)
  c2 = conv2d(c1, 16, 3, stride: 2, padding: same, activation: relu)
  logits = dense(flatten(c2), 10)
  output probs = softmax(logits)
  train { loss cross_entropy(logits, label)  optimizer adam(lr: 1e-3)  batch 8  seed 1 }
}
model Sparse {
  input x: [batch, 6, 6, 8]
  input label: [batch] int
  c1 = conv2d(x, 16, 3, activation: relu)
  c2 = conv2d(c1, 16, 3, activation: relu)
  logits = dense(flatten(c2), 10)
  output probs = softmax(logits)
  train { loss cross_entropy(logits, label)  optimizer adam(lr: 1e-3)  batch 8  seed 1 }
}
model Winograd {
  input x: [batch, 10, 10, 16]
  input label: [batch] int
  c1 = conv2d(x, 16, 3, padding: same, activation: relu)
  c2 = conv2d(c1, 24, 3, activation: leaky_relu)
  logits = dense(flatten(c2), 10)
  output probs = softmax(logits)
  train { loss cross_entropy(logits, label)  optimizer adam(lr: 1e-3)  batch 8  seed 1 }
}
model Grouped {
  input x: [batch, 12, 12, 8]
  input label: [batch] int
  c1 = conv2d(x, 16, 3, groups: 4, activation: relu)
  n1 = conv2d(c1, 16, 3, groups: 2) |> groupnorm(4) |> relu
  logits = dense(flatten(n1), 10)
  output probs = softmax(logits)
  train { loss cross_entropy(logits, label)  optimizer adam(lr: 1e-3)  batch 8  seed 1 }
}
model Norms {
  input x: [batch, 8, 8, 4]
  input label: [batch] int
  c1 = conv2d(x, 8, 3, padding: same) |> batchnorm |> relu
  u = upsample2d(c1, 2)
  c2 = conv2d(u, 8, 3, stride: 2, padding: same) |> layernorm |> relu
  logits = dense(flatten(c2), 10)
  output probs = softmax(logits)
  train { loss cross_entropy(logits, label)  optimizer adam(lr: 1e-3)  batch 8  seed 1 }
}
model Depthwise {
  input x: [batch, 12, 12, 6]
  input label: [batch] int
  d1 = conv2d(x, 6, 3, groups: 6, padding: same, activation: relu)
  d2 = conv2d(d1, 12, 3, groups: 6, stride: 2, padding: same, activation: relu)
  logits = dense(flatten(d2), 10)
  output probs = softmax(logits)
  train { loss cross_entropy(logits, label)  optimizer adam(lr: 1e-3)  batch 8  seed 1 }
}`;

const YOUNG_SPACES = new Set(['new_space', 'new_large_object_space']);
type SpaceStatistics = ReadonlyArray<{ space_name?: string; spaceName?: string; space_used_size?: number; spaceUsedSize?: number }>;
/** The young generation's used bytes, from heap space statistics in either spelling (v8's, GCProfiler's). */
const youngBytes = (spaces: SpaceStatistics): number =>
  spaces.reduce((n, s) => n + (YOUNG_SPACES.has((s.space_name ?? s.spaceName)!) ? (s.space_used_size ?? s.spaceUsedSize)! : 0), 0);

function repeat(work: () => void, count: number): void {
  for (let i = 0; i < count; i++) work();
}

/** Bytes the young generation took in over `count` calls of `work`. */
function youngAllocated(gc: () => void, work: () => void, count: number): number {
  const profiler = new v8.GCProfiler();
  profiler.start();
  gc();
  gc();
  const before = youngBytes(v8.getHeapSpaceStatistics());
  repeat(work, count);
  const after = youngBytes(v8.getHeapSpaceStatistics());
  // The first two records are the collections above.
  const collections = profiler.stop().statistics.slice(2);
  return after - before + collections.reduce((n, c) => n + youngBytes(c.beforeGC.heapSpaceStatistics) - youngBytes(c.afterGC.heapSpaceStatistics), 0);
}

const WARM_STEPS = 2000;
const STEPS = 1000;
const MAX_WINDOWS = 10;
/** Bytes a step may allocate: what measuring allocates (its statistics objects) spread over the steps stays far below it. */
const MAX_BYTES_PER_STEP = 64;
/** The measurements go on until one is below this (V8 done optimizing), or MAX_WINDOWS of them. */
const SETTLED_BYTES_PER_STEP = 16;

describe('the steady-state CPU training step', () => {
  const check = checkSource(SOURCE);

  const models = [
    ['Dense', 32, [64], true],
    // Unfused: bias_add and relu as kernels of their own (elementwise-simd.ts's passes).
    ['Dense', 32, [64], false],
    // Label smoothing and class weights (softmax-simd.ts's smoothed_rows).
    ['Smoothed', 32, [64], true],
    // A VAE's latent statistics and KL term: split, exp, square, affine, sum, mean, broadcasts; a concat.
    ['Latent', 32, [64], true],
    // An embedding, and dense layers of 2 rows (gemv-simd.ts; their gradients on the JS GEMM).
    ['Tokens', 2, [6], true],
    ['Conv', 16, [12, 12, 1], true],
    ['Strided', 8, [16, 16, 4], true],
    // c2's input gradient reads a quarter of its (pixel, tap) pairs: a dense GEMM, then col2im (conv-simd.ts).
    ['Sparse', 8, [6, 6, 8], true],
    // 3×3 convolutions of 16 channels (conv-winograd.ts): forward, input and weight gradients.
    ['Winograd', 8, [10, 10, 16], true],
    ['Grouped', 8, [12, 12, 8], true],
    ['Depthwise', 8, [12, 12, 6], true],
    ['Norms', 8, [8, 8, 4], true],
  ] as const;
  for (const [model, batch, features, fuse] of models) {
    it(`allocates nothing on the JS heap: ${model}${fuse ? '' : ' unfused'}`, () => {
      const result = compileModel(check, model, { target: 'cpu', fuse, training: true, text: SOURCE });
      expect(result.diagnostics).toEqual([]);
      const plan = result.plan!;
      const weights = new Map([...result.weights].map(([name, data]) => [name, { shape: plan.tensors.find((t) => t.name === name)!.shape as number[], dtype: 'f32' as const, data }]));
      const executor = createCpuExecutor(plan, weights);
      const values = batch * features.reduce<number>((a, b) => a * b, 1);
      // Token ids for an int input (an embedding's), else floats.
      const ids = plan.tensors.find((t) => t.name === 'x')!.dtype === 'i32';
      const feeds: Record<string, HostTensor> = {
        x: ids ? { shape: [batch, ...features], dtype: 'i32', data: Int32Array.from({ length: values }, (_, i) => (i * 7) % 50) } : { shape: [batch, ...features], dtype: 'f32', data: random(values, 7) },
        label: { shape: [batch], dtype: 'i32', data: Int32Array.from({ length: batch }, (_, i) => i % 10) },
      };
      const options = { lr: 1e-3, seed: 1, outputs: ['probs'] };
      const record = createStepResult();
      const step = (): void => void executor.trainStepSync!(feeds, options, record);
      v8.setFlagsFromString('--expose-gc');
      const gc = vm.runInNewContext('gc') as () => void;
      repeat(step, WARM_STEPS);
      let perStep = Infinity;
      for (let window = 0; window < MAX_WINDOWS && perStep >= SETTLED_BYTES_PER_STEP; window++) perStep = Math.min(perStep, youngAllocated(gc, step, STEPS) / STEPS);
      expect(perStep).toBeLessThan(MAX_BYTES_PER_STEP);
      expect(Number.isFinite(record.loss)).toBe(true);
      executor.dispose();
    });
  }
});
