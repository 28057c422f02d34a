import { afterAll, describe, expect, it } from 'vitest';
import { compileModel } from '../../../../compiler/compile.js';
import { checkSource } from '../../../../compiler/index.js';
import { createCpuExecutor } from '../../../../runtime/cpu/index.js';
import { cpuThreadsNote, poolStats, threadsSupported } from '../../../../runtime/cpu/threads/pool.js';
import { GEMV_PARALLEL_MIN_WORK, PARALLEL_MIN_WORK } from '../../../../runtime/cpu/threads/threaded-module.js';
import { cpuThreads, parseThreadCount, setCpuThreads, ThreadCountError } from '../../../../runtime/cpu/threads/thread-count.js';
import { gemvModule, gemvSimd } from '../../../../runtime/cpu/wasm/gemv-simd.js';
import { sgemmModule, sgemmSimd } from '../../../../runtime/cpu/wasm/sgemm-simd.js';
import type { HostTensor } from '../../../../runtime/tensor.js';

/**
 * The CPU kernels on 1, 2 and 3 threads give the same bits: work is split by output tiles, each tile
 * computed by the same instructions in the same order on whichever thread runs it. Models big enough
 * that their products pass the threshold (PARALLEL_MIN_WORK), checked through the pool's job count.
 */
const SOURCE = `
model Mlp {
  input x: [batch, 784]
  input label: [batch] int
  h1 = dense(x, 512, relu)
  h2 = dense(h1, 256, relu)
  logits = dense(h2, 10)
  output probs = softmax(logits)
  train {
    loss cross_entropy(logits, label)
    optimizer adam(lr: 1e-3)
    batch 64
    seed 1
  }
}

model ConvNet {
  input image: [batch, 28, 28, 1]
  input label: [batch] int
  c1 = conv2d(image, 32, 3, activation: relu)
  p1 = maxpool2d(c1, 2)
  c2 = conv2d(p1, 64, 3, activation: relu)
  p2 = maxpool2d(c2, 2)
  logits = dense(flatten(p2), 10)
  output probs = softmax(logits)
  train {
    loss cross_entropy(logits, label)
    optimizer adam(lr: 1e-3)
    batch 16
    seed 1
  }
}

// Fewer filters than a panel (6) and two panels (16): the weight gradient's extra threads take row tiles.
model LeNet {
  input image: [batch, 28, 28, 1]
  input label: [batch] int
  c1 = conv2d(image, 6, 5, padding: same, activation: relu)
  p1 = maxpool2d(c1, 2)
  c2 = conv2d(p1, 16, 5, activation: relu)
  p2 = maxpool2d(c2, 2)
  logits = dense(flatten(p2), 10)
  output probs = softmax(logits)
  train {
    loss cross_entropy(logits, label)
    optimizer adam(lr: 1e-3)
    batch 16
    seed 1
  }
}
`;

const check = checkSource(SOURCE);

function executor(model: string, training: boolean) {
  const result = compileModel(check, model, { target: 'cpu', fuse: true, training, text: SOURCE });
  const plan = result.plan!;
  const weights = new Map<string, HostTensor>();
  for (const [name, data] of result.weights) {
    const t = plan.tensors.find((x) => x.name === name)!;
    weights.set(name, { shape: t.shape as number[], dtype: t.dtype, data });
  }
  return createCpuExecutor(plan, weights);
}

const wave = (n: number, seed: number): Float32Array => Float32Array.from({ length: n }, (_, i) => Math.sin(seed + i * 0.731) * 0.5 + 0.5);
const labels = (n: number): HostTensor => ({ shape: [n], dtype: 'i32', data: Int32Array.from({ length: n }, (_, i) => (i * 7) % 10) });
const mlpBatch = (n: number, seed: number): Record<string, HostTensor> => ({ x: { shape: [n, 784], dtype: 'f32', data: wave(n * 784, seed) }, label: labels(n) });
const convBatch = (n: number, seed: number): Record<string, HostTensor> => ({ image: { shape: [n, 28, 28, 1], dtype: 'f32', data: wave(n * 784, seed) }, label: labels(n) });

