import { describe, expect, it } from 'vitest';
import type { CpuTensor, KernelContext } from '../../../runtime/cpu/kernel-interface.js';
import { optimizerKernels } from '../../../runtime/cpu/kernels/optimizers.js';
import { markCacheable, markWritten } from '../../../runtime/cpu/packed-operands.js';
import { createStoredMemory } from '../../../runtime/cpu/simd/stored-memory.js';
import { kernelHeap } from '../../../runtime/cpu/wasm/kernel-memory.js';
import { packB8, packedBSize } from '../../../runtime/cpu/wasm/sgemm-pack.js';
import { sgemmModule, sgemmSimd, transposedCopyOf } from '../../../runtime/cpu/wasm/sgemm-simd.js';

/**
 * The optimizer updates that rewrite a weight's resident packed copy as they update it
 * (optimizer-module.ts packedUpdateFunction, stored-memory.ts packingUpdate): after each step the
 * copy is bit for bit packB8 of the updated weight (the JS packing, the layout pack_bt writes), the
 * weight and its slots are bit for bit those of the plain update on a twin never read by a product,
 * and the next product reads the copy as current (equal to the product with the weight copied
 * afresh). Shapes: whole panels, a ragged last panel (n mod 8 ≠ 0), k over one block of KC = 256,
 * fewer rows than a panel, and k not a multiple of 4 (no packing update: the copy is repacked).
 */
const CASES: Array<{ kernel: keyof typeof optimizerKernels; slots: number; attrs: Record<string, number | boolean> }> = [
  { kernel: 'gd_update', slots: 0, attrs: {} },
  { kernel: 'sgd_update', slots: 1, attrs: { momentum: 0.9, nesterov: false } },
  { kernel: 'sgd_update', slots: 1, attrs: { momentum: 0.9, nesterov: true } },
  { kernel: 'adam_update', slots: 2, attrs: { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 } },
  { kernel: 'adamw_update', slots: 2, attrs: { beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0.01 } },
  { kernel: 'adagrad_update', slots: 1, attrs: { epsilon: 1e-7 } },
  { kernel: 'rmsprop_update', slots: 2, attrs: { rho: 0.9, epsilon: 1e-7, momentum: 0.5 } },
];
const SHAPES: Array<[number, number]> = [[16, 12], [19, 8], [24, 300], [5, 4], [10, 6]];

function values(length: number, seed: number, scale: number): Float32Array {
  return Float32Array.from({ length }, (_, i) => Math.sin(i * 0.37 + seed) * scale);
}

/** The values' bits, so that equality is bit for bit (−0 ≠ 0, any NaN payload). */
const bits = (data: Float32Array): number[] => Array.from(new Uint32Array(data.buffer, data.byteOffset, data.length));

const gemm = sgemmModule();

describe.runIf(gemm?.threaded.shared)('optimizer updates that write the packed copy', () => {
  for (const { kernel, slots, attrs } of CASES) {
    for (const [n, k] of SHAPES) {
      it(`${kernel} ${JSON.stringify(attrs)} on [${n}, ${k}]: the copy is pack_bt's of the updated weight`, () => {
        const heap = kernelHeap(gemm!.memory);
        const size = n * k;
        const memory = createStoredMemory(new Array<number>(2 * (1 + slots)).fill(size), 0, heap)!;
        // The weight a product reads transposed (and so packs), and a twin no product reads.
        const packed = Array.from({ length: 1 + slots }, () => memory.allocate(size));
        const plain = Array.from({ length: 1 + slots }, () => memory.allocate(size));
        packed[0]!.set(values(size, 1, 0.5));
        plain[0]!.set(values(size, 1, 0.5));
        markCacheable(packed[0]!);
        const m = 3;
        const x = values(m * k, 7, 1);
        const product = (w: Float32Array): Float32Array => {
          const c = new Float32Array(m * n);
          sgemmSimd(gemm!, x, k, 1, w, 1, k, c, m, n, k);
          return c;
        };
        product(packed[0]!);
        const run = optimizerKernels[kernel];
        const tensors = (list: Float32Array[]): CpuTensor[] => list.map((data) => ({ shape: [n, k], data }));
        for (let step = 1; step <= 3; step++) {
          const grad: CpuTensor = { shape: [n, k], data: heap.view('f32', heap.allocate(size * 4), size) as Float32Array };
          grad.data.set(values(size, step * 3, 0.1));
          const ctx: KernelContext = { training: true, lr: 0.01, step, seed: 0 };
          const [p, ...s] = tensors(packed);
          const [q, ...t] = tensors(plain);
          run(ctx, [p!, grad, ...s], [], attrs);
          run(ctx, [q!, grad, ...t], [], attrs);
          markWritten(packed[0]!);
          for (let i = 0; i <= slots; i++) expect(bits(packed[i]!)).toEqual(bits(plain[i]!));
          const want = new Float32Array(packedBSize(n, k));
          packB8(plain[0]!, 1, k, want, 0, n, k);
          const copyBits = (): number[] => {
            const copy = transposedCopyOf(gemm!, packed[0]!);
            expect(copy).not.toBeNull();
            return bits(new Float32Array(gemm!.memory.buffer, copy!.address, want.length));
          };
          // k a multiple of 4: written by the update, before any product; else repacked by the product.
          if (k % 4 === 0) expect(copyBits()).toEqual(bits(want));
          expect(bits(product(packed[0]!))).toEqual(bits(product(Float32Array.from(plain[0]!))));
          expect(copyBits()).toEqual(bits(want));
        }
        expect(packed[0]![0]).not.toBe(values(1, 1, 0.5)[0]);
      });
    }
  }
});
