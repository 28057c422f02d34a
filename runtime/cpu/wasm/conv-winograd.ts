import type { Geometry } from '../kernels/conv.js';
import { cpuThreads } from '../threads/thread-count.js';
import { parallelFor } from '../threads/threaded-module.js';
import { geometryKey } from './conv-indirect.js';
import { addressIn, floatsOf, intsOf, zerosIn } from './kernel-memory.js';
import { pointerTable } from './pointer-tables.js';
import { NR, TILE_ACTIVATIONS, type TileActivation } from './sgemm-module.js';
import type { SgemmEpilogue, SgemmModule } from './sgemm-simd.js';
import { GRAD_BLOCK_TILES, WINOGRAD_GRAD_NAME, winogradGradUnitBytes } from './winograd-grad-module.js';
import { WINOGRAD_UNTRANSFORM, WINOGRAD_WEIGHTS, WINOGRAD_WEIGHTS_FLIPPED } from './winograd-weights-module.js';
import { BLOCK_TILES, NO_OUTPUT, winogradName, winogradUnitBytes } from './winograd-module.js';

/**
 * The forward of a 3×3, stride-1, undilated convolution by Winograd's F(2×2, 3×3) on the GEMM's
 * module (winograd-module.ts): 16 multiply-adds per input channel, filter and 2×2 outputs where the
 * indirect GEMM (conv-indirect.ts) does 36. One thread of the Zen 4, CPU time under load
 * (2026-12-04), against the indirect GEMM: the conv net's second layer ([64, 13, 13, 32] *
 * [64, 3, 3, 32], 11×11 outputs: a sixth of the tiles' outputs fall outside) 3.6–3.8 ms against
 * 5.4 (1.45×); [8, 56, 56, 64] * [64, 3, 3, 64] same 18.7 against 34.5 ms (1.85×). Of the 3.6 ms,
 * the 16 products take 2.8 (55 GFLOP/s, the tile's own speed), the input transform 0.45 and the
 * output transform 0.4. Its input gradient (gradInputGeometry) is one too, and its weight gradient
 * (convWinogradGradWeight) the same transforms run backwards: 3.3 ms against the gathered GEMM's
 * 6.3 for that layer, 5.7 against 13.6 for [8, 32, 32, 64] * [64, 3, 3, 64] same.
 *
 * Numerics: the transforms only add, subtract and halve, so the result differs from the direct sum
 * by rounding; conv-winograd.test.ts holds it to the direct kernel's float32 bound (measured: within
 * a fortieth of it).
 *
 * Memory: [ U resident per weight version | zeros | the pointer tables, kept | scratch: U if not
 * resident, the tables if kept outside (a memory that is not shared) | bias | per unit ]
 * The tables point into x and y where they are (the executor's tensors), so this runs only when
 * both lie in the module's memory; `convWinograd` says false otherwise, and the caller takes the
 * indirect GEMM.
 */

/**
 * Channels and filters from which it pays (same run): [64, 13, 13, C] * [F, 3, 3, C] runs 0.90× as
 * fast as the indirect GEMM at C = 4, F = 32, 1.02× at C = 8, F = 16, 1.39× at C = 16, F = 32, and
 * 1.08× at C = 32, F = 8. Below, the products' k loops are too short for their tiles' loads and stores.
 */
const MIN_CHANNELS = 16;
const MIN_FILTERS = 8;

/** Whether `convWinograd` can compute g: 3×3, stride 1, no dilation, C and F multiples of 4 and large enough. */
export function winogradApplies(g: Geometry): boolean {
  return g.kh === 3 && g.kw === 3 && g.sh === 1 && g.sw === 1 && g.dh === 1 && g.dw === 1 && g.c % 4 === 0 && g.f % 4 === 0 && g.c >= MIN_CHANNELS && g.f >= MIN_FILTERS;
}

