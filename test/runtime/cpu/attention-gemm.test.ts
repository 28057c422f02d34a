import { describe, expect, it } from 'vitest';
import type { Attrs, CpuKernel, CpuTensor } from '../../../runtime/cpu/kernel-interface.js';
import { attentionGemm, attentionGradGemm } from '../../../runtime/cpu/kernels/attention-gemm.js';
import { attentionDirect, attentionGradDirect } from '../../../runtime/cpu/kernels/attention.js';
import { gemmJs, installGemm } from '../../../runtime/cpu/kernels/matmul.js';
import { gemmSimdOrJs } from '../../../runtime/cpu/wasm/matmul-simd.js';
import { random, size } from './float-data.js';

/**
 * Attention with its products on the GEMM (attention-gemm.ts) against the direct loops of
 * attention.ts (float64 sums), on the JS GEMM and on the WASM SIMD one, forward (y and the saved
 * probabilities) and backward (dq, dk, dv): causal, a key mask [N, Tk], a mask per query [N, Tq, Tk]
 * (with rows that leave no key), cross-attention (Tq ≠ Tk), sizes from 1×1 heads to ones the SIMD
 * GEMM tiles with ragged edges. Stated tolerance, absolute: 2e-6 · (1 + largest |reference value|)
 * (float32 sums of ≤ 40 products of values ≤ 1 against float64 ones); masked entries exactly 0.
 */
const ctx = { training: true, lr: 0, step: 0, seed: 0 };
const t = (shape: number[], data: Float32Array | Int32Array): CpuTensor => ({ shape, data });

function run(kernel: CpuKernel, inputs: CpuTensor[], outputShapes: number[][], attrs: Attrs): Float32Array[] {
  const outputs = outputShapes.map((shape) => t(shape, new Float32Array(size(shape)).fill(7)));
  kernel(ctx, inputs, outputs, attrs);
  return outputs.map((o) => o.data as Float32Array);
}

function close(got: Float32Array, want: Float32Array, what: string): void {
  let largest = 0;
  for (const v of want) largest = Math.max(largest, Math.abs(v));
  let worst = 0;
  let at = -1;
  want.forEach((v, i) => {
    const e = Math.abs(got[i]! - v);
    if (!(e <= worst)) [worst, at] = [e, i];
    if (v === 0 && got[i] !== 0 && Math.abs(got[i]!) > 1e-30) worst = Math.max(worst, Math.abs(got[i]!));
  });
  expect(worst, `${what}: worst at ${at}, ${got[at]} vs ${want[at]}`).toBeLessThanOrEqual(2e-6 * (1 + largest));
}

interface Case {
  name: string;
  n: number; tq: number; tk: number; d: number; heads: number; causal: boolean;
  mask?: 'keys' | 'perQuery';
}

const CASES: Case[] = [
  { name: 'self, 1 head of 1', n: 1, tq: 1, tk: 1, d: 1, heads: 1, causal: false },
  { name: 'self, causal, 2 heads', n: 2, tq: 5, tk: 5, d: 8, heads: 2, causal: true },
  { name: 'self, causal, 4 heads of 16 (tiny-transformer)', n: 3, tq: 24, tk: 24, d: 64, heads: 4, causal: true },
  { name: 'cross, 7 queries over 13 keys', n: 2, tq: 7, tk: 13, d: 12, heads: 3, causal: false },
  { name: 'cross, causal, 13 queries over 6 keys', n: 2, tq: 13, tk: 6, d: 10, heads: 2, causal: true },
  { name: 'cross, key mask', n: 3, tq: 9, tk: 11, d: 12, heads: 2, causal: false, mask: 'keys' },
  { name: 'self, causal, key mask', n: 2, tq: 10, tk: 10, d: 8, heads: 2, causal: true, mask: 'keys' },
  { name: 'self, mask per query (some rows empty)', n: 2, tq: 9, tk: 9, d: 20, heads: 4, causal: false, mask: 'perQuery' },
  { name: 'cross, causal, mask per query', n: 2, tq: 6, tk: 17, d: 6, heads: 1, causal: true, mask: 'perQuery' },
];

function maskOf(c: Case): CpuTensor | undefined {
  if (!c.mask) return undefined;
  const shape = c.mask === 'keys' ? [c.n, c.tk] : [c.n, c.tq, c.tk];
  // Keeps ~2/3 of the entries; per query, every third row keeps nothing (probabilities 0, y = 0).
  const data = Int32Array.from({ length: size(shape) }, (_, i) => {
    const row = Math.floor(i / c.tk);
    if (c.mask === 'perQuery' && row % 3 === 1) return 0;
    return Math.sin(i * 2.3 + 1) > -0.5 ? 1 : 0;
  });
  return t(shape, data);
}

describe('attention on the GEMM against the direct loops', () => {
  for (const gemm of [['JS', gemmJs], ['WASM SIMD', gemmSimdOrJs]] as const) {
    for (const c of CASES) {
      it(`${c.name}, GEMM ${gemm[0]}`, () => {
        installGemm(gemm[1]);
        const attrs: Attrs = { heads: c.heads, causal: c.causal };
        const qShape = [c.n, c.tq, c.d];
        const kShape = [c.n, c.tk, c.d];
        const probsShape = [c.n, c.heads, c.tq, c.tk];
        // Scaled so the scores spread (softmax far from uniform): q·k up to ~±3√Dh before 1/√Dh.
        const q = t(qShape, random(size(qShape), 1).map((v) => v * 1.7));
        const k = t(kShape, random(size(kShape), 2).map((v) => v * 1.7));
        const v = t(kShape, random(size(kShape), 3));
        const mask = maskOf(c);
        const inputs = mask ? [q, k, v, mask] : [q, k, v];
        const [y, probs] = run(attentionGemm, inputs, [qShape, probsShape], attrs);
        const [yRef, probsRef] = run(attentionDirect, inputs, [qShape, probsShape], attrs);
        close(probs!, probsRef!, 'probabilities');
        close(y!, yRef!, 'y');
        const dy = t(qShape, random(size(qShape), 4));
        const gradInputs = [dy, q, k, v, t(probsShape, probsRef!)];
        const grads = run(attentionGradGemm, gradInputs, [qShape, kShape, kShape], attrs);
        const gradsRef = run(attentionGradDirect, gradInputs, [qShape, kShape, kShape], attrs);
        close(grads[0]!, gradsRef[0]!, 'dq');
        close(grads[1]!, gradsRef[1]!, 'dk');
        close(grads[2]!, gradsRef[2]!, 'dv');
        installGemm(gemmSimdOrJs);
      });
    }
  }
});
