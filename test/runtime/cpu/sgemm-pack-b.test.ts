import { describe, expect, it } from 'vitest';
import { kernelHeap } from '../../../runtime/cpu/wasm/kernel-memory.js';
import { packB8, packedBSize } from '../../../runtime/cpu/wasm/sgemm-pack.js';
import { sgemmModule, sgemmSimd } from '../../../runtime/cpu/wasm/sgemm-simd.js';
import { random } from './float-data.js';

/**
 * The module's B packing (pack_b, sgemm-pack-a.ts; pack_bt, sgemm-pack-vector.ts) against the JS one
 * it replaces for B in the kernels' memory (sgemm-pack.ts packB8, still the path for B outside it):
 * the same bits, ragged panels and k blocks included, for a transposed weight (contiguous along k)
 * and a row-major B.
 */

const SHAPES: Array<[n: number, k: number]> = [[1, 1], [7, 3], [13, 5], [8, 256], [19, 301], [64, 517], [33, 9], [16, 4], [24, 263]];

describe('pack_b (B packed by the module)', () => {
  for (const [n, k] of SHAPES) {
    for (const transposed of [true, false]) {
      it(`n=${n} k=${k} ${transposed ? 'transposed' : 'row-major'}: the same bits as packB8`, () => {
        const module = sgemmModule()!;
        const heap = kernelHeap(module.memory);
        const size = packedBSize(n, k);
        const srcAt = heap.allocate(n * k * 4 + 64);
        const dstAt = heap.allocate(size * 4 + 64);
        try {
          const b = heap.view('f32', srcAt, n * k) as Float32Array;
          b.set(random(n * k, n + k));
          const [bRow, bCol] = transposed ? [1, k] : [n, 1];
          const expected = new Float32Array(size).fill(3);
          packB8(b, bRow, bCol, expected, 0, n, k);
          const into = heap.view('f32', dstAt, size) as Float32Array;
          const nPanels = Math.ceil(n / 8);
          // pack_bt (4×4 transposes) only for B contiguous along k.
          for (const kernel of transposed ? ['pack_b', 'pack_bt'] : ['pack_b']) {
            into.fill(5);
            const packB = module.threaded.exports[kernel] as (...args: number[]) => void;
            // Two ranges of panels, as two threads would take them.
            const perTile = 2;
            const tiles = Math.ceil(nPanels / perTile);
            packB(srcAt, bCol * 4, bRow * 4, n, k, dstAt, nPanels, perTile, 0, Math.ceil(tiles / 2));
            packB(srcAt, bCol * 4, bRow * 4, n, k, dstAt, nPanels, perTile, Math.ceil(tiles / 2), tiles);
            expect(new Uint32Array(into.buffer, into.byteOffset, size), kernel).toEqual(new Uint32Array(expected.buffer));
          }
        } finally {
          heap.free(srcAt);
          heap.free(dstAt);
        }
      });
    }
  }

  it('x·Wᵀ with W in the kernels memory is the same bits as with W outside it', () => {
    const module = sgemmModule()!;
    const heap = kernelHeap(module.memory);
    const m = 12, n = 21, k = 37;
    const a = random(m * k, 1);
    const w = random(n * k, 2);
    const plain = new Float32Array(m * n);
    sgemmSimd(module, a, k, 1, w, 1, k, plain, m, n, k);
    const wAt = heap.allocate(n * k * 4 + 64);
    try {
      const placed = heap.view('f32', wAt, n * k) as Float32Array;
      placed.set(w);
      const c = new Float32Array(m * n);
      sgemmSimd(module, a, k, 1, placed, 1, k, c, m, n, k);
      expect(c).toEqual(plain);
    } finally {
      heap.free(wAt);
    }
  });
});