/**
 * The input gradient of a stride-1 convolution g as a convolution of its own (kept per g): dx =
 * conv(dy, w flipped in space, filters and channels swapped), dy padded by kh − 1 − padTop above
 * (likewise across), so that dx[iy] = Σ_ky dy[iy + ky − 2 + padTop]·w[2 − ky]. Winograd applies to it
 * when it applies to g's shape with C and F swapped.
 */
export function gradInputGeometry(g: Geometry): Geometry {
  let t = transposed.get(g);
  if (t === undefined) {
    t = { ...g, h: g.oh, w: g.ow, c: g.f, f: g.c, oh: g.h, ow: g.w, padTop: g.kh - 1 - g.padTop, padLeft: g.kw - 1 - g.padLeft };
    transposed.set(g, t);
  }
  return t;
}

const transposed = new WeakMap<Geometry, Geometry>();

/**
 * What `convWinograd` computes: the convolution's output; with 'gradInput', g is a gradInputGeometry
 * and w the forward's weight, read flipped and transposed (x is dy, y is dx); with 'maxpool', y is the
 * output max-pooled over 2×2 windows, stride 2, floor (a plan's `conv2d+…+maxpool`, pool [2, 2]).
 */
export type WinogradMode = 'forward' | 'gradInput' | 'maxpool';

/**
 * Tiles (2×2 outputs) down and across one image: all of the output, or with `pooled` the whole
 * pooling windows only (floor pooling drops a last odd row or column: it is not computed).
 */
const tilesDown = (g: Geometry, pooled = false): number => (pooled ? Math.floor(g.oh / 2) : Math.ceil(g.oh / 2));
const tilesAcross = (g: Geometry, pooled = false): number => (pooled ? Math.floor(g.ow / 2) : Math.ceil(g.ow / 2));

/**
 * y = conv(x, w) + bias, activation (the tile's; `epilogue.after` for the rest) by F(2×2, 3×3), or
 * as `mode` says (WinogradMode); false, having done nothing, when x or y lie outside the module's
 * memory or the tables are too large to keep (pointer-tables.ts). 'maxpool' takes no `after`: an
 * activation outside the tile would have to run before the max.
 */
export function convWinograd(module: SgemmModule, x: Float32Array, w: Float32Array, y: Float32Array, g: Geometry, epilogue: SgemmEpilogue, mode: WinogradMode = 'forward'): boolean {
  const { memory, resident } = module;
  const xAt = addressIn(memory, x);
  const yAt = addressIn(memory, y);
  if (xAt === null || yAt === null) return false;
  const nPanels = Math.ceil(g.f / NR);
  const uBytes = 16 * nPanels * NR * g.c * 4;
  const zerosAt = zerosIn(memory, g.c);
  const pooled = mode === 'maxpool';
  if (pooled && epilogue.after !== null) return false;
  const tiles = g.n * tilesDown(g, pooled) * tilesAcross(g, pooled);
  const blocks = Math.ceil(tiles / BLOCK_TILES);
  if (!keepTables(memory, g, x, xAt, yAt, zerosAt, blocks * BLOCK_TILES, pooled ? 'maxpool' : 'forward')) return false;
  const { input: inTable, output: outTable } = tables;
  pending.w = w;
  pending.module = module;
  pending.gradInput = mode === 'gradInput';
  const uAt = resident.place(w, transformedLayout(g, pending.gradInput), uBytes, writeU);
  // Scratch: U unless resident, the tables unless kept in the memory (a memory not shared), the bias, the units'.
  const layout = scratchLayout(resident.scratchStart());
  const uScratch = uAt === null ? layout.take(uBytes) : -1;
  const inAt = addressIn(memory, inTable) ?? layout.take(inTable.length * 4);
  const outAt = addressIn(memory, outTable) ?? layout.take(outTable.length * 4);
  const biasAt = layout.take(nPanels * NR * 4);
  const units = Math.min(cpuThreads(), blocks);
  const scratchAt = layout.take(units * winogradUnitBytes(g.c, nPanels));
  resident.reserve(layout.end);
  if (uAt === null) writeU(uScratch);
  copyTables(memory, inTable, inAt, outTable, outAt);
  const floats = floatsOf(memory);
  if (epilogue.bias) floats.set(epilogue.bias.length === g.f ? epilogue.bias : epilogue.bias.subarray(0, g.f), biasAt / 4);
  else floats.fill(0, biasAt / 4, biasAt / 4 + g.f);
  floats.fill(0, biasAt / 4 + g.f, biasAt / 4 + nPanels * NR);
  const a = args;
  a[0] = inAt;
  a[1] = outAt;
  a[2] = uAt ?? uScratch;
  a[3] = biasAt;
  a[4] = scratchAt;
  a[5] = g.c;
  a[6] = g.f;
  a[7] = nPanels;
  a[8] = blocks;
  a[9] = units;
  a[10] = epilogue.alpha;
  parallelFor(module.threaded, (pooled ? POOLED_NAMES : WINOGRAD_NAMES)[epilogue.activation], a, units, tiles * 16 * g.c * g.f);
  epilogue.after?.(y, 0, g.n * g.oh * g.ow);
  return true;
}

