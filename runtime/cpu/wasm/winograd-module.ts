import { activationCode, MR, NR, type TileActivation } from './sgemm-module.js';
import { Op, Type } from './wasm-bytes.js';
import { WasmFunction } from './wasm-function.js';

/**
 * A 3×3, stride-1 convolution by Winograd's minimal filtering F(2×2, 3×3) (Lavin & Gray, 2015), as
 * functions of the GEMM's module (sgemm-module.ts), one export per tile activation:
 *
 *   winograd_<activation>(inLists, outLists, pu, bias, scratch, channels, filters, nPanels, blocks, units, alpha, start, end)
 *
 * Each 2×2 block of outputs (a tile) is Aᵀ·[Σ_c U_c ⊙ V_c]·A, where V = Bᵀ·d·B transforms the tile's
 * 4×4 window of input d and U = G·g·Gᵀ the 3×3 kernel g (once per weight version:
 * winograd-weights-module.ts). The sum over channels is, for each of the 16 points ξ of the transform, a GEMM
 * M_ξ[tiles, F] = V_ξ[tiles, C] · U_ξ[C, F] on the 4×8 micro-kernel: 16·C multiply-adds per tile and
 * filter where the direct convolution needs 36·C, for 4 outputs. That is the whole gain; the
 * transforms are adds, vectorised over channels.
 *
 *   Bᵀ = | 1  0 −1  0 |    G = |  1    0    0  |    Aᵀ = | 1 1  1  0 |
 *        | 0  1  1  0 |        | 1/2  1/2  1/2 |         | 0 1 −1 −1 |
 *        | 0 −1  1  0 |        | 1/2 −1/2  1/2 |
 *        | 0  1  0 −1 |        |  0    0    1  |
 *
 * Work is split into `units` (one per thread: each has its own scratch at scratch + unit · unitBytes,
 * V, M and the input transform's staging) over `blocks` blocks of BLOCK_TILES tiles, unit u taking
 * blocks [u·blocks/units, (u+1)·blocks/units). Per block: the input transform writes V_ξ as packed A panels (the layout the
 * tile reads: k-major, 4 rows per k), the 16 products run on the tile function (packed A and B, no
 * epilogue), and the output transform adds the bias, applies the activation and stores the 4 outputs.
 * A tile is computed by the same instructions whichever unit runs it: any thread count, same bits.
 *
 * The pooled variant, winograd_<activation>_maxpool, ends a plan's `conv2d+…+maxpool` with a 2×2
 * window (runtime/plan/kernels.ts's POOL_EPILOGUE): a tile's 2×2 outputs are exactly one pooling
 * window, so its output transform takes their max (after the bias and activation, as the pooling
 * kernel would) and stores one output at the tile's first pointer. The caller lays tiles over whole
 * windows only: the outputs that floor pooling drops are never computed.
 *
 * Layouts (byte addresses): inLists holds 16 pointers per tile, to the runs of C channels of its 4×4
 * window (row-major), a run of zeros where the window leaves the image; outLists 4 per tile, to its
 * outputs' runs of F channels, NO_OUTPUT for an output past the image's edge (not stored). U_ξ, ξ = 4i + j,
 * is at pu + ξ·nPanels·C·32 as unblocked panels of 8 filters (panel q at + q·C·32); bias holds
 * nPanels·8 floats. C and F are multiples of 4.
 */
export const BLOCK_TILES = 8;

/** An output pointer that stores nothing: −1, never a byte address of wasm32's memory (0 is one: the heap starts there). */
export const NO_OUTPUT = -1;

/**
 * Its bytes of scratch per unit: V (16 × BLOCK_TILES × C floats), M (16 × BLOCK_TILES × 8·nPanels)
 * and the input transform's staging (C/4 runs × 16 ξ × 4 tiles × 4 floats).
 */
export function winogradUnitBytes(channels: number, nPanels: number): number {
  return 16 * (BLOCK_TILES * (channels + nPanels * NR) * 4 + 2 * SKEW) + channels * 256;
}

