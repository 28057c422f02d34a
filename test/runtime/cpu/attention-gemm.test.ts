import { describe, expect, it } from 'vitest';
import type { Attrs, CpuKernel, CpuTensor } from '../../../runtime/cpu/kernel-interface.js';
import { attentionGemm, attentionGradGemm } from '../../../runtime/cpu/kernels/attention-gemm.js';
import { attentionDirect, attentionGradDirect } from '../../../runtime/cpu/kernels/attention.js';
import { gemmJs, installGemm } from '../../../runtime/cpu/kernels/matmul.js';
import { attentionGradSimd, attentionSimd } from '../../../runtime/cpu/wasm/attention-simd.js';
import { gemmSimdOrJs } from '../../../runtime/cpu/wasm/matmul-simd.js';
import { random, size } from './float-data.js';
import { placedInKernelMemory } from './placed-tensors.js';
import { describeBuild } from './wasm-build.js';

/**
 * Attention against the direct loops of attention.ts (float64 sums, Math.exp), forward (y and the
 * saved probabilities) and backward (dq, dk, dv): attention-gemm.ts's products on the JS GEMM and on
 * the WASM SIMD one, and attention-simd.ts (the softmax and its gradient in WASM too) on plain arrays
 * and on tensors lying in the kernels' memory, as an executor's do. Causal, a key mask [N, Tk] (int32
 * or float32, one item hiding every key), a mask per query [N, Tq, Tk] (with rows that leave no key),
 * cross-attention (Tq ≠ Tk), Tk not a multiple of 4 (the softmax's tail), sizes from 1×1 heads to ones
 * the SIMD GEMM tiles with ragged edges. Stated tolerance, absolute: 2e-6 · (1 + largest |reference
 * value|) (float32 sums of ≤ 60 products of values ≤ 2 and the float32 exp's ~1.2e-7 relative error
 * against float64 ones); masked entries exactly 0.
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
  mask?: 'keys' | 'floatKeys' | 'perQuery';
}

const CASES: Case[] = [
  { name: 'self, 1 head of 1', n: 1, tq: 1, tk: 1, d: 1, heads: 1, causal: false },
  { name: 'self, causal, 2 heads', n: 2, tq: 5, tk: 5, d: 8, heads: 2, causal: true },
  { name: 'self, causal, 4 heads of 16 (tiny-transformer)', n: 3, tq: 24, tk: 24, d: 64, heads: 4, causal: true },
  { name: 'cross, 7 queries over 13 keys', n: 2, tq: 7, tk: 13, d: 12, heads: 3, causal: false },
  { name: 'cross, causal, 13 queries over 6 keys', n: 2, tq: 13, tk: 6, d: 10, heads: 2, causal: true },
  { name: 'cross, key mask', n: 3, tq: 9, tk: 11, d: 12, heads: 2, causal: false, mask: 'keys' },
  { name: 'cross, float key mask, one item hiding every key', n: 3, tq: 10, tk: 7, d: 8, heads: 2, causal: false, mask: 'floatKeys' },
  { name: 'self, causal, key mask', n: 2, tq: 10, tk: 10, d: 8, heads: 2, causal: true, mask: 'keys' },
  { name: 'self, mask per query (some rows empty)', n: 2, tq: 9, tk: 9, d: 20, heads: 4, causal: false, mask: 'perQuery' },
  { name: 'cross, causal, mask per query', n: 2, tq: 6, tk: 17, d: 6, heads: 1, causal: true, mask: 'perQuery' },
  { name: 'self, causal, 37 queries, 2 heads of 30 (ragged tiles, Tk % 4 = 1)', n: 2, tq: 37, tk: 37, d: 60, heads: 2, causal: true, mask: 'perQuery' },
  { name: 'cross, 40 queries over 66 keys, key mask (Tk % 4 = 2)', n: 1, tq: 40, tk: 66, d: 24, heads: 3, causal: false, mask: 'keys' },
];

function maskOf(c: Case): CpuTensor | undefined {
  if (!c.mask) return undefined;
  const shape = c.mask === 'perQuery' ? [c.n, c.tq, c.tk] : [c.n, c.tk];
  // Keeps ~2/3 of the entries; per query, every third row keeps nothing (probabilities 0, y = 0).
  const keep = (i: number): boolean => {
    const row = Math.floor(i / c.tk);
    if (c.mask === 'perQuery' && row % 3 === 1) return false;
    if (c.mask === 'floatKeys' && row === 1) return false;
    return Math.sin(i * 2.3 + 1) > -0.5;
  };
  // A float mask hides with −0 as with 0, and keeps with any other value.
  if (c.mask === 'floatKeys') return t(shape, Float32Array.from({ length: size(shape) }, (_, i) => (keep(i) ? 0.5 + (i % 3) : i % 2 ? -0 : 0)));
  return t(shape, Int32Array.from({ length: size(shape) }, (_, i) => (keep(i) ? 1 + (i % 3) : 0)));
}

/** The kernels under test: the GEMM they run on, and whether their tensors lie in the kernels' memory. */
interface Variant {
  name: string;
  forward: CpuKernel;
  backward: CpuKernel;
  gemm: typeof gemmJs;
  inMemory: boolean;
}

