import { afterAll, describe, expect, it } from 'vitest';
import type { CpuTensor } from '../../../runtime/cpu/kernel-interface.js';
import { normalizationKernels } from '../../../runtime/cpu/kernels/normalization.js';
import { poolStats, threadsSupported } from '../../../runtime/cpu/threads/pool.js';
import { setCpuThreads } from '../../../runtime/cpu/threads/thread-count.js';
import { embeddingModuleBytes } from '../../../runtime/cpu/wasm/embedding-module.js';
import { embeddingGradSimd } from '../../../runtime/cpu/wasm/embedding-simd.js';
import { sgemmModule } from '../../../runtime/cpu/wasm/sgemm-simd.js';
import { bits, warmPool } from './threads/warm-pool.js';

/**
 * embedding_grad on WASM SIMD against the JS kernel, bit for bit: the same float32 sums in the same
 * order (ids repeat, so rows of the gradient sum several of dy's rows). Dimensions with and without
 * a tail of 1-3 columns, ids as floats and as integers, an id outside the table (the JS kernel
 * runs), and 1 vs 2 threads.
 */
const ctx = { training: true, lr: 0, step: 0, seed: 0 };

function grad(kernel: typeof embeddingGradSimd, dy: Float32Array, ids: Float32Array | Int32Array, vocab: number, dim: number): Float32Array {
  const out = new Float32Array(vocab * dim).fill(7);
  const inputs: CpuTensor[] = [{ shape: [ids.length, dim], data: dy }, { shape: [ids.length], data: ids }];
  kernel(ctx, inputs, [{ shape: [vocab, dim], data: out }], {});
  return out;
}

function wave(n: number, seed: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 1.3 + i * 0.71) * (1 + (i % 7)));
}

describe.runIf(sgemmModule() !== null)('embedding_grad on WASM SIMD', () => {
  afterAll(() => setCpuThreads(null));

  it('the module validates on this host', () => {
    expect(WebAssembly.validate(embeddingModuleBytes())).toBe(true);
  });

  for (const dim of [1, 3, 4, 7, 64, 130]) {
    it(`dimension ${dim}: the JS kernel's bits, ids as floats and as integers`, () => {
      const rows = 300;
      const vocab = 37;
      const dy = wave(rows * dim, dim);
      const ids = Int32Array.from({ length: rows }, (_, r) => (r * 13 + (r >> 3)) % vocab);
      const want = grad(normalizationKernels.embedding_grad, dy, ids, vocab, dim);
      expect(bits(grad(embeddingGradSimd, dy, ids, vocab, dim))).toEqual(bits(want));
      expect(bits(grad(embeddingGradSimd, dy, Float32Array.from(ids), vocab, dim))).toEqual(bits(want));
    });
  }

  it('an id outside the table runs the JS kernel', () => {
    const dy = wave(100 * 8, 1);
    const ids = Float32Array.from({ length: 100 }, (_, r) => (r === 50 ? 12 : r % 12));
    expect(bits(grad(embeddingGradSimd, dy, ids, 12, 8))).toEqual(bits(grad(normalizationKernels.embedding_grad, dy, ids, 12, 8)));
  });

  it.runIf(threadsSupported())('the same bits on 1 and 2 threads, and 2 uses the workers', async () => {
    const [rows, vocab, dim] = [2000, 101, 602];
    const dy = wave(rows * dim, 2);
    const ids = Int32Array.from({ length: rows }, (_, r) => (r * 7) % vocab);
    await warmPool(1);
    const one = grad(embeddingGradSimd, dy, ids, vocab, dim);
    await warmPool(2);
    const before = poolStats().jobs;
    const two = grad(embeddingGradSimd, dy, ids, vocab, dim);
    expect(poolStats().jobs).toBeGreaterThan(before);
    expect(bits(two)).toEqual(bits(one));
    expect(bits(one)).toEqual(bits(grad(normalizationKernels.embedding_grad, dy, ids, vocab, dim)));
  });
});