/**
 * Bytes added to the stride between consecutive ξ's blocks (V_ξ, M_ξ here; A_ξ, B_ξ in
 * winograd-grad-module.ts), one cache line: their sizes are often multiples of 4 KiB, and the 16
 * vectors a transform stores (or loads) a block apart would then all fall in one set of L1's 64.
 * The weight gradient's dy transform took 2.3 ms of the conv net's 5.9 without it (one thread).
 */
export const SKEW = 64;

export function winogradName(activation: TileActivation, pooled = false): string {
  return `winograd_${activation}${pooled ? '_maxpool' : ''}`;
}

const PARAMS = ['inLists', 'outLists', 'pu', 'bias', 'scratch', 'channels', 'filters', 'nPanels', 'blocks', 'units'] as const;

/** A new function with winograd's parameters and locals. */
function newWinograd(): WasmFunction {
  const f = new WasmFunction([...PARAMS.map((p) => [p, Type.i32] as const), ['alpha', Type.f32], ['start', Type.i32], ['end', Type.i32]]);
  f.declare(Type.i32, 'u', 'blk', 'blkEnd', 'vAt', 'mAt', 'stage', 'vp0', 'rEnd', 'unitBytes', 'vStride', 'mStride', 'uStride', 'r', 'lp', 'vp', 'mp', 'xi', 'o0', 'o1', 'o2', 'o3');
  f.declare(Type.v128, 'zero', 'alphas', 'v', 'b', 'pooled');
  declareTransformLocals(f);
  return f;
}

/** The export's type: ten i32, alpha (f32), start and end (i32). */
export const WINOGRAD_TYPE = newWinograd().type();

/** The transforms' locals: window pointers p0..p15, channel offset ch, vectors t0..t7 and s0..s15. */
export function declareTransformLocals(f: WasmFunction): void {
  f.declare(Type.i32, 'ch', ...Array.from({ length: 16 }, (_, i) => `p${i}`));
  f.declare(Type.v128, ...Array.from({ length: 16 }, (_, i) => `s${i}`), ...Array.from({ length: 8 }, (_, i) => `t${i}`));
}

/** `do { body } while ((counter += step) < limit)` (unsigned): the loops here run at least once. */
export function doWhileBelow(f: WasmFunction, counter: string, step: number[], limit: number[], body: number[]): number[] {
  return (Op.loop as readonly number[]).concat(body, f.get(counter), step, Op.i32Add, f.tee(counter), limit, Op.i32LtU, Op.brIf(0), Op.end);
}

/** i8x16.shuffle picking 32-bit lanes (0–3 of the first vector, 4–7 of the second). */
const shuffle32 = (lanes: readonly number[]): number[] => Op.i8x16Shuffle(lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3]));

/**
 * V = Bᵀ·d·B of one run of 4 channels of a tile's window, d(i, j) read at pointer p(4i + j) + ch
 * (locals p0..p15, ch): s(i, ·) = d(i, ·)·B row by row into s0..s15 (t0..t3 holding the row's d),
 * then V(·, j) = Bᵀ·s(·, j); `store(ξ, value)` stores the vector V(i, j), ξ = 4i + j, that `value` pushes.
 * The forward's and the weight gradient's input transform (winograd-grad-module.ts).
 */
