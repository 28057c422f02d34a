import { describe, expect, it } from 'vitest';
import { KC, packPanelsA } from '../../../runtime/cpu/kernels/gemm-pack.js';
import { kernelHeap } from '../../../runtime/cpu/wasm/kernel-memory.js';
import { sgemmModule } from '../../../runtime/cpu/wasm/sgemm-simd.js';
import { random } from './float-data.js';

/**
 * The module's A packing (pack_a: 4×4 transposes for A row-major, vector copies for A transposed,
 * sgemm-pack-vector.ts) against the JS packing of the same layout (gemm-pack.ts packPanelsA, block after
 * block) and the module's generic loop (pack_a_loop) it falls back on: the same bits, ragged panels,
 * k blocks and k not a multiple of 4 included, in two ranges of panels as two threads take them.
 */
const SHAPES: Array<[m: number, k: number]> = [[1, 1], [3, 5], [4, 4], [13, 7], [16, 256], [19, 301], [64, 517], [33, 9], [128, 784]];
const LAYOUTS = ['row-major', 'transposed', 'strided'] as const;

describe('pack_a (A packed by the module)', () => {
  for (const [m, k] of SHAPES) {
    for (const layout of LAYOUTS) {
      it(`m=${m} k=${k} ${layout}: the same bits as packPanelsA`, () => {
        const module = sgemmModule()!;
        const heap = kernelHeap(module.memory);
        // strided: row-major rows of k + 3 floats (neither stride 1: the generic loop).
        const [aRow, aCol] = layout === 'row-major' ? [k, 1] : layout === 'transposed' ? [1, m] : [k + 3, 1];
        const length = (m - 1) * aRow + (k - 1) * aCol + 1;
        const mPanels = Math.ceil(m / 4);
        const size = mPanels * 4 * k;
        const srcAt = heap.allocate(length * 4 + 64);
        const dstAt = heap.allocate(size * 4 + 64);
        try {
          const a = heap.view('f32', srcAt, length) as Float32Array;
          a.set(random(length, m + k));
          const expected = new Float32Array(size);
          for (let k0 = 0; k0 < k; k0 += KC) packPanelsA(a, aRow, aCol, expected, k0 * mPanels * 4, m, 0, m, k0, Math.min(KC, k - k0));
          const into = heap.view('f32', dstAt, size) as Float32Array;
          for (const kernel of ['pack_a', 'pack_a_loop']) {
            into.fill(5);
            const pack = module.threaded.exports[kernel] as (...args: number[]) => void;
            const perTile = 2;
            const tiles = Math.ceil(mPanels / perTile);
            pack(srcAt, aRow * 4, aCol * 4, m, k, dstAt, mPanels, perTile, 0, Math.ceil(tiles / 2));
            pack(srcAt, aRow * 4, aCol * 4, m, k, dstAt, mPanels, perTile, Math.ceil(tiles / 2), tiles);
            expect(new Uint32Array(into.buffer, into.byteOffset, size), kernel).toEqual(new Uint32Array(expected.buffer));
          }
        } finally {
          heap.free(srcAt);
          heap.free(dstAt);
        }
      });
    }
  }
});
