import type { Geometry } from '../kernels/conv.js';
import { parallelFor } from '../threads/threaded-module.js';
import { columnsModule, copyColumns } from './group-columns.js';
import { addressIn, zerosIn } from './kernel-memory.js';
import { pointerTable } from './pointer-tables.js';
import { driverName, MR, NR, TILE_ACTIVATIONS, unrolledTaps, UNROLLED_TAP_CHANNELS } from './sgemm-module.js';
import { copyOut, floatsOf, tileShape, tileWork, type SgemmEpilogue, type SgemmModule } from './sgemm-simd.js';
import { copyRuns } from './sgemm-pack.js';

/**
 * Convolutions as an indirect GEMM on the float32 micro-kernel (sgemm-module.ts's `indirectA`
 * variants): the kernel reads each output row's patch through a list of pointers, one per tap, into
 * a copy of the gathered tensor in the module's memory; padding taps point at a run of zeros. No
 * patch matrix is packed or stored: the forward reads x, the input gradient reads dy, and the JS work
 * per call is one pointer per (row, tap) — not one float per (row, tap, channel) as packing was.
 *
 * Forward: y[N·OH·OW, F] = Σ_taps x[pixel(row, tap), C] · w[F, tap, C]ᵀ.
 * Input gradient, as a convolution of dy: dx[N·H·W, C] = Σ_taps dy[pixel(row, tap), F] · w[F, tap, C],
 * pixel(row, tap) being the output pixel whose window puts input `row` under tap (ky, kx); taps that
 * no window reaches (the stride skips them, or they fall outside dy) read zeros. That replaces col2im
 * and its [N·OH·OW, kh·kw·C] matrix of patch gradients.
 *
 * Memory: [ resident weights | B when not resident | source | zeros | pointers | C of a pass | bias ]
 *
 * The source and C are not copied when they already lie in the module's memory (an executor's
 * tensors: kernel-memory.ts): the pointers then point into the source where it is (and at zeros kept
 * for good), so they do not change from call to call and their table is kept in the memory itself
 * (pointer-tables.ts), read where it is; and the tiles are stored into c itself when its rows are
 * whole tiles.
 *
 * The pointers of a pass of rows are in place first (copied from the kept table, or written); then
 * the module's indirect driver computes C tile by tile (sgemm-driver.ts), split over threads like
 * every GEMM (threads/threaded-module.ts).
 */
const MC = 128;

/** Rows per pass: at most this many bytes of pointers and C rows in scratch at once. */
const PASS_BYTES = 16 * 1024 * 1024;
const PASS_UNIT = 64;

/** One indirect product: what is gathered, along which taps, into how many rows. */
export interface Gather {
  /** The tensor the pointers read (x, or dy), copied into the module's memory once per call. */
  source: Float32Array;
  /** Names the pointer lists for a given source and zeros address (pointer-tables.ts's key). */
  key: string;
  /** Contiguous values per tap: C forward, F for the input gradient. */
  channels: number;
  /**
   * The rows come in 2×2 pooling windows of 4 (forwardPooledGather): the product stores one row of
   * C per window, their max after the bias and activation (sgemm-module.ts's pooled tiles).
   */
  pooled?: boolean;
  taps: number;
  rows: number;
  /**
   * Writes the pointer lists of rows [i0, i0 + count): for row i0 + r and tap t, the byte address of
   * the row's run of channels in the copy of `source` at byte `sourceAt`, or `zerosAt` for padding,
   * at into[at + pointerIndex(r, t, taps)].
   */
  pointers(into: Int32Array, at: number, i0: number, count: number, sourceAt: number, zerosAt: number): void;
}

/** B as the indirect variants read it: k = taps · channels rows, unblocked panels of 8 columns. */
export interface IndirectB {
  pack(into: Float32Array, offset: number): void;
  /** The buffer whose version decides whether the resident copy is current, and its layout key. */
  data: Float32Array;
  layout: string;
}

const align16 = (bytes: number): number => Math.ceil(bytes / 16) * 16;

/** Every number of the geometry: what a pointer table depends on besides addresses (kept per geometry object: conv.ts keeps those). */
export function geometryKey(g: Geometry): string {
  let key = geometryKeys.get(g);
  if (key === undefined) {
    key = `${g.n} ${g.h} ${g.w} ${g.c} ${g.f} ${g.kh} ${g.kw} ${g.oh} ${g.ow} ${g.sh} ${g.sw} ${g.dh} ${g.dw} ${g.padTop} ${g.padLeft}`;
    geometryKeys.set(g, key);
  }
  return key;
}