export function windowTransform(f: WasmFunction, store: (xi: number, value: number[]) => number[]): number[] {
  const g = (name: string): number[] => f.get(name);
  const plus = (a: string, b: string): number[] => [...g(a), ...g(b), ...Op.f32x4Add];
  const minus = (a: string, b: string): number[] => [...g(a), ...g(b), ...Op.f32x4Sub];
  const code: number[] = [];
  // s(i, 0..3) = (d0 − d2, d1 + d2, d2 − d1, d1 − d3) of row i.
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 4; j++) code.push(...f.set(`t${j}`, [...g(`p${4 * i + j}`), ...g('ch'), ...Op.i32Add, ...Op.v128Load(0)]));
    code.push(...f.set(`s${4 * i}`, minus('t0', 't2')), ...f.set(`s${4 * i + 1}`, plus('t1', 't2')));
    code.push(...f.set(`s${4 * i + 2}`, minus('t2', 't1')), ...f.set(`s${4 * i + 3}`, minus('t1', 't3')));
  }
  // V(i, j): (s0j − s2j, s1j + s2j, s2j − s1j, s1j − s3j) for i = 0..3.
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 4; j++) {
      const s = (row: number): string => `s${4 * row + j}`;
      code.push(...store(4 * i + j, [minus(s(0), s(2)), plus(s(1), s(2)), minus(s(2), s(1)), minus(s(1), s(3))][i]!));
    }
  }
  return code;
}

/**
 * The block's input transform, panel by panel (4 tiles): for each tile r and each run of 4 channels,
 * the window's 16 vectors d(i, j); s(i, ·) = d(i, ·)·B row by row, then V(·, j) = Bᵀ·s(·, j), the 16
 * vectors staged at stage + (run·16 + ξ)·64 + r·16. Then per run and ξ, the 4 tiles' vectors are
 * transposed in registers (a lane per tile, a vector per channel) and stored as 4 rows of V_ξ's
 * packed panel: whole-vector stores, where storing each lane where it goes took 64 lane stores a
 * tile and run, and this transform 0.68 ms of the conv net's second layer where it is now 0.45 (one
 * thread of the Zen 4, under load).
 */
function inputTransform(f: WasmFunction): number[] {
  const g = (name: string): number[] => f.get(name);
  // V_ξ staged at mp + ξ·64.
  const perRun = windowTransform(f, (xi, value) => [...g('mp'), ...value, ...Op.v128Store(64 * xi)]);
  perRun.push(...f.bump('mp', Op.i32Const(1024)));
  const perTile: number[] = [];
  // lp = inLists + (blk·BLOCK_TILES + r)·64: the tile's 16 pointers (r counts the block's tiles).
  perTile.push(...f.set('lp', [...g('inLists'), ...g('blk'), ...Op.i32Const(BLOCK_TILES), ...Op.i32Mul, ...g('r'), ...Op.i32Add, ...Op.i32Const(6), ...Op.i32Shl, ...Op.i32Add]));
  for (let i = 0; i < 16; i++) perTile.push(...f.set(`p${i}`, [...g('lp'), ...Op.i32Load(4 * i)]));
  perTile.push(...f.set('mp', [...g('stage'), ...g('r'), ...Op.i32Const(3), ...Op.i32And, ...Op.i32Const(4), ...Op.i32Shl, ...Op.i32Add]));
  perTile.push(...f.set('ch', Op.i32Const(0)), ...doWhileBelow(f, 'ch', Op.i32Const(16), [...g('channels'), ...Op.i32Const(2), ...Op.i32Shl], perRun));
  // Transposing: rows a_r (tile r, lanes = channels) → columns (channel, lanes = tiles).
  const perTranspose: number[] = [...f.set('vp', [...g('vp0'), ...g('ch'), ...Op.i32Const(2), ...Op.i32Shl, ...Op.i32Add])];
  perTranspose.push(...f.set('mp', [...g('stage'), ...g('ch'), ...Op.i32Const(6), ...Op.i32Shl, ...Op.i32Add]));
  for (let xi = 0; xi < 16; xi++) {
    for (let r = 0; r < 4; r++) perTranspose.push(...f.set(`t${r}`, [...g('mp'), ...Op.v128Load(64 * xi + 16 * r)]));
    perTranspose.push(...f.set('t4', [...g('t0'), ...g('t1'), ...shuffle32([0, 4, 1, 5])]), ...f.set('t5', [...g('t2'), ...g('t3'), ...shuffle32([0, 4, 1, 5])]));
    perTranspose.push(...f.set('t6', [...g('t0'), ...g('t1'), ...shuffle32([2, 6, 3, 7])]), ...f.set('t7', [...g('t2'), ...g('t3'), ...shuffle32([2, 6, 3, 7])]));
    perTranspose.push(...g('vp'), ...g('t4'), ...g('t5'), ...shuffle32([0, 1, 4, 5]), ...Op.v128Store(0));
    perTranspose.push(...g('vp'), ...g('t4'), ...g('t5'), ...shuffle32([2, 3, 6, 7]), ...Op.v128Store(16));
    perTranspose.push(...g('vp'), ...g('t6'), ...g('t7'), ...shuffle32([0, 1, 4, 5]), ...Op.v128Store(32));
    perTranspose.push(...g('vp'), ...g('t6'), ...g('t7'), ...shuffle32([2, 3, 6, 7]), ...Op.v128Store(48));
    if (xi < 15) perTranspose.push(...f.bump('vp', g('vStride')));
  }
  const perPanel = [...doWhileBelow(f, 'r', Op.i32Const(1), [...g('rEnd')], perTile)];
  // vp0 = vAt + panel·C·16: the panel's first k row in V_0 (r is the panel's first tile here).
  perPanel.unshift(...f.set('rEnd', [...g('r'), ...Op.i32Const(MR), ...Op.i32Add]), ...f.set('vp0', [...g('vAt'), ...g('r'), ...Op.i32Const(2), ...Op.i32ShrU, ...g('channels'), ...Op.i32Mul, ...Op.i32Const(4), ...Op.i32Shl, ...Op.i32Add]));
  perPanel.push(...f.set('ch', Op.i32Const(0)), ...doWhileBelow(f, 'ch', Op.i32Const(16), [...g('channels'), ...Op.i32Const(2), ...Op.i32Shl], perTranspose));
  return [...f.set('r', Op.i32Const(0)), ...Op.loop, ...perPanel, ...g('r'), ...Op.i32Const(BLOCK_TILES), ...Op.i32LtU, ...Op.brIf(0), ...Op.end];
}