const VARIANTS: Variant[] = [
  { name: 'products on the JS GEMM', forward: attentionGemm, backward: attentionGradGemm, gemm: gemmJs, inMemory: false },
  { name: 'products on the WASM SIMD GEMM', forward: attentionGemm, backward: attentionGradGemm, gemm: gemmSimdOrJs, inMemory: false },
  { name: 'all in WASM, plain arrays', forward: attentionSimd, backward: attentionGradSimd, gemm: gemmSimdOrJs, inMemory: false },
  { name: 'all in WASM, tensors in its memory', forward: attentionSimd, backward: attentionGradSimd, gemm: gemmSimdOrJs, inMemory: true },
];

/** `kernel` on `inputs`, its outputs of `outputShapes` in the kernels' memory when `inMemory`; copies of the outputs. */
function runPlaced(kernel: CpuKernel, inputs: CpuTensor[], outputShapes: number[][], attrs: Attrs, inMemory: boolean): Float32Array[] {
  if (!inMemory) return run(kernel, inputs, outputShapes, attrs);
  const outputs = outputShapes.map((shape) => t(shape, new Float32Array(size(shape)).fill(7)));
  const placed = placedInKernelMemory([...inputs, ...outputs]);
  kernel(ctx, placed.tensors.slice(0, inputs.length), placed.tensors.slice(inputs.length), attrs);
  const results = placed.tensors.slice(inputs.length).map((o) => Float32Array.from(o.data));
  placed.free();
  return results;
}

describeBuild('attention against the direct loops', () => {
  for (const variant of VARIANTS) {
    describe(variant.name, () => {
      for (const c of CASES) {
        it(c.name, () => {
          installGemm(variant.gemm);
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
          const [y, probs] = runPlaced(variant.forward, inputs, [qShape, probsShape], attrs, variant.inMemory);
          const [yRef, probsRef] = run(attentionDirect, inputs, [qShape, probsShape], attrs);
          close(probs!, probsRef!, 'probabilities');
          close(y!, yRef!, 'y');
          const dy = t(qShape, random(size(qShape), 4));
          const gradInputs = [dy, q, k, v, t(probsShape, probsRef!)];
          const grads = runPlaced(variant.backward, gradInputs, [qShape, kShape, kShape], attrs, variant.inMemory);
          const gradsRef = run(attentionGradDirect, gradInputs, [qShape, kShape, kShape], attrs);
          close(grads[0]!, gradsRef[0]!, 'dq');
          close(grads[1]!, gradsRef[1]!, 'dk');
          close(grads[2]!, gradsRef[2]!, 'dv');
          installGemm(gemmSimdOrJs);
        });
      }
    });
  }
});