const geometryKeys = new WeakMap<Geometry, string>();

/**
 * `make(data, g)`, kept per geometry object and operand (a step's operands stay the same every
 * training step): the gathers and B's below are made once, not once per call.
 */
function keptPer<T>(make: (data: Float32Array, g: Geometry) => T): (data: Float32Array, g: Geometry) => T {
  // Per geometry, per operand: the groups of a grouped convolution share one geometry, each with its own weight view.
  const kept = new WeakMap<Geometry, WeakMap<Float32Array, T>>();
  return (data, g) => {
    let byData = kept.get(g);
    if (!byData) kept.set(g, (byData = new WeakMap()));
    let value = byData.get(data);
    if (value === undefined) byData.set(data, (value = make(data, g)));
    return value;
  };
}

/** Where row r's pointer for tap t goes: panels of 4 rows, [panel][tap][row], as the kernel reads them. */
const pointerIndex = (r: number, t: number, taps: number): number => ((r >> 2) * taps + t) * MR + (r & 3);

/**
 * c[rows × n] = the gathered patches · B, epilogue in the tile; rows, n ≥ 1; c is overwritten. A
 * pooled gather's c has a row per window (rows / 4), and its epilogue no `after` (the activation must
 * come before the max).
 */
export function sgemmIndirect(module: SgemmModule, gather: Gather, b: IndirectB, c: Float32Array, n: number, epilogue: SgemmEpilogue): void {
  const { memory, resident } = module;
  const { source, channels, taps, rows: m } = gather;
  const pooled = gather.pooled === true;
  const k = taps * channels;
  const nPanels = Math.ceil(n / NR);
  const ldc = nPanels * NR;
  const bBytes = ldc * k * 4;
  pendingB = b;
  pendingMemory = memory;
  // Blocks first (the resident B, the zeros, a pointer table kept in the memory), scratch after them.
  const residentAt = resident.place(b.data, b.layout, bBytes, writeB);
  const sourceInPlace = addressIn(memory, source);
  const paddedRows = Math.ceil(m / MR) * MR;
  pendingLists.gather = gather;
  // Source in place and zeros kept for good: the pointers stay valid from call to call, and their
  // table lives in the memory, read where it is. Otherwise the source is copied into scratch, and the
  // lists (kept in JS under the scratch addresses, or written pass by pass) are copied in.
  const keptZerosAt = sourceInPlace !== null ? zerosIn(memory, channels) : null;
  const residentTable =
    sourceInPlace !== null && keptZerosAt !== null
      ? pointerTable(tableKey(gather, pendingAt(sourceInPlace, keptZerosAt)), paddedRows * taps, buildLists, memory)
      : null;
  const tableAt = residentTable && addressIn(memory, residentTable);
  const bAt = residentAt ?? resident.scratchStart();
  const scratchAt = align16(residentAt === null ? bAt + bBytes : resident.scratchStart());
  const sourceAt = sourceInPlace ?? scratchAt;
  const zerosAt = keptZerosAt ?? align16(sourceAt + source.length * 4);
  const passRows = Math.min(paddedRows, Math.max(PASS_UNIT, Math.floor(PASS_BYTES / ((taps + ldc) * 4) / PASS_UNIT) * PASS_UNIT));
  const pointersAt = align16(keptZerosAt === null ? zerosAt + channels * 4 : scratchAt);
  const table = tableAt !== null ? residentTable : pointerTable(tableKey(gather, pendingAt(sourceAt, zerosAt)), paddedRows * taps, buildLists);
  const listsBase = tableAt ?? pointersAt;
  const cScratchAt = align16(tableAt !== null ? pointersAt : pointersAt + (table ? table.length : passRows * taps) * 4);
  // C straight into c when the tiles' rows are c's rows (no padding columns, no rows past m).
  const cInPlace = ldc === n && m % MR === 0 ? addressIn(memory, c) : null;
  const biasAt = cScratchAt + (cInPlace === null ? cRowsOf(passRows, pooled) * ldc * 4 : 0);
  resident.reserve(biasAt + ldc * 4);
  if (residentAt === null) writeB(bAt);
  const floats = floatsOf(memory);
  if (sourceInPlace === null) floats.set(source, sourceAt / 4);
  if (keptZerosAt === null) floats.fill(0, zerosAt / 4, zerosAt / 4 + channels);
  if (epilogue.bias) {
    floats.set(epilogue.bias.length === n ? epilogue.bias : epilogue.bias.subarray(0, n), biasAt / 4);
    floats.fill(0, biasAt / 4 + n, biasAt / 4 + ldc);
  } else if (pooled) floats.fill(0, biasAt / 4, biasAt / 4 + ldc);
  const pointers = tableAt === null ? new Int32Array(memory.buffer, pointersAt, table ? table.length : passRows * taps) : null;
  if (pointers && table) pointers.set(table);

  const unrolled = taps <= unrolledTaps(channels);
  // The pooled tiles always add a bias (zeros when there is none).
  const driver = pooled
    ? ((unrolled && POOLED_UNROLLED_DRIVERS.get(channels)) || POOLED_DRIVERS)[TILE_ACTIVATIONS.indexOf(epilogue.activation)]!
    : ((unrolled && UNROLLED_DRIVERS.get(channels)) || INDIRECT_DRIVERS)[(epilogue.bias !== null ? 4 : 0) + TILE_ACTIVATIONS.indexOf(epilogue.activation)]!;
  const runBytes = channels * 4;
  const columns = ldc !== n ? columnsModule() : null;
  const cAddress = addressIn(memory, c);
  for (let i0 = 0; i0 < m; i0 += passRows) {
    const rows = Math.min(passRows, m - i0);
    const mPanels = Math.ceil(rows / MR);
    if (!table) writePointers(gather, pointers!, 0, i0, rows, sourceAt, zerosAt);
    const [rowTiles, colTiles] = tileShape(mPanels, nPanels);
    const cAt = cInPlace === null ? cScratchAt : cInPlace + cRowsOf(i0, pooled) * n * 4;
    const d = driverArgs;
    d[0] = listsBase + (table ? i0 * taps * 4 : 0);
    d[1] = bAt;
    d[2] = cAt;
    d[3] = biasAt;
    d[4] = ldc * 4;
    d[5] = runBytes;
    d[6] = mPanels;
    d[7] = nPanels;
    d[8] = taps;
    d[9] = rowTiles;
    d[10] = colTiles;
    d[11] = epilogue.alpha;
    d[12] = 0;
    parallelFor(module.threaded, driver, d, rowTiles * colTiles, tileWork(rows, nPanels, k));
    // Rows padded to ldc (F not a multiple of 8: LeNet's 6 filters): copied out by copy_columns, on
    // the threads, when c lies in the memory; a JS loop per float took 20% of that layer.
    if (cInPlace === null && ldc !== n && columns && cAddress !== null) copyColumns(columns, cAt, ldc, cAddress + cRowsOf(i0, pooled) * n * 4, n, cRowsOf(rows, pooled), n);
    else if (cInPlace === null) copyOut(memory, cAt / 4, ldc, c, cRowsOf(i0, pooled) * n, n, cRowsOf(rows, pooled));
    epilogue.after?.(c, i0, i0 + rows);
  }
}