/** The block's 16 products M_ξ = V_ξ · U_ξ, by the tile function `tile` (packed A and B, no epilogue). */
function products(f: WasmFunction, tile: number): number[] {
  const g = (name: string): number[] => f.get(name);
  const call = [
    ...g('vAt'), ...g('xi'), ...g('vStride'), ...Op.i32Mul, ...Op.i32Add,
    ...g('pu'), ...g('xi'), ...g('uStride'), ...Op.i32Mul, ...Op.i32Add,
    ...g('mAt'), ...g('xi'), ...g('mStride'), ...Op.i32Mul, ...Op.i32Add,
    // mPanels, nPanels, kc = C, ldc = 8·nPanels floats, no bias, B unblocked (no ldb), alpha, aChannels.
    ...Op.i32Const(BLOCK_TILES / MR), ...g('nPanels'), ...g('channels'), ...g('nPanels'), ...Op.i32Const(5), ...Op.i32Shl,
    ...Op.i32Const(0), ...Op.i32Const(0), ...g('alpha'), ...Op.i32Const(0), ...Op.call(tile),
  ];
  return [...f.set('xi', Op.i32Const(0)), ...doWhileBelow(f, 'xi', Op.i32Const(1), Op.i32Const(16), call)];
}

/**
 * The block's output transform: for each tile r and run of 4 filters, the 16 vectors M_ξ;
 * t(a, ·) = Aᵀ·M (two rows), y(a, b) = t(a, ·)·A, + bias, activation, stored where the tile's output
 * pointer is not NO_OUTPUT. `pooled`: the 4 outputs' max (pmax from −∞ in row-major order, as the
 * maxpool kernel: pool-module.ts) stored at the first pointer instead.
 */
