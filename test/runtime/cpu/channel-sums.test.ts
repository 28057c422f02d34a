import { afterAll, describe, expect, it } from 'vitest';
import type { CpuTensor } from '../../../runtime/cpu/kernel-interface.js';
import { elementwiseKernels } from '../../../runtime/cpu/kernels/elementwise.js';
import { normalizationKernels } from '../../../runtime/cpu/kernels/normalization.js';
import { poolStats, threadsSupported } from '../../../runtime/cpu/threads/pool.js';
import { setCpuThreads } from '../../../runtime/cpu/threads/thread-count.js';
import { setParallelMinWork } from '../../../runtime/cpu/threads/threaded-module.js';
import { kernelHeap } from '../../../runtime/cpu/wasm/kernel-memory.js';
import { layernormGradSimd } from '../../../runtime/cpu/wasm/layernorm-simd.js';
import { batchnormGradSimd, batchnormSimd, normModule, sumToSimd } from '../../../runtime/cpu/wasm/norm-simd.js';

/**
 * The per-channel sums held in registers by runs of 4, 2 and 1 channel groups (channel-sums.ts) are
 * the float32 sums of the rows in order, to the bit, for every count of groups a run layout can meet
 * (1, 2, 3 left over after the runs of 4: C = 4 … 36) and 1 or an odd count of rows, on 1 and on 2
 * threads (the pool splits the groups, so a thread's range starts and ends anywhere). Oracles: the JS
 * kernels where they sum in float32 (sum_to, batchnorm's mean and dbeta), else the same float32
 * operations in row order (Math.fround): the squared deviations and dgamma's terms.
 */
const wave = (n: number, seed: number, scale = 1): Float32Array => Float32Array.from({ length: n }, (_, i) => scale * Math.sin(seed * 1.7 + i * 0.61));
const t = (shape: number[], data: Float32Array): CpuTensor => ({ shape, data });
const ctx = { training: true, lr: 0, step: 0, seed: 0 };
const f = Math.fround;

function sameBits(got: Float32Array, want: Float32Array, what: string): void {
  want.forEach((v, i) => expect(Object.is(got[i], v), `${what}[${i}]: ${got[i]} vs ${v}`).toBe(true));
}

/** Per channel, Σ over rows in order of term(row value index, channel), each add rounded to float32. */
function float32Sums(rows: number, c: number, term: (i: number, j: number) => number): Float32Array {
  const sums = new Float32Array(c);
  for (let r = 0; r < rows; r++) for (let j = 0; j < c; j++) sums[j] = f(sums[j]! + term(r * c + j, j));
  return sums;
}

/** sum_to, batchnorm (training) and batchnorm_grad on [rows, c], each checked against its oracle. */
function checkSums(rows: number, c: number): Float32Array[] {
  const n = rows * c;
  const [x, dy] = [wave(n, rows + c, 2), wave(n, 3 * rows + c)];
  const [gamma, beta] = [wave(c, 5), wave(c, 6)];

  const [want, got] = [new Float32Array(c), new Float32Array(c).fill(9)];
  elementwiseKernels.sum_to(ctx, [t([rows, c], x)], [t([c], want)], {});
  sumToSimd(ctx, [t([rows, c], x)], [t([c], got)], {});
  sameBits(got, want, 'sum_to');

  const attrs = { epsilon: 1e-5, momentum: 0.9 };
  const forward = (kernel: typeof batchnormSimd) => {
    const [y, mean, invstd] = [new Float32Array(n), new Float32Array(c), new Float32Array(c)];
    kernel(ctx, [t([rows, c], x), t([c], gamma), t([c], beta), t([c], new Float32Array(c)), t([c], new Float32Array(c).fill(1))], [t([rows, c], y), t([c], mean), t([c], invstd)], attrs);
    return { y, mean, invstd };
  };
  const [js, simd] = [forward(normalizationKernels.batchnorm), forward(batchnormSimd)];
  sameBits(simd.mean, js.mean, 'mean');
  const sq = float32Sums(rows, c, (i, j) => {
    const d = f(x[i]! - simd.mean[j]!);
    return f(d * d);
  });
  sameBits(simd.invstd, Float32Array.from(sq, (s) => 1 / Math.sqrt(s / rows + attrs.epsilon)), 'invstd');

  const grad = (kernel: typeof batchnormGradSimd) => {
    const [dx, dg, db] = [new Float32Array(n), new Float32Array(c), new Float32Array(c)];
    kernel(ctx, [t([rows, c], dy), t([rows, c], x), t([c], gamma), t([c], simd.mean), t([c], simd.invstd)], [t([rows, c], dx), t([c], dg), t([c], db)], {});
    return { dx, dg, db };
  };
  const [jsGrad, simdGrad] = [grad(normalizationKernels.batchnorm_grad), grad(batchnormGradSimd)];
  sameBits(simdGrad.db, jsGrad.db, 'dbeta');
  sameBits(simdGrad.dg, float32Sums(rows, c, (i, j) => f(f(dy[i]! * f(x[i]! - simd.mean[j]!)) * simd.invstd[j]!)), 'dgamma');
  return [got, simd.y, simd.mean, simd.invstd, simdGrad.dx, simdGrad.dg, simdGrad.db];
}