/** Rows of C for `rows` rows of the product: one per window of 4 when pooled (the passes never split a window). A function of its own: a closure over `pooled` in sgemmIndirect would be made per call. */
const cRowsOf = (rows: number, pooled: boolean): number => (pooled ? rows / MR : rows);

/** The driver's argument list, reused by every call (parallelFor reads it before it returns). */
const driverArgs: number[] = new Array<number>(13).fill(0);

/** The indirect driver export of each epilogue: index (bias · 4) + the activation's index. */
const indirectDrivers = (tapChannels?: number): readonly string[] =>
  [false, true].flatMap((bias) => TILE_ACTIVATIONS.map((activation) => driverName({ indirectA: true, tapChannels, rowMajorB: false, bias, activation })));
const INDIRECT_DRIVERS = indirectDrivers();
/** The same for the channels per tap that have unrolled variants (the same sums in the same order, so the same bits). */
const UNROLLED_DRIVERS = new Map(UNROLLED_TAP_CHANNELS.map((channels) => [channels, indirectDrivers(channels)]));
/** The pooled indirect drivers (always with a bias), by the activation's index; likewise unrolled. */
const pooledDrivers = (tapChannels?: number): readonly string[] => TILE_ACTIVATIONS.map((activation) => driverName({ indirectA: true, tapChannels, rowMajorB: false, bias: true, activation, pooled: true }));
const POOLED_DRIVERS = pooledDrivers();
const POOLED_UNROLLED_DRIVERS = new Map(UNROLLED_TAP_CHANNELS.map((channels) => [channels, pooledDrivers(channels)]));

