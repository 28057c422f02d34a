import { expect, it } from 'vitest';
import type { CpuKernel, CpuTensor } from '../../../runtime/cpu/kernel-interface.js';
import { lossKernels } from '../../../runtime/cpu/kernels/losses.js';
import { lossModuleBytes } from '../../../runtime/cpu/wasm/loss-module.js';
import { lossSimdKernels } from '../../../runtime/cpu/wasm/loss-simd.js';
import { poolStats, threadsSupported } from '../../../runtime/cpu/threads/pool.js';
import { setCpuThreads } from '../../../runtime/cpu/threads/thread-count.js';
import { bits, warmPool } from './threads/warm-pool.js';
import { describeBuild, wasmBuild } from './wasm-build.js';

/**
 * The per-element losses on WASM SIMD against the JS kernels (float64 per element and in the sum).
 * Stated tolerances: dpred within 1e-6 relative to max(|dpred|, 1/n) (mse, mae, huber: 2e-7), the
 * loss within 1e-6 relative (float32 terms summed in tiles of 4,096, the tiles in float64). Counts
 * with a tail (not a multiple of 4) and more than one tile; binary cross-entropy's probabilities
 * reach its clipping (0, 1, 1e-9), its sigmoid form's logits ±40. The masked_ forms with masks of
 * rows and of every value, within the same tolerances (a NaN where the mask is 0 left out), and
 * 1 vs 2 threads to the bit. The binary cross-entropies also with label smoothing and class weights.
 */
const ctx = { training: true, lr: 0, step: 0, seed: 0 };
const t = (data: Float32Array): CpuTensor => ({ shape: [data.length], data });

function run(kernel: (typeof lossSimdKernels)[keyof typeof lossSimdKernels], p: Float32Array, target: Float32Array, attrs = {}): { loss: number; g: Float32Array } {
  const [loss, g] = [new Float32Array(1), new Float32Array(p.length).fill(7)];
  kernel(ctx, [t(p), t(target)], [{ shape: [], data: loss }, t(g)], attrs);
  return { loss: loss[0]!, g };
}

const wave = (n: number, seed: number, scale = 1, shift = 0): Float32Array => Float32Array.from({ length: n }, (_, i) => shift + scale * Math.sin(seed * 1.7 + i * 0.37));

interface Case {
  kernel: Exclude<keyof typeof lossSimdKernels, `masked_${string}`>;
  p: (n: number) => Float32Array;
  target: (n: number) => Float32Array;
  attrs?: Record<string, number | number[]>;
  gradTolerance: number;
}

const CASES: Case[] = [
  { kernel: 'mse_loss', p: (n) => wave(n, 1, 3), target: (n) => wave(n, 2, 2), gradTolerance: 2e-7 },
  { kernel: 'mae_loss', p: (n) => wave(n, 1, 3), target: (n) => wave(n, 2, 2), gradTolerance: 2e-7 },
  { kernel: 'huber_loss', p: (n) => wave(n, 1, 3), target: (n) => wave(n, 2, 2), attrs: { delta: 1.5 }, gradTolerance: 2e-7 },
  {
    kernel: 'binary_cross_entropy_loss',
    p: (n) => {
      const p = wave(n, 3, 0.5, 0.5);
      [0, 1, 1e-9, 1 - 1e-9, 0.5].forEach((v, i) => (p[i * 7] = v));
      return p;
    },
    target: (n) => wave(n, 4, 0.5, 0.5),
    gradTolerance: 1e-6,
  },
  { kernel: 'sigmoid_binary_cross_entropy_loss', p: (n) => wave(n, 5, 40), target: (n) => wave(n, 6, 0.5, 0.5), gradTolerance: 1e-6 },
  // Label smoothing and class weights (the labelled exports).
  { kernel: 'binary_cross_entropy_loss', p: (n) => wave(n, 3, 0.45, 0.5), target: (n) => wave(n, 4, 0.5, 0.5), attrs: { smoothing: 0.1, classWeights: [0.5, 2] }, gradTolerance: 1e-6 },
  { kernel: 'sigmoid_binary_cross_entropy_loss', p: (n) => wave(n, 5, 40), target: (n) => wave(n, 6, 0.5, 0.5), attrs: { smoothing: 0.2 }, gradTolerance: 1e-6 },
];

