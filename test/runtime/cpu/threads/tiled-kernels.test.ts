import { afterAll, describe, expect, it } from 'vitest';
import type { CpuKernel, CpuTensor } from '../../../../runtime/cpu/kernel-interface.js';
import { poolStats, threadsSupported } from '../../../../runtime/cpu/threads/pool.js';
import { setCpuThreads } from '../../../../runtime/cpu/threads/thread-count.js';
import { elementwiseSimdKernels } from '../../../../runtime/cpu/wasm/elementwise-simd.js';
import { batchnormGradSimd, batchnormSimd, sumToSimd } from '../../../../runtime/cpu/wasm/norm-simd.js';
import { avgpoolGradSimd, avgpoolSimd, globalAvgPoolGradSimd, globalAvgPoolSimd, maxpoolGradSimd, maxpoolSimd } from '../../../../runtime/cpu/wasm/pool-simd.js';
import { sgemmModule } from '../../../../runtime/cpu/wasm/sgemm-simd.js';
import { activationSimdKernels } from '../../../../runtime/cpu/wasm/activation-simd.js';
import { attentionGradSimd, attentionSimd } from '../../../../runtime/cpu/wasm/attention-simd.js';
import { layernormGradSimd, layernormSimd } from '../../../../runtime/cpu/wasm/layernorm-simd.js';
import { lossSimdKernels } from '../../../../runtime/cpu/wasm/loss-simd.js';
import { softmaxSimdKernels } from '../../../../runtime/cpu/wasm/softmax-simd.js';
import { optimizerKernels } from '../../../../runtime/cpu/kernels/optimizers.js';
import { createStoredMemory } from '../../../../runtime/cpu/simd/stored-memory.js';
import { kernelHeap } from '../../../../runtime/cpu/wasm/kernel-memory.js';

/**
 * The element-wise, pooling, normalisation and attention kernels and the optimizer updates on 1, 2 and 3 threads
 * give the same bits, and 2 and 3 hand work to the workers: each splits its output into tiles (runs
 * of values, output rows or images, groups of channels) computed by the same instructions whichever
 * thread runs them.
 */
const ctx = { training: true, lr: 0, step: 0, seed: 0 };
const wave = (n: number, seed: number): Float32Array => Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 1.3 + i * 0.37));
const t = (shape: number[], data: Float32Array): CpuTensor => ({ shape, data });
const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);
/** The first index where a and b differ in their bits, or −1 (a deep equal of 300,000 numbers is slow). */
function firstDifference(a: Float32Array, b: Float32Array): number {
  const [x, y] = [new Uint32Array(a.buffer, a.byteOffset, a.length), new Uint32Array(b.buffer, b.byteOffset, b.length)];
  if (x.length !== y.length) return 0;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i;
  return -1;
}

/** Runs `kernel` on fresh outputs of the given shapes; returns them. */
function call(kernel: CpuKernel, inputs: CpuTensor[], outputShapes: number[][], attrs: Record<string, unknown> = {}): Float32Array[] {
  const outputs = outputShapes.map((shape) => t(shape, new Float32Array(size(shape)).fill(3)));
  kernel(ctx, inputs, outputs, attrs as never);
  return outputs.map((o) => o.data as Float32Array);
}

const image = [16, 26, 26, 32];
const pooled = [16, 13, 13, 32];
/** Pooled to `pooled` too, its last row and column in no window. */
const oddImage = [16, 27, 27, 32];
const pool = { size: [2, 2], strides: [2, 2], padding: 'valid' };
const overlappingPool = { size: [3, 3], strides: [2, 2], padding: 'same' };
const rows = [16384, 32];
/** Two steps of `kernel` on 300,001 values (a tail of 1 for the JS loop) in stored memory in the kernels' heap, from the same start. */
function update(kernel: keyof typeof optimizerKernels, slots: number, attrs: Record<string, number | boolean>): () => Float32Array[] {
  const length = 300_001;
  const [start, ...grads] = [wave(length, 12), wave(length, 1), wave(length, 2)];
  return () => {
    const memory = createStoredMemory(new Array<number>(1 + slots).fill(length), length, kernelHeap(sgemmModule()!.memory))!;
    const tensors = Array.from({ length: 1 + slots }, () => t([length], memory.allocate(length)));
    tensors[0]!.data.set(start!);
    grads.forEach((grad, i) => optimizerKernels[kernel]!({ ...ctx, lr: 0.01, step: i + 1 }, [tensors[0]!, t([length], grad), ...tensors.slice(1)], [], attrs as never));
    return tensors.map((x) => x.data as Float32Array);
  };
}