/** The B the current call writes (one writer for every call, not a closure per call). */
let pendingB: IndirectB | null = null;
let pendingMemory: WebAssembly.Memory | null = null;
const writeB = (address: number): void => pendingB!.pack(floatsOf(pendingMemory!), address / 4);

/** The lists `buildLists` writes: every row's, for the current call's gather and addresses (no closure per call). */
const pendingLists = { gather: null as Gather | null, sourceAt: 0, zerosAt: 0 };
function pendingAt(sourceAt: number, zerosAt: number): typeof pendingLists {
  pendingLists.sourceAt = sourceAt;
  pendingLists.zerosAt = zerosAt;
  return pendingLists;
}
function buildLists(into: Int32Array): void {
  const { gather, sourceAt, zerosAt } = pendingLists;
  const { rows: m, taps } = gather!;
  for (let i0 = 0; i0 < m; i0 += MC) writePointers(gather!, into, i0 * taps, i0, Math.min(MC, m - i0), sourceAt, zerosAt);
}

/** The pointer table's key for a gather and its addresses, kept per gather while they stay (no string per call). */
const tableKeys = new WeakMap<Gather, { sourceAt: number; zerosAt: number; key: string }>();
function tableKey(gather: Gather, { sourceAt, zerosAt }: typeof pendingLists): string {
  const kept = tableKeys.get(gather);
  if (kept && kept.sourceAt === sourceAt && kept.zerosAt === zerosAt) return kept.key;
  const key = `${gather.key} ${sourceAt} ${zerosAt}`;
  tableKeys.set(gather, { sourceAt, zerosAt, key });
  return key;
}

/** Rows [i0, i0 + rows)'s pointer lists into `into` from `at`; the last panel's rows past m read zeros. */
function writePointers(gather: Gather, into: Int32Array, at: number, i0: number, rows: number, sourceAt: number, zerosAt: number): void {
  const { taps } = gather;
  gather.pointers(into, at, i0, rows, sourceAt, zerosAt);
  for (let r = rows; r < Math.ceil(rows / MR) * MR; r++) for (let t = 0; t < taps; t++) into[at + pointerIndex(r, t, taps)] = zerosAt;
}

/**
 * The forward's B: w [F, K] read transposed, B(kk, f) = w[f·K + kk], as unblocked panels of 8
 * columns (element (kk, s) of panel q at offset + q·8·K + kk·8 + s; columns past F are zeros): a
 * panel's row kk takes eight rows of w at kk, so the panel is written in order while eight streams of
 * w are read in order. A weight is packed once per version, i.e. every training step: with a closure
 * per row and one float at a time, this and packTapRows were 15% of UNet's step (31 M parameters);
 * now 0.9 and 0.8–1.1 G floats/s on one thread of the Zen 4 (a [256, 3, 3, 128] weight: 670 → 330 µs
 * and 1,000 → 260–400 µs), against 0.44 and 0.29.
 */
function packTransposed(w: Float32Array, n: number, k: number, into: Float32Array, offset: number): void {
  const full = Math.floor(n / NR);
  for (let q = 0; q < full; q++) {
    const r = q * NR * k;
    let o = offset + q * NR * k;
    for (let kk = 0; kk < k; kk++, o += NR) {
      into[o] = w[r + kk]!;
      into[o + 1] = w[r + k + kk]!;
      into[o + 2] = w[r + 2 * k + kk]!;
      into[o + 3] = w[r + 3 * k + kk]!;
      into[o + 4] = w[r + 4 * k + kk]!;
      into[o + 5] = w[r + 5 * k + kk]!;
      into[o + 6] = w[r + 6 * k + kk]!;
      into[o + 7] = w[r + 7 * k + kk]!;
    }
  }
  if (full * NR === n) return;
  const o = offset + full * NR * k;
  into.fill(0, o, o + NR * k);
  for (let f = full * NR; f < n; f++) for (let kk = 0; kk < k; kk++) into[o + kk * NR + (f - full * NR)] = w[f * k + kk]!;
}