describeBuild('losses on WASM SIMD', () => {
  it('the module validates on this host', () => {
    expect(WebAssembly.validate(lossModuleBytes(false, wasmBuild === 'fma'))).toBe(true);
  });

  for (const c of CASES) {
    for (const n of [50, 1003, 10_001]) {
      it(`${c.kernel}${c.attrs ? ` ${JSON.stringify(c.attrs)}` : ''}, ${n} values: loss and gradient`, () => {
        const [p, target] = [c.p(n), c.target(n)];
        const want = run(lossKernels[c.kernel] as never, p, target, c.attrs);
        const got = run(lossSimdKernels[c.kernel], p, target, c.attrs);
        expect(Math.abs(got.loss - want.loss), `loss ${got.loss} vs ${want.loss}`).toBeLessThanOrEqual(1e-6 * Math.abs(want.loss));
        const bad = want.g.findIndex((v, i) => !(Math.abs(got.g[i]! - v) <= c.gradTolerance * Math.max(Math.abs(v), 1 / n)));
        expect(bad, `dpred[${bad}] = ${got.g[bad]}, want ${want.g[bad]} (p ${p[bad]}, t ${target[bad]})`).toBe(-1);
      });
    }
  }

  /** The kernel with a mask of `mask.length` entries, each covering n/|mask| consecutive values. */
  function runMasked(kernel: (typeof lossSimdKernels)[keyof typeof lossSimdKernels], p: Float32Array, target: Float32Array, mask: Float32Array, attrs = {}): { loss: number; g: Float32Array } {
    const [loss, g] = [new Float32Array(1), new Float32Array(p.length).fill(7)];
    kernel(ctx, [t(p), t(target), t(mask)], [{ shape: [], data: loss }, t(g)], attrs);
    return { loss: loss[0]!, g };
  }

  // Masks of rows (17 of 59 values, 73 of 137) and of every value; a NaN prediction where the mask is
  // 0 must not reach the loss. The same tolerances as without a mask, the gradient's floor 1/(kept).
  for (const c of CASES) {
    for (const [n, entries] of [[1003, 17], [10_001, 73], [50, 50]] as const) {
      it(`masked ${c.kernel}${c.attrs ? ` ${JSON.stringify(c.attrs)}` : ''}, ${n} values under ${entries} mask entries: loss and gradient`, () => {
        const [p, target] = [c.p(n), c.target(n)];
        const mask = Float32Array.from({ length: entries }, (_, r) => (r % 3 === 1 ? 0 : r % 5 === 0 ? 2 : 1));
        // Inside mask entry 1, which is 0.
        p[(n / entries) * 1 + ((n / entries) >> 1)] = Number.NaN;
        const want = runMasked(lossKernels[`masked_${c.kernel}`] as never, p, target, mask, c.attrs);
        const got = runMasked(lossSimdKernels[`masked_${c.kernel}`], p, target, mask, c.attrs);
        expect(Number.isFinite(want.loss)).toBe(true);
        expect(Math.abs(got.loss - want.loss), `loss ${got.loss} vs ${want.loss}`).toBeLessThanOrEqual(1e-6 * Math.abs(want.loss));
        const keptValues = mask.filter((m) => m !== 0).length * (n / entries);
        const bad = want.g.findIndex((v, i) => !(Math.abs(got.g[i]! - v) <= c.gradTolerance * Math.max(Math.abs(v), 1 / keptValues)));
        expect(bad, `dpred[${bad}] = ${got.g[bad]}, want ${want.g[bad]} (p ${p[bad]}, t ${target[bad]})`).toBe(-1);
      });
    }
  }

  it('every value masked: loss 0 and no gradient, as the JS kernel', () => {
    const [p, target] = [wave(64, 1, 3), wave(64, 2, 2)];
    const got = runMasked(lossSimdKernels.masked_mse_loss, p, target, new Float32Array(8));
    expect(got).toEqual(runMasked(lossKernels.masked_mse_loss as never, p, target, new Float32Array(8)));
    expect(got.loss).toBe(0);
  });

  it.runIf(threadsSupported())('masked or not, the same bits on 1 and 2 threads, and 2 uses the workers', async () => {
    const n = 100_004;
    const [p, target] = [wave(n, 5, 40), wave(n, 6, 0.5, 0.5)];
    const mask = Float32Array.from({ length: n / 4 }, (_, r) => r % 7);
    const both = () => [run(lossSimdKernels.sigmoid_binary_cross_entropy_loss, p, target), runMasked(lossSimdKernels.masked_sigmoid_binary_cross_entropy_loss, p, target, mask)];
    await warmPool(1);
    const one = both();
    await warmPool(2);
    const before = poolStats().jobs;
    const two = both();
    expect(poolStats().jobs).toBeGreaterThan(before);
    two.forEach((r, i) => {
      expect(bits([r.loss])).toEqual(bits([one[i]!.loss]));
      expect(bits(r.g)).toEqual(bits(one[i]!.g));
    });
    setCpuThreads(null);
  });

  /** A class loss over [rows, cols], with a mask of the rows when given. */
  function runClass(kernel: CpuKernel, p: Float32Array, target: Float32Array, cols: number, mask?: Float32Array): { loss: number; g: Float32Array } {
    const [loss, g] = [new Float32Array(1), new Float32Array(p.length).fill(7)];
    const shape = [p.length / cols, cols];
    const inputs: CpuTensor[] = [{ shape, data: p }, { shape, data: target }, ...(mask ? [t(mask)] : [])];
    kernel(ctx, inputs, [{ shape: [], data: loss }, { shape, data: g }], {});
    return { loss: loss[0]!, g };
  }

  // KL divergence and the cross-entropy of probabilities, by rows of 10 or 7 classes (a tail), with
  // probabilities at the clipping (0, 1e-9, 1) and targets of 0; masked by rows too (a NaN in a
  // masked row left out). dpred within 1e-6 relative to max(|dpred|, 1/rows); the loss within 1e-6
  // relative (KL's ln(t/p) of one float32 quotient: no cancellation between two logs).
  for (const [kernel, cols, rows] of [['kl_divergence_loss', 10, 301], ['cross_entropy_loss', 10, 301], ['kl_divergence_loss', 7, 1429], ['cross_entropy_loss', 7, 1429]] as const) {
    it(`${kernel}, ${rows} rows of ${cols}: loss and gradient, with and without a mask of the rows`, () => {
      const n = rows * cols;
      const p = wave(n, 3, 0.5, 0.5);
      [0, 1e-9, 1, 1e-7, 0.5].forEach((v, i) => (p[i * 13] = v));
      const target = wave(n, 4, 0.5, 0.5);
      for (let i = 0; i < n; i += 9) target[i] = 0;
      const mask = Float32Array.from({ length: rows }, (_, r) => (r % 4 === 2 ? 0 : 1));
      const masked = p.slice();
      masked[2 * cols + 1] = Number.NaN;
      for (const [pred, m] of [[p, undefined], [masked, mask]] as const) {
        const want = runClass((m ? lossKernels[`masked_${kernel}`] : lossKernels[kernel]) as CpuKernel, pred, target, cols, m);
        const got = runClass((m ? lossSimdKernels[`masked_${kernel}`] : lossSimdKernels[kernel]) as CpuKernel, pred, target, cols, m);
        expect(Number.isFinite(want.loss)).toBe(true);
        expect(Math.abs(got.loss - want.loss), `loss ${got.loss} vs ${want.loss}`).toBeLessThanOrEqual(1e-6 * Math.abs(want.loss));
        const bad = want.g.findIndex((v, i) => !(Math.abs(got.g[i]! - v) <= 1e-6 * Math.max(Math.abs(v), 1 / rows)));
        expect(bad, `dpred[${bad}] = ${got.g[bad]}, want ${want.g[bad]} (p ${pred[bad]}, t ${target[bad]})`).toBe(-1);
      }
    });
  }
});