/**
 * dw = dL/dw of the convolution g by F(2×2, 3×3) (winograd-grad-module.ts): dU_ξ = Σ_tiles V_ξ ⊗
 * (A·dy·Aᵀ)_ξ in the module, then dw[f, ·, ·, c] = Gᵀ·dU(c, f)·G here. False, having done nothing,
 * when x or dy lie outside the module's memory or the tables are too large to keep.
 */
export function convWinogradGradWeight(module: SgemmModule, dy: Float32Array, x: Float32Array, dw: Float32Array, g: Geometry): boolean {
  const { memory, resident } = module;
  const xAt = addressIn(memory, x);
  const dyAt = addressIn(memory, dy);
  if (xAt === null || dyAt === null) return false;
  const nPanels = Math.ceil(g.f / NR);
  const zerosAt = zerosIn(memory, Math.max(g.c, g.f));
  const tiles = g.n * tilesDown(g) * tilesAcross(g);
  const blocks = Math.ceil(tiles / GRAD_BLOCK_TILES);
  if (!keepTables(memory, g, x, xAt, dyAt, zerosAt, blocks * GRAD_BLOCK_TILES, 'weightGrad')) return false;
  const { input: inTable, output: dyTable } = tables;
  const units = Math.min(cpuThreads(), g.c / 4);
  const unitBytes = winogradGradUnitBytes(g.c, nPanels);
  const ldc = nPanels * NR;
  const layout = scratchLayout(resident.scratchStart());
  const inAt = addressIn(memory, inTable) ?? layout.take(inTable.length * 4);
  const dyListsAt = addressIn(memory, dyTable) ?? layout.take(dyTable.length * 4);
  const dUAt = layout.take(16 * g.c * ldc * 4);
  const scratchAt = layout.take(units * unitBytes);
  const dwScratch = layout.take(dw.length * 4);
  resident.reserve(layout.end);
  copyTables(memory, inTable, inAt, dyTable, dyListsAt);
  // Panel columns past F: zeros in B (the block transforms write only F's).
  if (g.f % NR !== 0) floatsOf(memory).fill(0, scratchAt / 4, (scratchAt + units * unitBytes) / 4);
  const a = gradArgs;
  a[0] = inAt;
  a[1] = dyListsAt;
  a[2] = scratchAt;
  a[3] = dUAt;
  a[4] = g.c;
  a[5] = g.f;
  a[6] = nPanels;
  a[7] = blocks;
  a[8] = units;
  parallelFor(module.threaded, WINOGRAD_GRAD_NAME, a, units, tiles * 16 * g.c * g.f);
  untransformGradient(module, dUAt, g, ldc, dw, dwScratch);
  return true;
}