/**
 * The input gradient's B for taps `taps` of the kernel (all of them, or a stride phase's:
 * conv-phases.ts): B(t·F + f, ch) = w[(f·allTaps + taps[t])·C + ch], as unblocked panels of 8
 * columns (channels): runs of eight channels (sgemm-pack.ts's copyRuns), the ragged last panel padded with zeros.
 */
export function packTapRows(w: Float32Array, g: Geometry, taps: readonly number[] | null, into: Float32Array, offset: number): void {
  const allTaps = g.kh * g.kw;
  const count = taps ? taps.length : allTaps;
  const full = Math.floor(g.c / NR);
  const panelStride = NR * count * g.f;
  // Rows f of tap t: w[(f·allTaps + tap)·C + ch], one row of w every allTaps·C floats.
  const rowStride = allTaps * g.c;
  for (let t = 0; t < count; t++) {
    const tap = taps ? taps[t]! : t;
    const rows = offset + t * g.f * NR;
    for (let q = 0; q < full; q++) copyRuns(w, tap * g.c + q * NR, rowStride, into, rows + q * panelStride, g.f);
    if (full * NR === g.c) continue;
    for (let f = 0; f < g.f; f++) {
      const o = rows + full * panelStride + f * NR;
      const from = (f * allTaps + tap) * g.c;
      for (let s = 0; s < NR; s++) into[o + s] = full * NR + s < g.c ? w[from + full * NR + s]! : 0;
    }
  }
}

/** The forward's B: w [F, taps·C] read transposed, B(kk, f) = w[f·K + kk]. */
export const forwardB = keptPer(function forwardB(w: Float32Array, g: Geometry): IndirectB {
  const k = g.kh * g.kw * g.c;
  return { data: w, layout: `conv indirect forward ${g.f} ${k}`, pack: (into, offset) => packTransposed(w, g.f, k, into, offset) };
});

/** The input gradient's B: k = (tap, f), B(tap·F + f, ch) = w[(f·taps + tap)·C + ch]. */
export const gradInputB = keptPer(function gradInputB(w: Float32Array, g: Geometry): IndirectB {
  return { data: w, layout: `conv indirect grad input ${g.f} ${g.kh * g.kw} ${g.c}`, pack: (into, offset) => packTapRows(w, g, null, into, offset) };
});

/**
 * Whether every window row's kw taps are one run of x, in every window: no dilation along x and no
 * window past x's left or right edge. Then a window row can be one tap of kw·C channels
 * (forwardRowGather): the same k order as w's [F, kh, kw, C], so the same B, and a kw-th of the
 * pointers. A 3×3 convolution of one channel (a first layer) then reads runs of 3 floats per
 * pointer, not 1: the conv net's first layer ([64, 28, 28, 1] * [32, 3, 3, 1]) in 675 µs, not 930
 * (one thread of the Zen 4); its second (32 channels) the same either way.
 */
export function windowRowsContiguous(g: Geometry): boolean {
  return g.dw === 1 && g.padLeft === 0 && (g.ow - 1) * g.sw + g.kw <= g.w;
}

/**
 * The forward's gather: row = output pixel (b, oy, ox), tap (ky, kx) reads x at (b, iy, ix); by
 * window rows (`byRows`, only where windowRowsContiguous), tap ky reads the run from (b, iy, ox·sw).
 * `pooled`: the rows are the pixels of the 2×2 pooling windows (b, py, px), 4 a window in row-major
 * order ((2py, 2px), (2py, 2px + 1), (2py + 1, 2px), (2py + 1, 2px + 1)), for the pooled tiles.
 */
