import type { Geometry } from '../kernels/conv.js';
import { KC } from '../kernels/gemm-pack.js';
import { geometryKey } from './conv-indirect.js';
import { addressIn, zerosIn } from './kernel-memory.js';
import { pointerTable } from './pointer-tables.js';
import { cpuThreads } from '../threads/thread-count.js';
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
 * slack after them for dy's overread: kernel-memory.ts); then the zeros are a block kept for good and
 * the lists, which no longer change from call to call, are kept in a block of the memory too.
 *
 * The lists of every block are in place first (copied from the kept table, or written); then the
 * module's gather driver (sgemm-driver.ts) runs the blocks in order for each tile of dwᵀ, the tiles
 * split over threads (threads/threaded-module.ts): dwᵀ's bits do not depend on the thread count.
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
  // Every block's lists, block after block (block k0 from k0 · (taps + 4)).
  const entries = rows * (taps + ZERO_LISTS);
  pendingLists.g = g;
  // x in place and the zeros kept for good: the lists stay valid from call to call and are kept in
  // the memory, read where they are (pointer-tables.ts); else they are copied in, or written, per call.
  const keptZerosAt = xInPlace !== null ? zerosIn(memory, g.c) : null;
  const residentTable = xInPlace !== null && keptZerosAt !== null ? pointerTable(tableKey(g, xInPlace, keptZerosAt), entries, buildLists, memory) : null;
  const tableAt = residentTable && addressIn(memory, residentTable);
  const xAt = xInPlace ?? align16(resident.scratchStart());
  const zerosAt = keptZerosAt ?? align16(xAt + x.length * 4);
  const dyScratchAt = align16(keptZerosAt === null ? zerosAt + g.c * 4 : resident.scratchStart());
  const dyAt = dyInPlace ?? dyScratchAt;
  // dy's last row is read 8 columns wide per panel: one row of slack past it.
  const listsScratchAt = align16(dyInPlace === null ? dyAt + (rows * g.f + NR) * 4 : dyScratchAt);
  const listsAt = tableAt ?? listsScratchAt;
  const table = tableAt !== null ? residentTable : pointerTable(tableKey(g, xAt, zerosAt), entries, buildLists);
  const cAt = align16(tableAt !== null ? listsScratchAt : listsScratchAt + entries * 4);
  resident.reserve(cAt + mPanels * MR * ldc * 4);
  const floats = floatsOf(memory);
  if (xInPlace === null) floats.set(x, xAt / 4);
  if (keptZerosAt === null) floats.fill(0, zerosAt / 4, zerosAt / 4 + g.c);
  if (dyInPlace === null) {
    floats.set(dy.subarray(0, rows * g.f), dyAt / 4);
    floats.fill(0, dyAt / 4 + rows * g.f, dyAt / 4 + rows * g.f + NR);
  }
  if (tableAt === null) {
    const lists = new Int32Array(memory.buffer, listsAt, entries);
    if (table) lists.set(table);
    else buildLists(lists);
  }
  // A column tile per thread, not per panel: the tile takes each block of KC pixels for all its panels
  // in turn, so that block of dy (rows of F floats, of which a panel reads 8) comes from memory once
  // per tile, not once per panel. Which panels share a tile changes no sum: the same bits either way.
  // The conv net's first layer ([64, 28, 28, 1] * [32, 3, 3, 1], one thread, CPU time, under load):
  // 1.16–1.39 → 1.00–1.12 ms.
  // Fewer column panels than threads (a layer of at most 8 filters: LeNet's first) and the rest of the
  // threads take row tiles: each reads dy again but sums its own rows of dwᵀ, in the same order, so
  // the bits stay. LeNet-5 training b64 (bench/cpu/models.nnet), 2 threads, wall per step: 5.7–6.0 →
  // 5.5 ms.
  const threads = cpuThreads();
  const colTiles = Math.min(nPanels, threads);
  const rowTiles = Math.min(mPanels, Math.ceil(threads / colTiles));
  const d = driverArgs;
  d[0] = listsAt;
  d[1] = dyAt;
  d[2] = cAt;
  d[3] = KC * (taps + ZERO_LISTS) * 4;
  d[4] = ldc * 4;
  d[5] = g.f * 4;
  d[6] = mPanels;
  d[7] = nPanels;
  d[8] = rows;
  d[9] = rowTiles;
  d[10] = colTiles;
  d[11] = 0;
  d[12] = g.c;
  parallelFor(module.threaded, GATHER_DRIVER, d, rowTiles * colTiles, k * g.f * rows);
  // dw[f, kk] = dwᵀ[kk, f]
  const from = cAt / 4;
  for (let f = 0; f < g.f; f++) for (let kk = 0, o = f * k; kk < k; kk++) dw[o + kk] = floats[from + kk * ldc + f]!;
}

/** The driver's argument list, reused by every call (parallelFor reads it before it returns). */
const driverArgs: number[] = new Array<number>(13).fill(0);
const GATHER_DRIVER = driverName({ gatherA: true, rowMajorB: true, bias: false, activation: 'none' });

/** The lists `buildLists` writes: every block's, for the current call's geometry and addresses (no closure per call). */
const pendingLists = { g: null as Geometry | null, xAt: 0, zerosAt: 0 };
function buildLists(into: Int32Array): void {
  const { xAt, zerosAt } = pendingLists;
  const g = pendingLists.g!;
  const rows = g.n * g.oh * g.ow;
  for (let k0 = 0; k0 < rows; k0 += KC) writeBlockLists(into, k0 * (g.kh * g.kw + ZERO_LISTS), g, k0, Math.min(KC, rows - k0), xAt, zerosAt);
}

/** The table's key (and `buildLists`'s addresses), kept per geometry object while the addresses stay: no string per call. */
const tableKeys = new WeakMap<Geometry, { xAt: number; zerosAt: number; key: string }>();
function tableKey(g: Geometry, xAt: number, zerosAt: number): string {
  pendingLists.xAt = xAt;
  pendingLists.zerosAt = zerosAt;
  const kept = tableKeys.get(g);
  if (kept && kept.xAt === xAt && kept.zerosAt === zerosAt) return kept.key;
  const key = `gather ${geometryKey(g)} ${xAt} ${zerosAt}`;
  tableKeys.set(g, { xAt, zerosAt, key });
  return key;
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
