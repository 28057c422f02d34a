import { describe, expect, it } from 'vitest';
import { compileModel } from '../../../compiler/compile.js';
import { checkSource } from '../../../compiler/index.js';
import { CpuExecutor } from '../../../runtime/cpu/index.js';
import { tensorHeap } from '../../../runtime/cpu/wasm/install.js';
import { KernelHeap } from '../../../runtime/cpu/wasm/kernel-memory.js';
import type { WeightValue } from '../../../runtime/plan/check-weights.js';
import type { Plan } from '../../../runtime/plan/format.js';
import type { HostTensor } from '../../../runtime/tensor.js';
import { random } from './float-data.js';

/**
 * One process runs many executors, one after another, in the one WebAssembly memory the CPU kernels
 * share (wasm/kernel-memory.ts), which never shrinks: disposing an executor must give back every block
 * it took (bound tensors, parameters and Adam's slots, resident weight copies, the pointer tables and
 * grouped-conv columns kernels keep between calls), and later executors must reuse that space. The
 * zoo's timings ran ten models so and then the GPT hit wasm32's 4 GiB cap.
 */
interface Model {
  plan: Plan;
  weights: ReadonlyMap<string, WeightValue>;
  feeds: Record<string, HostTensor>;
}

function compiled(source: string, feeds: Record<string, HostTensor>): Model {
  const result = compileModel(checkSource(source), 'M', { target: 'cpu', fuse: true, training: true, text: source });
  expect(result.diagnostics).toEqual([]);
  const plan = result.plan!;
  const weights = new Map([...result.weights].map(([name, data]) => [name, { shape: plan.tensors.find((t) => t.name === name)!.shape as number[], dtype: 'f32' as const, data }]));
  return { plan, weights, feeds };
}

const train = (batch: number): string => `
  train {
    loss cross_entropy(logits, label)
    optimizer adam(lr: 1e-3)
    batch ${batch}
    seed 1
  }`;

const labels = (batch: number): HostTensor => ({ shape: [batch], dtype: 'i32', data: Int32Array.from({ length: batch }, (_, i) => i % 4) });

/** A dense stack `width` wide: its weights go through the GEMM's resident copies. */
function mlp(width: number, batch: number): Model {
  const source = `
model M {
  input x: [batch, 64]
  input label: [batch] int
  logits = x |> dense(${width}, relu) |> dense(${width}, relu) |> dense(4)
  output probs = softmax(logits)
${train(batch)}
}`;
  return compiled(source, { x: { shape: [batch, 64], dtype: 'f32', data: random(batch * 64, width) }, label: labels(batch) });
}

/** Convolutions (pointer tables), a depthwise and a grouped one (held column blocks), group norm. */
function cnn(channels: number, batch: number): Model {
  const source = `
model M {
  input image: [batch, 12, 12]
  input label: [batch] int
  logits = image
    |> reshape([12, 12, 1])
    |> conv2d(${channels}, 3, padding: same, activation: relu)
    |> depthwise_conv2d(3, padding: same)
    |> conv2d(${channels}, 3, groups: 2, padding: same)
    |> groupnorm(4)
    |> relu
    |> global_avgpool
    |> dense(4)
  output probs = softmax(logits)
${train(batch)}
}`;
  return compiled(source, { image: { shape: [batch, 12, 12], dtype: 'f32', data: random(batch * 144, channels) }, label: labels(batch) });
}

/** An embedding and an LSTM over a sequence (the recurrent scans). */
function lstm(hidden: number, batch: number): Model {
  const source = `
model M {
  input tokens: [batch, 10] int
  input label: [batch] int
  logits = embedding(tokens, 50, 16) |> lstm(${hidden}) |> dense(4)
  output probs = softmax(logits)
${train(batch)}
}`;
  const tokens = Int32Array.from({ length: batch * 10 }, (_, i) => (i * 7) % 50);
  return compiled(source, { tokens: { shape: [batch, 10], dtype: 'i32', data: tokens }, label: labels(batch) });
}

/** Builds, trains two steps and evaluates one executor, then disposes it; the bytes it held in the heap while alive. */
async function runOnce(model: Model, heap: KernelHeap): Promise<number> {
  const executor = new CpuExecutor(model.plan, model.weights);
  for (let step = 0; step < 2; step++) {
    const { loss } = await executor.trainStep(model.feeds, { lr: 1e-3, seed: 1 });
    expect(Number.isFinite(loss)).toBe(true);
  }
  const inputs = Object.fromEntries(model.plan.inputs.map((name) => [name, model.feeds[name]!]));
  await executor.infer(inputs);
  const held = heap.usedBytes();
  executor.dispose();
  return held;
}

describe('executors disposed one after another in one kernel memory', () => {
  it.runIf(tensorHeap())('give back every block, so the memory stops growing after the largest model has run once', async () => {
    const heap = tensorHeap()!;
    const models = [mlp(32, 8), cnn(8, 4), lstm(16, 8), mlp(512, 64), cnn(32, 16), lstm(96, 32), mlp(128, 16)];
    const largest = 3;
    // Kept for good across executors: the padding taps' zeros (zerosIn), placed on first use.
    await runOnce(models[1]!, heap);
    const baseline = heap.usedBytes();
    expect(baseline).toBeLessThanOrEqual(64 * 1024);
    // The largest model alone, first: what one model needs (blocks and its kernels' scratch above them).
    const largestHeld = await runOnce(models[largest]!, heap);
    expect(heap.usedBytes()).toBe(baseline);
    const largestNeed = heap.memory.buffer.byteLength;
    expect(largestHeld).toBeGreaterThan(512 * 512 * 4 * 3); // its second layer's weight and Adam's two slots, at least
    // Then every model, small and large, round after round in changing orders: each gives back all it
    // took, and the memory never grows past the one largest model's need plus a few pages (another
    // model's scratch laid out above its own blocks).
    const margin = 4 * 65536;
    for (let round = 0; round < 6; round++) {
      const order = models.map((_, i) => (i * (round + 2)) % models.length);
      for (const index of new Set(order)) {
        await runOnce(models[index]!, heap);
        expect(heap.usedBytes()).toBe(baseline);
        expect(heap.memory.buffer.byteLength).toBeLessThanOrEqual(largestNeed + margin);
      }
    }
  });
});

describe('a model that needs more than the kernels memory can hold', () => {
  it('is NNR1019, a coded error naming the sizes, not a RangeError from grow', () => {
    const heap = new KernelHeap(new WebAssembly.Memory({ initial: 1, maximum: 2 }));
    heap.allocate(65536);
    expect(() => heap.allocate(2 * 65536)).toThrow(expect.objectContaining({ code: 'NNR1019', name: 'PlanError' }));
    expect(() => heap.allocate(2 * 65536)).toThrow(/^NNR1019: the model needs 0\.2 MiB of the CPU kernels' WebAssembly memory, which cannot grow past 0\.1 MiB \(0\.1 MiB held by live executors\); dispose executors/);
    // Nothing was placed by the failed calls: the first block is still the only one.
    expect(heap.usedBytes()).toBe(65536);
  });
});