/** dw = Gᵀ·dU·G (winograd-weights-module.ts), from dU at `dUAt`; into `scratchAt` (reserved) and copied out when dw lies outside the module's memory. */
function untransformGradient(module: SgemmModule, dUAt: number, g: Geometry, ldc: number, dw: Float32Array, scratchAt: number): void {
  const { memory } = module;
  const dwAt = addressIn(memory, dw);
  const a = untransformArgs;
  a[0] = dUAt;
  a[1] = dwAt ?? scratchAt;
  a[2] = g.c;
  a[3] = g.f;
  a[4] = ldc;
  parallelFor(module.threaded, WINOGRAD_UNTRANSFORM, a, g.c, 16 * g.c * g.f);
  if (dwAt === null) dw.set(floatsOf(memory).subarray(scratchAt / 4, scratchAt / 4 + dw.length));
}

const untransformArgs: number[] = new Array<number>(5).fill(0);

/** winograd_grad_weight's arguments before (start, end), reused by every call. */
const gradArgs: number[] = new Array<number>(9).fill(0);

const align16 = (bytes: number): number => Math.ceil(bytes / 16) * 16;

/** The export of each activation, made once (a template string per call would be garbage per step). */
const WINOGRAD_NAMES = Object.fromEntries(TILE_ACTIVATIONS.map((a) => [a, winogradName(a)])) as Readonly<Record<TileActivation, string>>;
const POOLED_NAMES = Object.fromEntries(TILE_ACTIVATIONS.map((a) => [a, winogradName(a, true)])) as Readonly<Record<TileActivation, string>>;

/** Scratch laid out from `start`: `take(bytes)` gives the next 16-byte-aligned address; `end` is past the last. One object for every call. */
function scratchLayout(start: number): { take(bytes: number): number; end: number } {
  layoutState.end = align16(start);
  return layoutState;
}

const layoutState = {
  end: 0,
  take(bytes: number): number {
    const at = this.end;
    this.end = align16(at + bytes);
    return at;
  },
};

/** The tables copied to their scratch addresses where they are not kept in the memory itself (a memory that is not shared). */
function copyTables(memory: WebAssembly.Memory, first: Int32Array, firstAt: number, second: Int32Array, secondAt: number): void {
  if (addressIn(memory, first) === null) intsOf(memory).set(first, firstAt / 4);
  if (addressIn(memory, second) === null) intsOf(memory).set(second, secondAt / 4);
}

/** The export's arguments before (start, end), reused by every call. */
const args: number[] = new Array<number>(11).fill(0);

/** What the table writers and writeU read: the current call's (no closure per call). */
const pending = { w: null as Float32Array | null, g: null as Geometry | null, module: null as SgemmModule | null, gradInput: false, pooled: false, xAt: 0, yAt: 0, zerosAt: 0 };

/** The resident U's layout key, kept per geometry (a string per call would be garbage). */
const layouts = new WeakMap<Geometry, string>();
function transformedLayout(g: Geometry, gradInput: boolean): string {
  let layout = layouts.get(g);
  if (layout === undefined) layouts.set(g, (layout = `winograd f2x2 3x3${gradInput ? ' grad input' : ''} ${g.f} ${g.c}`));
  return layout;
}

/** Whose tables `keepTables` keeps: the forward's (also the input gradient's), the pooled forward's or the weight gradient's (y is dy). */
type TableKind = 'forward' | 'maxpool' | 'weightGrad';

/**
 * The pointer tables of g's tiles (padded to `paddedTiles`) for x at xAt and y (dy for the weight
 * gradient) at yAt, kept (pointer-tables.ts), into `tables`; false when too large to keep. Sets
 * `pending`'s g and addresses, which the writers read.
 */