/**
 * sum_to of [rows, c] for any c (not a multiple of 4: the last group reads past its row into lanes
 * left out), x given as a view of the kernels' memory with `after` written past its end (what the
 * overread finds there), against the JS kernel to the bit; the sums.
 */
function checkSumTo(rows: number, c: number, after = Number.NaN): Float32Array[] {
  const x = wave(rows * c, rows + c, 2);
  const [want, got] = [new Float32Array(c), new Float32Array(c).fill(9)];
  elementwiseKernels.sum_to(ctx, [t([rows, c], x)], [t([c], want)], {});
  const memory = normModule()!.gemm.memory;
  const heap = kernelHeap(memory);
  const block = heap.allocate((x.length + 4) * 4);
  const inMemory = heap.view('f32', block, x.length + 4) as Float32Array;
  inMemory.set(x);
  inMemory.fill(after, x.length);
  const [outBlock, outAfter] = [heap.allocate((c + 4) * 4), [1.5, 2.5, 3.5, 4.5]];
  const outInMemory = heap.view('f32', outBlock, c + 4) as Float32Array;
  outInMemory.set(outAfter, c);
  try {
    sumToSimd(ctx, [t([rows, c], inMemory.subarray(0, x.length))], [t([c], outInMemory.subarray(0, c))], {});
    sumToSimd(ctx, [t([rows, c], x)], [t([c], got)], {});
    sameBits(got, want, `sum_to of [${rows}, ${c}], copied in`);
    sameBits(outInMemory.subarray(0, c), want, `sum_to of [${rows}, ${c}], in place`);
    // Nothing written past the output.
    expect([...outInMemory.subarray(c)]).toEqual(outAfter);
    return [got];
  } finally {
    heap.free(block);
    heap.free(outBlock);
  }
}

/** layernorm_grad's dgamma and dbeta on [rows, c] against the float32 row sums; its outputs. */
function checkLayernormSums(rows: number, c: number): Float32Array[] {
  const n = rows * c;
  const [x, dy] = [wave(n, rows + c, 2), wave(n, 3 * rows + c)];
  // Per-row statistics as layernorm would give them: any float32 values serve.
  const [mean, invstd] = [wave(rows, 7, 0.3), wave(rows, 8, 0.2).map((v) => 1 + v)];
  const [dx, dg, db] = [new Float32Array(n), new Float32Array(c).fill(9), new Float32Array(c).fill(9)];
  layernormGradSimd(ctx, [t([rows, c], dy), t([rows, c], x), t([c], wave(c, 5)), t([rows, 1], mean), t([rows, 1], invstd)], [t([rows, c], dx), t([c], dg), t([c], db)], {});
  const row = (i: number): number => Math.floor(i / c);
  sameBits(db, float32Sums(rows, c, (i) => dy[i]!), 'layernorm dbeta');
  sameBits(dg, float32Sums(rows, c, (i) => f(dy[i]! * f(f(x[i]! - mean[row(i)]!) * invstd[row(i)]!))), 'layernorm dgamma');
  return [dx, dg, db];
}

const CHANNELS = [4, 8, 12, 16, 20, 24, 28, 36];
const TAILED = [1, 3, 5, 14, 31, 45];
const ROWS = [1, 7, 301];

describe.runIf(normModule() !== null)('per-channel sums in registers (channel-sums.ts)', () => {
  for (const c of CHANNELS) {
    for (const rows of ROWS) {
      it(`[${rows}, ${c}]: sum_to, the batchnorm statistics and dgamma, dbeta are the float32 row sums to the bit`, () => {
        checkSums(rows, c);
        checkLayernormSums(rows, c);
      });
    }
  }
  for (const c of TAILED) {
    for (const rows of ROWS) {
      it(`[${rows}, ${c}]: sum_to and layernorm's dgamma and dbeta are the float32 row sums to the bit`, () => {
        checkLayernormSums(rows, c);
        checkSumTo(rows, c);
        checkSumTo(rows, c, Number.POSITIVE_INFINITY);
      });
    }
  }
});

describe.runIf(threadsSupported() && normModule() !== null)('per-channel sums in registers on 2 threads', () => {
  afterAll(() => {
    setCpuThreads(null);
    setParallelMinWork(null);
  });

  it('give the bits of 1 thread for every count of groups, the workers taking part', async () => {
    // Every pass to the pool, however small.
    setParallelMinWork(0);
    setCpuThreads(2);
    for (let attempt = 0; attempt < 300; attempt++) {
      const before = poolStats().jobs;
      checkSums(7, 36);
      if (poolStats().jobs > before) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const runs = [...CHANNELS.filter((c) => c > 4).map((c) => ({ c, check: checkSums })), ...[14, 31, 45].flatMap((c) => [{ c, check: checkLayernormSums }, { c, check: (rows: number, c: number) => checkSumTo(rows, c) }])];
    for (const { c, check } of runs) {
      setCpuThreads(1);
      const one = check(301, c);
      setCpuThreads(2);
      const before = poolStats().jobs;
      const two = check(301, c);
      expect(poolStats().jobs, `C = ${c}`).toBeGreaterThan(before);
      two.forEach((data, i) => sameBits(data, one[i]!, `C = ${c}, output ${i}`));
    }
  });
});
