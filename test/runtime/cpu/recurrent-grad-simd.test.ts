import { afterAll, expect, it } from 'vitest';
import '../../../runtime/cpu/index.js';
import type { CpuTensor } from '../../../runtime/cpu/kernel-interface.js';
import { recurrentKernels } from '../../../runtime/cpu/kernels/recurrent.js';
import { recurrentGradSimd } from '../../../runtime/cpu/wasm/recurrent-grad-simd.js';
import { recurrentScanSimd } from '../../../runtime/cpu/wasm/recurrent-simd.js';
import { RECURRENT_CELLS, type RecurrentCellName } from '../../../runtime/plan/kernels.js';
import { poolStats, threadsSupported } from '../../../runtime/cpu/threads/pool.js';
import { setCpuThreads } from '../../../runtime/cpu/threads/thread-count.js';
import { random } from './float-data.js';
import { placedInKernelMemory } from './placed-tensors.js';
import { bits, warmPool } from './threads/warm-pool.js';
import { describeBuild } from './wasm-build.js';

/**
 * The WASM SIMD scans against the JS kernels (runtime/cpu/kernels/recurrent.ts, themselves checked
 * against finite differences in test/compiler/autodiff/recurrent.test.ts): every cell, both output
 * forms, unmasked and masked (padding at the first, the last and middle steps, and one row padded
 * throughout). Bound: the largest difference over the largest magnitude of the JS result, < 2e-6
 * (measured at most 8.7e-7 on the installed SIMD GEMM, Node 20 x86-64): float32 cells and the
 * module's exp/tanh against the JS kernels' float64 Math, and dw_hh summed over all N·T rows in one
 * product rather than step by step. The SIMD scans on tensors lying in the kernels' memory (read and
 * written in place, as an executor's) give the same bits as on plain arrays. Then the same bits on
 * 1, 2 and 3 threads.
 */
const ctx = { training: true, lr: 0, step: 0, seed: 0 };
const [N, T, U] = [5, 7, 12];

/** Padding: row 0 none, row 1 its first two steps, row 2 its last, row 3 every other, row 4 all of them. */
const MASK = Int32Array.from({ length: N * T }, (_, i) => {
  const [b, t] = [Math.floor(i / T), i % T];
  return [true, t >= 2, t < T - 1, t % 2 === 0, false][b]! ? 1 : 0;
});

function tensor(shape: number[], data?: Float32Array): CpuTensor {
  return { shape, data: data ?? new Float32Array(shape.reduce((a, b) => a * b, 1)) };
}

/** max |got − want| / max |want|, and that want is not all zeros. */
function relativeError(got: Float32Array, want: Float32Array): number {
  let worst = 0;
  let scale = 0;
  want.forEach((v, i) => {
    worst = Math.max(worst, Math.abs(got[i]! - v));
    scale = Math.max(scale, Math.abs(v));
  });
  expect(scale).toBeGreaterThan(0);
  return worst / scale;
}

