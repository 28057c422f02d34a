import { describe, expect, it } from 'vitest';
import type { CpuTensor, KernelContext } from '../../../runtime/cpu/kernel-interface.js';
import { optimizerKernels } from '../../../runtime/cpu/kernels/optimizers.js';
import { createStoredMemory } from '../../../runtime/cpu/simd/stored-memory.js';
import { kernelHeap, type KernelHeap } from '../../../runtime/cpu/wasm/kernel-memory.js';
import { sgemmModule } from '../../../runtime/cpu/wasm/sgemm-simd.js';

/**
 * The six optimizer updates in float32 WASM SIMD, in place in the stored memory, against the scalar
 * formulas in float64 (the JS loop on plain arrays, the reference) over several steps. Tolerance:
 * 2e-6 relative to the parameter's scale: float32 arithmetic against float64, one rounding per
 * operation, over 5 steps. Lengths not a multiple of 4 exercise the JS tail. Both placements: a
 * memory of the executor's own, and a block of the kernels' shared heap (where the module runs on
 * the worker pool and reads the gradient in place when it lies there too).
 */
const CASES: Array<{ kernel: keyof typeof optimizerKernels; slots: number; attrs: Record<string, number | boolean> }> = [
  { kernel: 'gd_update', slots: 0, attrs: {} },
  { kernel: 'sgd_update', slots: 1, attrs: { momentum: 0.9, nesterov: false } },
  { kernel: 'sgd_update', slots: 1, attrs: { momentum: 0.9, nesterov: true } },
  { kernel: 'adam_update', slots: 2, attrs: { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 } },
  { kernel: 'adamw_update', slots: 2, attrs: { beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0.01 } },
  { kernel: 'adamw_update', slots: 2, attrs: { beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0 } },
  { kernel: 'adagrad_update', slots: 1, attrs: { epsilon: 1e-7 } },
  { kernel: 'rmsprop_update', slots: 2, attrs: { rho: 0.9, epsilon: 1e-7, momentum: 0.5 } },
];

function values(length: number, seed: number, scale: number): Float32Array {
  return Float32Array.from({ length }, (_, i) => Math.sin(i * 0.37 + seed) * scale);
}

const gemm = sgemmModule();
const PLACEMENTS: Array<[string, () => KernelHeap | null]> = [
  ['own memory', () => null],
  ...(gemm?.threaded.shared ? [['kernel heap', () => kernelHeap(gemm.memory)] as [string, () => KernelHeap]] : []),
];

describe('optimizer updates in WASM SIMD', () => {
  for (const [placement, heap] of PLACEMENTS) {
    for (const { kernel, slots, attrs } of CASES) {
      for (const length of [1, 4, 37, 1000]) {
        it(`${kernel} ${JSON.stringify(attrs)} on ${length} values (${placement}) matches the scalar formula`, () => {
          const memory = createStoredMemory([length, ...new Array<number>(slots).fill(length)], length, heap());
          expect(memory).not.toBeNull();
          const simdTensors: CpuTensor[] = [memory!.allocate(length), ...Array.from({ length: slots }, () => memory!.allocate(length))].map((data) => ({ shape: [length], data }));
          const refTensors: CpuTensor[] = Array.from({ length: 1 + slots }, () => ({ shape: [length], data: new Float32Array(length) }));
          simdTensors[0]!.data.set(values(length, 1, 0.5));
          refTensors[0]!.data.set(values(length, 1, 0.5));
          const run = optimizerKernels[kernel];
          for (let step = 1; step <= 5; step++) {
            // In the heap, the gradient lies there too (read in place); else a plain array (copied in).
            const gradData = values(length, step * 3, 0.1);
            const h = heap();
            const grad: CpuTensor = { shape: [length], data: h ? (h.view('f32', h.allocate(length * 4), length) as Float32Array) : gradData };
            grad.data.set(gradData);
            const ctx: KernelContext = { training: true, lr: 0.01, step, seed: 0 };
            run(ctx, [simdTensors[0]!, grad, ...simdTensors.slice(1)], [], attrs);
            run(ctx, [refTensors[0]!, grad, ...refTensors.slice(1)], [], attrs);
          }
          for (let t = 0; t < simdTensors.length; t++) {
            const got = simdTensors[t]!.data;
            const want = refTensors[t]!.data;
            let worst = 0;
            for (let i = 0; i < length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
            expect(worst).toBeLessThan(2e-6);
          }
          // The parameter moved: the update ran.
          expect(simdTensors[0]!.data[0]).not.toBe(values(1, 1, 0.5)[0]);
        });
      }
    }
  }

  it('is exact for gd (one multiply and one subtract, both rounded the same way)', () => {
    const memory = createStoredMemory([8], 8)!;
    const p = memory.allocate(8);
    p.set(values(8, 2, 1));
    const ref = Float32Array.from(p);
    const g = values(8, 5, 1);
    optimizerKernels.gd_update!({ training: true, lr: 0.25, step: 1, seed: 0 }, [{ shape: [8], data: p }, { shape: [8], data: g }], [], {});
    for (let i = 0; i < 8; i++) ref[i]! -= 0.25 * g[i]!;
    expect(Array.from(p)).toEqual(Array.from(ref));
  });
});