function outputTransform(f: WasmFunction, activation: TileActivation, pooled: boolean): number[] {
  const g = (name: string): number[] => f.get(name);
  const plus = (a: string, b: string): number[] => [...g(a), ...g(b), ...Op.f32x4Add];
  const minus = (a: string, b: string): number[] => [...g(a), ...g(b), ...Op.f32x4Sub];
  const storeAt = (out: string, value: string): number[] => [...g(out), ...Op.i32Const(NO_OUTPUT), ...Op.i32Ne, ...Op.if, ...g(out), ...g('ch'), ...Op.i32Add, ...g(value), ...Op.v128Store(0), ...Op.end];
  const perFilters: number[] = [];
  // mp = mAt + r·ldc + ch: M_0's row r at filters ch/4 ..; M_ξ at + ξ·mStride. s(ξ) = M_ξ.
  perFilters.push(...f.set('mp', [...g('mAt'), ...g('r'), ...g('nPanels'), ...Op.i32Mul, ...Op.i32Const(5), ...Op.i32Shl, ...Op.i32Add, ...g('ch'), ...Op.i32Add]));
  for (let xi = 0; xi < 16; xi++) {
    perFilters.push(...f.set(`s${xi}`, [...g('mp'), ...Op.v128Load(0)]));
    if (xi < 15) perFilters.push(...f.bump('mp', g('mStride')));
  }
  // t(0, j) = m0j + m1j + m2j, t(1, j) = m1j − m2j − m3j.
  for (let j = 0; j < 4; j++) {
    perFilters.push(...f.set(`t${j}`, [...plus(`s${j}`, `s${4 + j}`), ...g(`s${8 + j}`), ...Op.f32x4Add]));
    perFilters.push(...f.set(`t${4 + j}`, [...minus(`s${4 + j}`, `s${8 + j}`), ...g(`s${12 + j}`), ...Op.f32x4Sub]));
  }
  perFilters.push(...f.set('b', [...g('bias'), ...g('ch'), ...Op.i32Add, ...Op.v128Load(0)]));
  if (pooled) perFilters.push(...f.set('pooled', [...Op.f32Const(-Infinity), ...Op.f32x4Splat]));
  // y(a, 0) = t(a, 0) + t(a, 1) + t(a, 2); y(a, 1) = t(a, 1) − t(a, 2) − t(a, 3); output 2a + b.
  for (let a = 0; a < 2; a++) {
    const t = (j: number): string => `t${4 * a + j}`;
    for (let b = 0; b < 2; b++) {
      const y = b === 0 ? [...plus(t(0), t(1)), ...g(t(2)), ...Op.f32x4Add] : [...minus(t(1), t(2)), ...g(t(3)), ...Op.f32x4Sub];
      perFilters.push(...f.set('v', [...y, ...g('b'), ...Op.f32x4Add]), ...activationCode(activation, f.slot('v'), f.slot('zero'), f.slot('alphas')));
      if (pooled) perFilters.push(...f.set('pooled', [...g('pooled'), ...g('v'), ...Op.f32x4Pmax]));
      else perFilters.push(...storeAt(`o${2 * a + b}`, 'v'));
    }
  }
  if (pooled) perFilters.push(...storeAt('o0', 'pooled'));
  const perTile: number[] = [];
  perTile.push(...f.set('lp', [...g('outLists'), ...g('blk'), ...Op.i32Const(BLOCK_TILES), ...Op.i32Mul, ...g('r'), ...Op.i32Add, ...Op.i32Const(4), ...Op.i32Shl, ...Op.i32Add]));
  for (let o = 0; o < (pooled ? 1 : 4); o++) perTile.push(...f.set(`o${o}`, [...g('lp'), ...Op.i32Load(4 * o)]));
  perTile.push(...f.set('ch', Op.i32Const(0)), ...doWhileBelow(f, 'ch', Op.i32Const(16), [...g('filters'), ...Op.i32Const(2), ...Op.i32Shl], perFilters));
  return [...f.set('r', Op.i32Const(0)), ...doWhileBelow(f, 'r', Op.i32Const(1), Op.i32Const(BLOCK_TILES), perTile)];
}