describeBuild('recurrent scans in WASM SIMD against the JS kernels', () => {
  for (const cell of Object.keys(RECURRENT_CELLS) as RecurrentCellName[]) {
    const layout = RECURRENT_CELLS[cell];
    const [g, s] = [layout.gates * U, layout.saved * U];
    const biased = 'recurrentBias' in layout;
    for (const sequences of [true, false]) {
      for (const masked of [false, true]) {
        const kind = `${cell}${masked ? ' masked' : ''}, return_sequences ${sequences}`;
        const attrs = { units: U, return_sequences: sequences };
        const yShape = sequences ? [N, T, U] : [N, U];
        const mask = tensor([N, T], Float32Array.from(MASK));
        const w = tensor([g, U], random(g * U, 2).map((v) => v * 0.5));
        const forwardInputs = [tensor([N, T, g], random(N * T * g, 1).map((v) => v * 2)), w, ...(biased ? [tensor([g], random(g, 3))] : []), ...(masked ? [mask] : [])];
        const forward = (kernels: Record<string, (typeof recurrentKernels)['lstm_scan']>): CpuTensor[] => {
          const outputs = [tensor(yShape), tensor([N, T, s])];
          kernels[`${cell}${masked ? '_masked' : ''}_scan`]!(ctx, forwardInputs, outputs, attrs);
          return outputs;
        };

        it(`forward: ${kind}`, () => {
          const [want, got] = [forward(recurrentKernels), forward(recurrentScanSimd)];
          for (const k of [0, 1]) expect(relativeError(got[k]!.data as Float32Array, want[k]!.data as Float32Array)).toBeLessThan(2e-6);
          const placed = placedInKernelMemory([...forwardInputs, tensor(yShape), tensor([N, T, s])]);
          recurrentScanSimd[`${cell}${masked ? '_masked' : ''}_scan`]!(ctx, placed.tensors.slice(0, -2), placed.tensors.slice(-2), attrs);
          placed.tensors.slice(-2).forEach((x, k) => expect(bits(x.data), `output ${k} in the kernels' memory`).toEqual(bits(got[k]!.data)));
          placed.free();
        });

        it(`backward: ${kind}`, () => {
          const saved = forward(recurrentKernels)[1]!;
          const inputs = [tensor(yShape, random(yShape.reduce((a, b) => a * b, 1), 4)), w, saved, ...(masked ? [mask] : [])];
          const backward = (kernels: Record<string, (typeof recurrentKernels)['lstm_scan']>): CpuTensor[] => {
            const outputs = [tensor([N, T, g]), tensor([g, U]), ...(biased ? [tensor([g])] : [])];
            kernels[`${cell}${masked ? '_masked' : ''}_scan_grad`]!(ctx, inputs, outputs, attrs);
            return outputs;
          };
          const [want, got] = [backward(recurrentKernels), backward(recurrentGradSimd)];
          want.forEach((w, k) => expect(relativeError(got[k]!.data as Float32Array, w.data as Float32Array), `output ${k}`).toBeLessThan(2e-6));
          const outputs = [tensor([N, T, g]), tensor([g, U]), ...(biased ? [tensor([g])] : [])];
          const placed = placedInKernelMemory([...inputs, ...outputs]);
          recurrentGradSimd[`${cell}${masked ? '_masked' : ''}_scan_grad`]!(ctx, placed.tensors.slice(0, inputs.length), placed.tensors.slice(inputs.length), attrs);
          placed.tensors.slice(inputs.length).forEach((x, k) => expect(bits(x.data), `output ${k} in the kernels' memory`).toEqual(bits(got[k]!.data)));
          // dy is read in place, never written.
          expect(bits(placed.tensors[0]!.data)).toEqual(bits(inputs[0]!.data));
          placed.free();
          if (masked) {
            // Padding steps get no input gradient at all.
            const dxw = got[0]!.data as Float32Array;
            MASK.forEach((m, row) => m === 0 && expect(dxw.subarray(row * g, (row + 1) * g).every((v) => v === 0)).toBe(true));
          }
        });
      }
    }
  }
});

describeBuild('recurrent scans in WASM SIMD on threads', () => {
  afterAll(() => setCpuThreads(null));

  it.runIf(threadsSupported())('an LSTM scan and its gradient give the same bits on 1, 2 and 3 threads, and 2 use the workers', async () => {
    const [n, t, u] = [32, 8, 128];
    const [g, s] = [4 * u, 6 * u];
    const attrs = { units: u, return_sequences: true };
    const mask = tensor([n, t], Float32Array.from({ length: n * t }, (_, i) => (i % 5 === 3 ? 0 : 1)));
    const inputs = [tensor([n, t, g], random(n * t * g, 5)), tensor([g, u], random(g * u, 6).map((v) => v * 0.2)), mask];
    const dy = tensor([n, t, u], random(n * t * u, 7));
    const run = (): Float32Array[] => {
      const forward = [tensor([n, t, u]), tensor([n, t, s])];
      recurrentScanSimd.lstm_masked_scan(ctx, inputs, forward, attrs);
      const backward = [tensor([n, t, g]), tensor([g, u])];
      recurrentGradSimd.lstm_masked_scan_grad(ctx, [dy, inputs[1]!, forward[1]!, mask], backward, attrs);
      return [...forward, ...backward].map((x) => x.data as Float32Array);
    };
    await warmPool(1);
    const one = run();
    for (const threads of [2, 3]) {
      await warmPool(threads);
      const before = poolStats().jobs;
      const many = run();
      if (threads === 2) expect(poolStats().jobs - before).toBeGreaterThan(0);
      many.forEach((data, k) => expect(bits(data), `output ${k} on ${threads} threads`).toEqual(bits(one[k]!)));
    }
  });
});