const CASES: Record<string, () => Float32Array[]> = {
  gd_update: update('gd_update', 0, {}),
  sgd_update: update('sgd_update', 1, { momentum: 0.9, nesterov: true }),
  adam_update: update('adam_update', 2, { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }),
  adamw_update: update('adamw_update', 2, { beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0.01 }),
  adagrad_update: update('adagrad_update', 1, { epsilon: 1e-7 }),
  rmsprop_update: update('rmsprop_update', 2, { rho: 0.9, epsilon: 1e-7, momentum: 0.5 }),
  relu_grad: () => call(elementwiseSimdKernels.relu_grad, [t([400_000], wave(400_000, 1)), t([400_000], wave(400_000, 2))], [[400_000]]),
  mul: () => call(elementwiseSimdKernels.mul, [t([400_000], wave(400_000, 3)), t([400_000], wave(400_000, 4))], [[400_000]]),
  maxpool: () => call(maxpoolSimd, [t(image, wave(size(image), 5))], [pooled], pool),
  'maxpool_grad, 2×2 windows tiling the image (maxpool_grad_2x2)': () => call(maxpoolGradSimd, [t(pooled, wave(size(pooled), 6)), t(image, wave(size(image), 5))], [image], pool),
  'maxpool_grad, 2×2 windows leaving a row and a column': () => call(maxpoolGradSimd, [t(pooled, wave(size(pooled), 6)), t(oddImage, wave(size(oddImage), 5))], [oddImage], pool),
  'maxpool_grad, overlapping windows': () => call(maxpoolGradSimd, [t(pooled, wave(size(pooled), 6)), t(image, wave(size(image), 5))], [image], overlappingPool),
  avgpool: () => call(avgpoolSimd, [t(image, wave(size(image), 5))], [pooled], pool),
  'avgpool_grad, overlapping windows': () => call(avgpoolGradSimd, [t(pooled, wave(size(pooled), 6))], [image], { ...overlappingPool, shape: image }),
  'global average pooling and its gradient': () => [
    ...call(globalAvgPoolSimd, [t(image, wave(size(image), 5))], [[16, 32]]),
    ...call(globalAvgPoolGradSimd, [t([16, 32], wave(512, 6))], [image], { shape: image }),
  ],
  sum_to: () => call(sumToSimd, [t(rows, wave(size(rows), 7))], [[32]]),
  'gelu, silu, softplus and their gradients': () =>
    (['gelu', 'silu', 'softplus'] as const).flatMap((name) => {
      const [y] = call(activationSimdKernels[name], [t([400_000], wave(400_000, 16))], [[400_000]]);
      const v = name === 'softplus' ? y! : wave(400_000, 16);
      return [y!, ...call(activationSimdKernels[`${name}_grad`], [t([400_000], wave(400_000, 17)), t([400_000], v)], [[400_000]])];
    }),
  'the per-element losses': () =>
    (['mse_loss', 'huber_loss', 'sigmoid_binary_cross_entropy_loss'] as const).flatMap((name) =>
      call(lossSimdKernels[name], [t([400_001], wave(400_001, 22)), t([400_001], wave(400_001, 23))], [[1], [400_001]], { delta: 0.5 }),
    ),
  softmax: () => {
    const [y] = call(softmaxSimdKernels.softmax, [t(rows, wave(size(rows), 13))], [rows]);
    const [l] = call(softmaxSimdKernels.log_softmax, [t(rows, wave(size(rows), 13))], [rows]);
    const [dx] = call(softmaxSimdKernels.softmax_grad, [t(rows, wave(size(rows), 14)), t(rows, y!)], [rows]);
    const [dl] = call(softmaxSimdKernels.log_softmax_grad, [t(rows, wave(size(rows), 14)), t(rows, l!)], [rows]);
    return [y!, l!, dx!, dl!];
  },
  'sparse and dense softmax cross-entropies': () => {
    const labels = Int32Array.from({ length: rows[0]! }, (_, r) => r % rows[1]!);
    return [
      ...call(softmaxSimdKernels.sparse_softmax_cross_entropy_loss, [t(rows, wave(size(rows), 15)), t([rows[0]!], labels as never)], [[], rows]),
      ...call(softmaxSimdKernels.softmax_cross_entropy_loss, [t(rows, wave(size(rows), 15)), t(rows, wave(size(rows), 24).map(Math.abs))], [[], rows]),
    ];
  },
  'attention, causal with a mask per query, and its gradient': () => {
    // Rows of 198 keys (a tail of 2 in the softmax); every fifth query keeps no key.
    const [n, tq, d] = [2, 198, 32];
    const attrs = { heads: 2, causal: true };
    const [x, probsShape] = [[n, tq, d], [n, 2, tq, tq]];
    const mask = Float32Array.from({ length: n * tq * tq }, (_, i) => (Math.floor(i / tq) % 5 === 3 || Math.sin(i) < -0.6 ? 0 : 1));
    const [q, k, v, dy] = [1, 2, 3, 4].map((seed) => t(x, wave(size(x), 30 + seed)));
    const [y, probs] = call(attentionSimd, [q!, k!, v!, t([n, tq, tq], mask)], [x, probsShape], attrs);
    return [y!, probs!, ...call(attentionGradSimd, [dy!, q!, k!, v!, t(probsShape, probs!)], [x, x, x], attrs)];
  },
  layernorm: () => {
    const stats = [rows[0]!, 1];
    const c = [32];
    const inputs = [t(rows, wave(size(rows), 18)), t(c, wave(32, 19)), t(c, wave(32, 20))];
    const [y, mean, invstd] = call(layernormSimd, inputs, [rows, stats, stats], { epsilon: 1e-5 });
    const [dx, dg, db] = call(layernormGradSimd, [t(rows, wave(size(rows), 21)), inputs[0]!, inputs[1]!, t(stats, mean!), t(stats, invstd!)], [rows, c, c]);
    return [y!, mean!, invstd!, dx!, dg!, db!];
  },
  batchnorm: () => {
    const c = [32];
    const inputs = [t(rows, wave(size(rows), 8)), t(c, wave(32, 9)), t(c, wave(32, 10)), t(c, new Float32Array(32)), t(c, new Float32Array(32).fill(1))];
    const [y, mean, invstd] = call(batchnormSimd, inputs, [rows, c, c], { epsilon: 1e-5, momentum: 0.9 });
    const [dx, dg, db] = call(batchnormGradSimd, [t(rows, wave(size(rows), 11)), inputs[0]!, inputs[1]!, t(c, mean!), t(c, invstd!)], [rows, c, c]);
    return [y!, mean!, invstd!, dx!, dg!, db!];
  },
};