/**
 * The parts every winograd_<activation> function has alike (the input transform, the products),
 * written once: every function made by `newWinograd` has the same locals in the same slots, so the
 * code is the same bytes; writing it eight times (in JS that runs once, unoptimised, at start-up) took
 * ~12 ms of the ~210 the GEMM module took to write.
 */
const shared = new Map<string, number[]>();
function sharedCode(key: string, write: () => number[]): number[] {
  let code = shared.get(key);
  if (!code) shared.set(key, (code = write()));
  return code;
}

/**
 * The body entry of winograd_<activation>, or with `pooled` winograd_<activation>_maxpool
 * (size-prefixed, for the code section), calling `tile` (the packed tile function without epilogue)
 * for the products.
 */
export function winogradBody(activation: TileActivation, tile: number, pooled = false): number[] {
  const f = newWinograd();
  const g = (name: string): number[] => f.get(name);
  const code: number[] = [...f.set('zero', Op.v128Zero), ...f.set('alphas', [...g('alpha'), ...Op.f32x4Splat])];
  // Strides in bytes: V_ξ (BLOCK_TILES·C floats), M_ξ (BLOCK_TILES·8·nPanels), each + SKEW; U_ξ (8·nPanels·C).
  code.push(...f.set('vStride', [...g('channels'), ...Op.i32Const(BLOCK_TILES * 4), ...Op.i32Mul, ...Op.i32Const(SKEW), ...Op.i32Add]));
  code.push(...f.set('mStride', [...g('nPanels'), ...Op.i32Const(BLOCK_TILES * NR * 4), ...Op.i32Mul, ...Op.i32Const(SKEW), ...Op.i32Add]));
  code.push(...f.set('unitBytes', [...g('vStride'), ...g('mStride'), ...Op.i32Add, ...Op.i32Const(4), ...Op.i32Shl, ...g('channels'), ...Op.i32Const(8), ...Op.i32Shl, ...Op.i32Add]));
  code.push(...f.set('uStride', [...g('nPanels'), ...g('channels'), ...Op.i32Mul, ...Op.i32Const(5), ...Op.i32Shl]));
  // The long parts joined with concat, not spread (moduleBytes in wasm-bytes.ts says why).
  const perBlock = sharedCode(`input`, () => inputTransform(f)).concat(sharedCode(`products ${tile}`, () => products(f, tile)), outputTransform(f, activation, pooled));
  const unitStart = [
    // This unit's scratch: V, then M; its blocks [u·blocks/units, (u+1)·blocks/units).
    ...f.set('vAt', [...g('scratch'), ...g('u'), ...g('unitBytes'), ...Op.i32Mul, ...Op.i32Add]),
    ...f.set('mAt', [...g('vAt'), ...g('vStride'), ...Op.i32Const(4), ...Op.i32Shl, ...Op.i32Add]),
    ...f.set('stage', [...g('mAt'), ...g('mStride'), ...Op.i32Const(4), ...Op.i32Shl, ...Op.i32Add]),
    ...f.set('blk', [...g('u'), ...g('blocks'), ...Op.i32Mul, ...g('units'), ...Op.i32DivU]),
    ...f.set('blkEnd', [...g('u'), ...Op.i32Const(1), ...Op.i32Add, ...g('blocks'), ...Op.i32Mul, ...g('units'), ...Op.i32DivU]),
    ...Op.block, ...g('blk'), ...g('blkEnd'), ...Op.i32GeU, ...Op.brIf(0),
  ];
  const perUnit = unitStart.concat(doWhileBelow(f, 'blk', Op.i32Const(1), g('blkEnd'), perBlock), Op.end);
  code.push(...Op.block, ...g('start'), ...g('end'), ...Op.i32GeU, ...Op.brIf(0), ...f.set('u', g('start')));
  return f.body(code.concat(doWhileBelow(f, 'u', Op.i32Const(1), g('end'), perUnit), Op.end));
}