function forwardGatherOf(x: Float32Array, g: Geometry, byRows: boolean, pooled: boolean): Gather {
  const tapsPerRow = byRows ? 1 : g.kw;
  const taps = g.kh * tapsPerRow;
  const [poh, pow] = [Math.floor(g.oh / 2), Math.floor(g.ow / 2)];
  return {
    source: x,
    channels: byRows ? g.kw * g.c : g.c,
    taps,
    rows: pooled ? g.n * poh * pow * 4 : g.n * g.oh * g.ow,
    pooled,
    key: `forward${byRows ? ' rows' : ''}${pooled ? ' pooled' : ''} ${geometryKey(g)}`,
    pointers(into, at, i0, count, sourceAt, zerosAt) {
      const { h, w, kh, ow, oh, sh, sw, dh, dw, padTop, padLeft } = g;
      const pixelBytes = g.c * 4;
      for (let r = 0; r < count; r++) {
        pixelOf(i0 + r, pixel);
        const { b, oy, ox } = pixel;
        let o = at + pointerIndex(r, 0, taps);
        for (let ky = 0; ky < kh; ky++) {
          const iy = oy * sh + ky * dh - padTop;
          const rowOk = iy >= 0 && iy < h;
          const rowAt = sourceAt + (b * h + iy) * w * pixelBytes;
          for (let kx = 0; kx < tapsPerRow; kx++, o += MR) {
            const ix = ox * sw + kx * dw - padLeft;
            into[o] = rowOk && ix >= 0 && ix < w ? rowAt + ix * pixelBytes : zerosAt;
          }
        }
      }
    },
  };

  /** The output pixel that row i computes, into `into` (one object for every call: `pixel`). */
  function pixelOf(i: number, into: { b: number; oy: number; ox: number }): void {
    if (pooled) {
      const window = i >> 2;
      const px = window % pow;
      const rest = (window - px) / pow;
      const py = rest % poh;
      into.b = (rest - py) / poh;
      into.oy = 2 * py + ((i >> 1) & 1);
      into.ox = 2 * px + (i & 1);
      return;
    }
    into.ox = i % g.ow;
    const rest = (i - into.ox) / g.ow;
    into.oy = rest % g.oh;
    into.b = (rest - into.oy) / g.oh;
  }
}

/** forwardGatherOf's pixel of the row being listed (one for every call: an object per call would be garbage per step). */
const pixel = { b: 0, oy: 0, ox: 0 };

/** The forward's gather, a tap per (ky, kx) (depthwise-simd.ts reads these lists too). */
export const forwardGather = keptPer((x: Float32Array, g: Geometry): Gather => forwardGatherOf(x, g, false, false));

/** The forward's gather by window rows (windowRowsContiguous). */
export const forwardRowGather = keptPer((x: Float32Array, g: Geometry): Gather => forwardGatherOf(x, g, true, false));

/** The forward's gathers with rows by 2×2 pooling windows (forwardGatherOf's `pooled`), a tap per (ky, kx) or by window rows. */
export const forwardPooledGather = keptPer((x: Float32Array, g: Geometry): Gather => forwardGatherOf(x, g, false, true));
export const forwardPooledRowGather = keptPer((x: Float32Array, g: Geometry): Gather => forwardGatherOf(x, g, true, true));

/**
 * The input gradient's gather: row = input pixel (b, iy, ix); tap (ky, kx) reads dy at the output
 * pixel (oy, ox) with oy·sh + ky·dh − padTop = iy (and likewise along x), when there is one.
 */
export const gradInputGather = keptPer(function gradInputGather(dy: Float32Array, g: Geometry): Gather {
  const taps = g.kh * g.kw;
  return {
    source: dy, channels: g.f, taps, rows: g.n * g.h * g.w, key: `grad input ${geometryKey(g)}`,
    pointers(into, at, i0, count, sourceAt, zerosAt) {
      const { h, w, kh, kw, ow, oh, sh, sw, dh, dw, padTop, padLeft } = g;
      const pixelBytes = g.f * 4;
      let ix = i0 % w;
      const rest = (i0 - ix) / w;
      let iy = rest % h;
      let b = (rest - iy) / h;
      for (let r = 0; r < count; r++) {
        let o = at + pointerIndex(r, 0, taps);
        for (let ky = 0; ky < kh; ky++) {
          const ty = iy + padTop - ky * dh;
          const oy = ty / sh;
          const rowOk = ty >= 0 && oy === Math.floor(oy) && oy < oh;
          const rowAt = sourceAt + (b * oh + oy) * ow * pixelBytes;
          for (let kx = 0; kx < kw; kx++, o += MR) {
            const tx = ix + padLeft - kx * dw;
            const ox = tx / sw;
            into[o] = rowOk && tx >= 0 && ox === Math.floor(ox) && ox < ow ? rowAt + ox * pixelBytes : zerosAt;
          }
        }
        if (++ix === w) {
          ix = 0;
          if (++iy === h) {
            iy = 0;
            b++;
          }
        }
      }
    },
  };
});
