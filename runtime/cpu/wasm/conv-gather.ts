import type { Geometry } from '../kernels/conv.js';
import { KC } from '../kernels/gemm-pack.js';
import { geometryKey } from './conv-indirect.js';
import { addressIn } from './kernel-memory.js';
import { pointerTable } from './pointer-tables.js';
import { parallelFor } from '../threads/threaded-module.js';
import { driverName, MR, NR } from './sgemm-module.js';
import { floatsOf, type SgemmModule } from './sgemm-simd.js';

/**
 * A convolution's weight gradient on the float32 micro-kernel with nothing packed: transposed, it is
 * dwᵀ[taps·C, F] = Pᵀ · dy, where P [N·OH·OW, taps·C] is the patch matrix (never built) and dy
 * [N·OH·OW, F] is read row-major in place. The `gatherA` tiles (sgemm-module.ts) read Pᵀ through one
 * list of pointers per tap into a copy of x, block after block of KC output pixels, accumulating
 * into dwᵀ in the module's memory; dw is dwᵀ transposed on the way out (F · taps · C values).
 *
 * Memory: [ resident weights | x | zeros | dy | pointer lists, block after block | dwᵀ ]
 *
 * x and dy are not copied when they already lie in the module's memory (an executor's tensors, with
 * slack after them for dy's overread: kernel-memory.ts).
 *
 * The lists of every block are in place first (copied from the kept table, or written); then the
 * module's gather driver (sgemm-driver.ts) runs the blocks in order for each panel of 8 filters, the
 * panels split over threads (threads/threaded-module.ts): dwᵀ's bits do not depend on the thread count.
 */
const align16 = (bytes: number): number => Math.ceil(bytes / 16) * 16;

/** Lists past the last tap, all zeros: A's rows 4p + r beyond taps·C read them (see the module). */
const ZERO_LISTS = 4;

export function convGradWeightGather(module: SgemmModule, dy: Float32Array, x: Float32Array, g: Geometry, dw: Float32Array): void {
  const { memory, resident } = module;
  const taps = g.kh * g.kw;
  const k = taps * g.c;
  const rows = g.n * g.oh * g.ow;
  const mPanels = Math.ceil(k / MR);
  const nPanels = Math.ceil(g.f / NR);
  const ldc = nPanels * NR;
  const xInPlace = addressIn(memory, x);
  const dyInPlace = addressIn(memory, dy);
  const xAt = xInPlace ?? align16(resident.scratchStart());
  const zerosAt = align16(xInPlace === null ? xAt + x.length * 4 : resident.scratchStart());
  const dyScratchAt = align16(zerosAt + g.c * 4);
  const dyAt = dyInPlace ?? dyScratchAt;
  // dy's last row is read 8 columns wide per panel: one row of slack past it.
  const listsAt = align16(dyInPlace === null ? dyAt + (rows * g.f + NR) * 4 : dyScratchAt);
  // Every block's lists, block after block (block k0 from k0 · (taps + 4)).
  const entries = rows * (taps + ZERO_LISTS);
  const build = (into: Int32Array): void => {
    for (let k0 = 0; k0 < rows; k0 += KC) writeBlockLists(into, k0 * (taps + ZERO_LISTS), g, k0, Math.min(KC, rows - k0), xAt, zerosAt);
  };
  const table = pointerTable(`gather ${geometryKey(g)} ${xAt} ${zerosAt}`, entries, build);
  const cAt = align16(listsAt + entries * 4);
  resident.reserve(cAt + mPanels * MR * ldc * 4);
  const floats = floatsOf(memory);
  if (xInPlace === null) floats.set(x, xAt / 4);
  floats.fill(0, zerosAt / 4, zerosAt / 4 + g.c);
  if (dyInPlace === null) {
    floats.set(dy.subarray(0, rows * g.f), dyAt / 4);
    floats.fill(0, dyAt / 4 + rows * g.f, dyAt / 4 + rows * g.f + NR);
  }
  const lists = new Int32Array(memory.buffer, listsAt, entries);
  if (table) lists.set(table);
  else build(lists);
  const blockBytes = KC * (taps + ZERO_LISTS) * 4;
  const args = [listsAt, dyAt, cAt, blockBytes, ldc * 4, g.f * 4, mPanels, nPanels, rows, mPanels, 1, nPanels, 0, g.c];
  parallelFor(module.threaded, driverName({ gatherA: true, rowMajorB: true, bias: false, activation: 'none' }), args, nPanels, k * g.f * rows);
  // dw[f, kk] = dwᵀ[kk, f]
  const from = cAt / 4;
  for (let f = 0; f < g.f; f++) for (let kk = 0, o = f * k; kk < k; kk++) dw[o + kk] = floats[from + kk * ldc + f]!;
}

/**
 * One block's lists from lists[at]: at + t·kc + i holds pixel k0 + i's run of channels under tap t
 * in the copy of x, or the zeros; then the zero lists.
 */
function writeBlockLists(lists: Int32Array, at: number, g: Geometry, k0: number, kc: number, xAt: number, zerosAt: number): void {
  const taps = g.kh * g.kw;
  lists.fill(zerosAt, at + taps * kc, at + (taps + ZERO_LISTS) * kc);
  const { h, w, kh, kw, ow, oh, sh, sw, dh, dw, padTop, padLeft } = g;
  const pixelBytes = g.c * 4;
  let ox = k0 % ow;
  const rest = (k0 - ox) / ow;
  let oy = rest % oh;
  let b = (rest - oy) / oh;
  for (let i = 0; i < kc; i++) {
    let o = at + i;
    for (let ky = 0; ky < kh; ky++) {
      const iy = oy * sh + ky * dh - padTop;
      const rowOk = iy >= 0 && iy < h;
      const rowAt = xAt + (b * h + iy) * w * pixelBytes;
      for (let kx = 0; kx < kw; kx++, o += kc) {
        const ix = ox * sw + kx * dw - padLeft;
        lists[o] = rowOk && ix >= 0 && ix < w ? rowAt + ix * pixelBytes : zerosAt;
      }
    }
    if (++ox === ow) {
      ox = 0;
      if (++oy === oh) {
        oy = 0;
        b++;
      }
    }
  }
}