/** Runs `body` with the thread count set, and reports how many jobs went to workers. */
async function withThreads<T>(threads: number, body: () => Promise<T>): Promise<{ value: T; jobs: number }> {
  setCpuThreads(threads);
  const before = poolStats().jobs;
  const value = await body();
  return { value, jobs: poolStats().jobs - before };
}

const bits = (data: ArrayLike<number>): number[] => Array.from(new Uint32Array(Float32Array.from(data as ArrayLike<number>).buffer));

/** The pool starts workers without waiting for them; a call made before they are ready runs alone. */
async function warmPool(threads: number): Promise<void> {
  setCpuThreads(threads);
  const module = sgemmModule()!;
  const [m, n, k] = [128, 128, 128];
  const c = new Float32Array(m * n);
  for (let attempt = 0; attempt < 200 && poolStats().workers < threads - 1; attempt++) sgemmSimd(module, new Float32Array(m * k), k, 1, new Float32Array(k * n), n, 1, c, m, n, k);
  const before = poolStats().jobs;
  for (let attempt = 0; attempt < 200 && poolStats().jobs === before; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    sgemmSimd(module, new Float32Array(m * k), k, 1, new Float32Array(k * n), n, 1, c, m, n, k);
  }
}

describe.runIf(threadsSupported() && sgemmModule() !== null)('cpu kernels on worker threads', () => {
  afterAll(() => setCpuThreads(null));

  it('MLP inference: the same bits on 1, 2 and 3 threads, and 2 and 3 use the workers', async () => {
    await warmPool(3);
    const exec = executor('Mlp', false);
    const runs = [];
    for (const threads of [1, 2, 3]) runs.push(await withThreads(threads, () => exec.infer(mlpBatch(64, 1))));
    expect(runs[0]!.jobs).toBe(0);
    expect(runs[1]!.jobs).toBeGreaterThan(0);
    expect(runs[2]!.jobs).toBeGreaterThan(0);
    for (const run of runs.slice(1)) expect(bits(run.value.probs!.data)).toEqual(bits(runs[0]!.value.probs!.data));
  });

  it('conv net inference: the same bits on 1, 2 and 3 threads', async () => {
    await warmPool(3);
    const exec = executor('ConvNet', false);
    const runs = [];
    for (const threads of [1, 2, 3]) runs.push(await withThreads(threads, () => exec.infer(convBatch(16, 2))));
    expect(runs[1]!.jobs).toBeGreaterThan(0);
    for (const run of runs.slice(1)) expect(bits(run.value.probs!.data)).toEqual(bits(runs[0]!.value.probs!.data));
  });

  for (const model of ['Mlp', 'ConvNet', 'LeNet'] as const) {
    it(`${model}: four training steps give the same losses and weights on 1, 2 and 3 threads`, async () => {
      await warmPool(3);
      const results = [];
      for (const threads of [1, 2, 3]) {
        const run = await withThreads(threads, async () => {
          const exec = executor(model, true);
          const losses = [];
          for (let step = 0; step < 4; step++) {
            const batch = model === 'Mlp' ? mlpBatch(64, step) : convBatch(16, step);
            losses.push((await exec.trainStep(batch, { lr: 1e-3, seed: step })).loss);
          }
          const weights = await exec.getWeights();
          return { losses, weights: [...weights].map(([name, t]) => [name, bits(t.data)] as const) };
        });
        if (threads > 1) expect(run.jobs).toBeGreaterThan(0);
        results.push(run.value);
      }
      for (const result of results.slice(1)) {
        expect(result.losses).toEqual(results[0]!.losses);
        expect(result.weights).toEqual(results[0]!.weights);
      }
    });
  }

  it('batch 1 to 4 on the GEMV: a big layer is split over rows of W, the same bits on 1, 2 and 3 threads', async () => {
    await warmPool(3);
    const [n, k] = [1100, 1000];
    const w = wave(n * k, 3);
    // The module is sent to the workers when first made; wait until one has it.
    const before = poolStats().jobs;
    for (let attempt = 0; attempt < 200 && poolStats().jobs === before; attempt++) {
      gemvSimd(gemvModule()!, wave(k, 0), w, new Float32Array(n), 1, n, k);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    for (let m = 1; m <= 4; m++) {
      const a = wave(m * k, m);
      const runs = [];
      for (const threads of [1, 2, 3]) {
        runs.push(
          await withThreads(threads, async () => {
            const c = new Float32Array(m * n);
            gemvSimd(gemvModule()!, a, w, c, m, n, k);
            return c;
          }),
        );
      }
      expect(runs[0]!.jobs).toBe(0);
      expect(runs[1]!.jobs).toBe(1);
      expect(runs[2]!.jobs).toBe(1);
      for (const run of runs.slice(1)) expect(bits(run.value), `m = ${m}`).toEqual(bits(runs[0]!.value));
    }
  });

  it('keeps products below the threshold on the calling thread', async () => {
    await warmPool(2);
    const module = sgemmModule()!;
    const small = (m: number, n: number, k: number) => sgemmSimd(module, wave(m * k, 1), k, 1, wave(k * n, 2), n, 1, new Float32Array(m * n), m, n, k);
    const below = await withThreads(2, async () => small(64, 64, 64));
    expect(64 * 64 * 64).toBeLessThan(PARALLEL_MIN_WORK);
    expect(below.jobs).toBe(0);
    const above = await withThreads(2, async () => small(256, 256, 256));
    expect(256 ** 3).toBeGreaterThanOrEqual(PARALLEL_MIN_WORK);
    expect(above.jobs).toBe(1);
 
    // The GEMV's own threshold: one row times a 128×256 weight stays, times 256×512 is split.
    const gemv = (n: number, k: number) => {
      const w = wave(n * k, 3);
      return withThreads(2, async () => gemvSimd(gemvModule()!, wave(k, 1), w, new Float32Array(n), 1, n, k));
    };
    expect(128 * 256).toBeLessThan(GEMV_PARALLEL_MIN_WORK);
    expect((await gemv(128, 256)).jobs).toBe(0);
    expect(256 * 512).toBeGreaterThanOrEqual(GEMV_PARALLEL_MIN_WORK);
    expect((await gemv(256, 512)).jobs).toBe(1);
  });
});

describe('thread count', () => {
  afterAll(() => setCpuThreads(null));

  it('accepts whole numbers from 1 to 64 and refuses anything else with NNR4001', () => {
    expect(parseThreadCount('3', '--threads')).toBe(3);
    expect(parseThreadCount(' 64 ', '--threads')).toBe(64);
    for (const bad of ['0', '-1', '1.5', 'two', '', '65', '1e3', '0x2']) {
      const attempt = () => parseThreadCount(bad, 'NNET_THREADS');
      expect(attempt, bad).toThrow(ThreadCountError);
      expect(attempt, bad).toThrow(`NNET_THREADS must be a whole number of threads from 1 to 64, not '${bad}'`);
    }
    expect(new ThreadCountError('x', 'y').code).toBe('NNR4001');
  });

  it('says how many threads run, and why one in a page that is not cross-origin isolated', () => {
    setCpuThreads(3);
    expect(cpuThreadsNote()).toBe('3 threads');
    setCpuThreads(1);
    expect(cpuThreadsNote()).toBe('1 thread');
    const page = globalThis as { crossOriginIsolated?: boolean };
    page.crossOriginIsolated = false;
    try {
      setCpuThreads(3);
      expect(cpuThreadsNote()).toBe('1 thread: the page is not cross-origin isolated (serve it with COOP and COEP headers)');
    } finally {
      delete page.crossOriginIsolated;
    }
  });

  it('is the set count, else NNET_THREADS, else every core', () => {
    const saved = process.env.NNET_THREADS;
    try {
      setCpuThreads(null);
      delete process.env.NNET_THREADS;
      expect(cpuThreads()).toBeGreaterThanOrEqual(1);
      process.env.NNET_THREADS = '5';
      expect(cpuThreads()).toBe(5);
      setCpuThreads(2);
      expect(cpuThreads()).toBe(2);
      setCpuThreads(null);
      process.env.NNET_THREADS = 'lots';
      expect(() => cpuThreads()).toThrow(ThreadCountError);
      expect(() => setCpuThreads(0)).toThrow(ThreadCountError);
    } finally {
      if (saved === undefined) delete process.env.NNET_THREADS;
      else process.env.NNET_THREADS = saved;
      setCpuThreads(null);
    }
  });
});