/** Runs `body` on `threads` threads; with the jobs it handed to workers. */
function withThreads<T>(threads: number, body: () => T): { value: T; jobs: number } {
  setCpuThreads(threads);
  const before = poolStats().jobs;
  const value = body();
  return { value, jobs: poolStats().jobs - before };
}

/** Until a call of `body` on `threads` threads reaches the workers (they start, and load each module, without being waited for). */
async function warm(threads: number, body: () => unknown): Promise<void> {
  for (let attempt = 0; attempt < 300 && withThreads(threads, body).jobs === 0; attempt++) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe.runIf(threadsSupported() && sgemmModule() !== null)('tiled kernels on worker threads', () => {
  afterAll(() => setCpuThreads(null));

  for (const [name, body] of Object.entries(CASES)) {
    it(`${name}: the same bits on 1, 2 and 3 threads, and 2 and 3 use the workers`, async () => {
      await warm(3, body);
      const runs = [1, 2, 3].map((threads) => withThreads(threads, body));
      expect(runs[0]!.jobs).toBe(0);
      expect(runs[1]!.jobs).toBeGreaterThan(0);
      expect(runs[2]!.jobs).toBeGreaterThan(0);
      for (const run of runs.slice(1)) run.value.forEach((data, i) => expect(firstDifference(data, runs[0]!.value[i]!), `output ${i}`).toBe(-1));
    });
  }

  it('keeps a pass over 65,536 values (the MLP hidden layer) on the calling thread: below the threshold', async () => {
    const small = () => call(elementwiseSimdKernels.relu_grad, [t([65_536], wave(65_536, 1)), t([65_536], wave(65_536, 2))], [[65_536]]);
    await warm(3, CASES.relu_grad!);
    expect(withThreads(3, small).jobs).toBe(0);
  });
});