function keepTables(memory: WebAssembly.Memory, g: Geometry, x: Float32Array, xAt: number, yAt: number, zerosAt: number, paddedTiles: number, kind: TableKind): boolean {
  const keys = tableKeys(g, x, xAt, yAt, zerosAt, kind);
  pending.g = g;
  pending.xAt = xAt;
  pending.yAt = yAt;
  pending.zerosAt = zerosAt;
  pending.pooled = kind === 'maxpool';
  const input = pointerTable(keys.input, paddedTiles * 16, writeInputLists, memory);
  const output = pointerTable(keys.output, paddedTiles * 4, kind === 'weightGrad' ? writeGradientLists : kind === 'maxpool' ? writePooledLists : writeOutputLists, memory);
  if (input === null || output === null) return false;
  tables.input = input;
  tables.output = output;
  return true;
}

/** `keepTables`' result: the window pointers (16 a tile) and the output or dy pointers (4 a tile). One object for every call. */
const tables: { input: Int32Array; output: Int32Array } = { input: new Int32Array(0), output: new Int32Array(0) };

interface TableKeys {
  xAt: number;
  yAt: number;
  zerosAt: number;
  input: string;
  output: string;
}

/**
 * The tables' keys for g, its operand x (several layers may share one geometry object, each with its
 * own x) and these addresses, kept while the addresses stay: no string per call. The weight
 * gradient's blocks are GRAD_BLOCK_TILES, and the pooled forward's tiles cover whole windows only:
 * each kind has keys of its own.
 */
function tableKeys(g: Geometry, x: Float32Array, xAt: number, yAt: number, zerosAt: number, kind: TableKind): TableKeys {
  const byGeometry = keysKept[kind];
  let byOperand = byGeometry.get(g);
  if (byOperand === undefined) byGeometry.set(g, (byOperand = new WeakMap()));
  const kept = byOperand.get(x);
  if (kept && kept.xAt === xAt && kept.yAt === yAt && kept.zerosAt === zerosAt) return kept;
  const geometry = geometryKey(g);
  const keys =
    kind === 'weightGrad'
      ? { xAt, yAt, zerosAt, input: `winograd grad in ${geometry} ${xAt} ${zerosAt}`, output: `winograd grad dy ${geometry} ${yAt} ${zerosAt}` }
      : kind === 'maxpool'
        ? { xAt, yAt, zerosAt, input: `winograd pooled in ${geometry} ${xAt} ${zerosAt}`, output: `winograd pooled out ${geometry} ${yAt}` }
        : { xAt, yAt, zerosAt, input: `winograd in ${geometry} ${xAt} ${zerosAt}`, output: `winograd out ${geometry} ${yAt}` };
  byOperand.set(x, keys);
  return keys;
}

const keysKept: Readonly<Record<TableKind, WeakMap<Geometry, WeakMap<Float32Array, TableKeys>>>> = { forward: new WeakMap(), maxpool: new WeakMap(), weightGrad: new WeakMap() };

/**
 * U_ξ, at `address`, from the current call's w (winograd-weights-module.ts: w read as it is, or
 * flipped and transposed for an input gradient), split over the threads by filters (channels).
 */
function writeU(address: number): void {
  const { module, g } = pending;
  const { memory } = module!;
  const { c: channels, f: filters } = g!;
  const nPanels = Math.ceil(filters / NR);
  const floats = floatsOf(memory);
  // The panel columns past F stay zero.
  if (filters % NR !== 0) floats.fill(0, address / 4, address / 4 + 16 * nPanels * NR * channels);
  const wAt = addressIn(memory, pending.w!) ?? copyIn(pending.w!, align16(Math.max(module!.resident.scratchStart(), address + 16 * nPanels * NR * channels * 4)));
  const a = weightArgs;
  a[0] = wAt;
  a[1] = address;
  a[2] = channels;
  a[3] = filters;
  a[4] = nPanels;
  if (pending.gradInput) parallelFor(module!.threaded, WINOGRAD_WEIGHTS_FLIPPED, a, channels, 16 * channels * filters);
  else parallelFor(module!.threaded, WINOGRAD_WEIGHTS, a, filters, 16 * channels * filters);
}

/** w copied into the module's memory at `address`, scratch past U (a weight outside the memory: a test's), reserved first. */
function copyIn(w: Float32Array, address: number): number {
  pending.module!.resident.reserve(address + w.length * 4);
  floatsOf(pending.module!.memory).set(w, address / 4);
  return address;
}

const weightArgs: number[] = new Array<number>(5).fill(0);

/**
 * Per tile (b, ty, tx), padded to whole blocks: the 16 byte addresses of its 4×4 window's runs of C
 * channels in x, row-major, from (2ty − padTop, 2tx − padLeft); the zeros where the window leaves x
 * (and for the padding tiles).
 */
function writeInputLists(into: Int32Array): void {
  const g = pending.g!;
  const { xAt, zerosAt } = pending;
  const down = tilesDown(g, pending.pooled);
  const across = tilesAcross(g, pending.pooled);
  into.fill(zerosAt);
  let o = 0;
  for (let b = 0; b < g.n; b++) {
    for (let ty = 0; ty < down; ty++) {
      for (let tx = 0; tx < across; tx++, o += 16) {
        for (let i = 0; i < 4; i++) {
          const iy = 2 * ty + i - g.padTop;
          if (iy < 0 || iy >= g.h) continue;
          for (let j = 0; j < 4; j++) {
            const ix = 2 * tx + j - g.padLeft;
            if (ix >= 0 && ix < g.w) into[o + 4 * i + j] = xAt + ((b * g.h + iy) * g.w + ix) * g.c * 4;
          }
        }
      }
    }
  }
}


/** Per tile, its 4 outputs' addresses in y (row-major in the tile), NO_OUTPUT for those past y's edge (and the padding tiles'). */
const writeOutputLists = (into: Int32Array): void => outputLists(into, pending.yAt, NO_OUTPUT);

/**
 * Per tile (b, ty, tx) of whole pooling windows, the address of its pooled output (b, ty, tx) in y
 * [N, ⌊OH/2⌋, ⌊OW/2⌋, F], then 3 unused entries; NO_OUTPUT for the padding tiles.
 */
function writePooledLists(into: Int32Array): void {
  const g = pending.g!;
  const down = tilesDown(g, true);
  const across = tilesAcross(g, true);
  into.fill(NO_OUTPUT);
  const tiles = g.n * down * across;
  for (let t = 0; t < tiles; t++) into[4 * t] = pending.yAt + t * g.f * 4;
}

/** Per tile, its 4 outputs' gradients' addresses in dy (at pending.yAt), the zeros for those past dy's edge (and the padding tiles'). */
const writeGradientLists = (into: Int32Array): void => outputLists(into, pending.yAt, pending.zerosAt);

/** Per tile (b, ty, tx), the byte addresses of its outputs (2ty + a, 2tx + c), 2a + c, in the tensor at `at` of g's output shape; `outside` past its edge. */
function outputLists(into: Int32Array, at: number, outside: number): void {
  const g = pending.g!;
  const down = tilesDown(g);
  const across = tilesAcross(g);
  into.fill(outside);
  let o = 0;
  for (let b = 0; b < g.n; b++) {
    for (let ty = 0; ty < down; ty++) {
      for (let tx = 0; tx < across; tx++, o += 4) {
        for (let a = 0; a < 2; a++) {
          const oy = 2 * ty + a;
          if (oy >= g.oh) continue;
          for (let c = 0; c < 2; c++) {
            const ox = 2 * tx + c;
            if (ox < g.ow) into[o + 2 * a + c] = at + ((b * g.oh + oy) * g.ow + ox) * g.f * 4;
          }
        }
      }
    }
  }
}
