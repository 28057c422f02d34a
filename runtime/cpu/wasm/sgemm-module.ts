import { driverBody, DRIVER_TYPE, gatherDriverBody, indirectDriverBody } from './sgemm-driver.js';
import { packABody, packBBody, PACK_A_TYPE } from './sgemm-pack-a.js';
import { packAVectorBody, packBTransposedBody } from './sgemm-pack-vector.js';
import { WINOGRAD_GRAD_NAME, WINOGRAD_GRAD_TYPE, winogradGradBody } from './winograd-grad-module.js';
import { WINOGRAD_TYPE, winogradBody, winogradName } from './winograd-module.js';
import { WINOGRAD_UNTRANSFORM, WINOGRAD_WEIGHTS, WINOGRAD_WEIGHTS_FLIPPED, WINOGRAD_WEIGHTS_TYPE, winogradUntransformBody, winogradWeightsBody, winogradWeightsFlippedBody } from './winograd-weights-module.js';
import { importedMemorySection, moduleBytes, name, Op, section, Type, u32, vector } from './wasm-bytes.js';

/**
 * The float32 GEMM micro-kernel on WebAssembly SIMD, as module bytes. It imports its memory (env.memory,
 * shared when threads may run it: threads/threaded-module.ts) and exports one function per tile
 * epilogue (see `SGEMM_VARIANTS`), all with the same signature:
 *
 *   <variant>(pa, pb, c, mPanels, nPanels, kc, ldcBytes, bias, ldbBytes, alpha)
 *
 * For every panel q of B (NR = 8 columns) and panel p of A (MR = 4 rows), both packed k-major in
 * float32 (sgemm-pack.ts), it sums the 4×8 tile over kc steps in eight f32x4 accumulators, then
 * finishes the tile in registers and stores it into C (float32, row-major, `ldcBytes` per row):
 *
 *   tile (+ C's previous value, `accumulate`: blocks of k after the first) (+ bias[8q .. 8q+7])
 *        → activation (relu, leaky_relu with `alpha`, step; the others run in JS after the store)
 *
 * Accumulation is in float32, as every peer (BLAS, onnxruntime, XNNPACK) does: each k step is one
 * splat of A per row and two loads of B feeding eight multiply-adds. 4×8 keeps 8 accumulators,
 * 2 B vectors and 1 splat = 11 of x64's 16 vector registers (V8 does not use AVX-512's 32), so
 * nothing spills; the tile's epilogue uses the rest. With relaxed SIMD (`fma`), the multiply-add is
 * `f32x4.relaxed_madd`, one fused instruction where the CPU has FMA; without it, `f32x4.mul` then
 * `f32x4.add`. The two differ by product rounding only (within the stated tolerance).
 *
 * `rowMajorB` variants read B unpacked instead: row-major with a row stride of `ldbBytes`, panel q
 * being columns 8q..8q+7 of each row, which are already contiguous. A weight read as dY·W, an
 * activation read as Xᵀ·dY and a conv weight read as dy·w are all row-major B: copying them in is a
 * memcpy, not a pack. Columns past n are read from whatever follows (the caller leaves 32 bytes of
 * slack) and never stored. Only B read transposed (x·Wᵀ) needs sgemm-pack.ts.
 *
 * `rowMajorA` variants (B packed) read A where it lies, row-major, instead of packed panels: row r
 * of panel p at pa + (4p + r)·aStrideBytes, its k steps contiguous (the `aChannels` argument carries
 * the row stride). Each k step is then three more address additions and no pass has to pack A
 * first: a batch's activations are read straight from the executor's tensor.
 *
 * `indirectA` variants (convolutions: conv-indirect.ts) read A through pointers instead of packed
 * panels, the indirect GEMM of XNNPACK: A's k dimension is `kc` taps of `ldbBytes / 4` contiguous
 * channels each, and `pa` holds, per panel of 4 rows and per tap, the 4 rows' byte addresses of
 * their run of channels (an input pixel, or a run of zeros for padding). B is packed unblocked (all
 * of k in one block: panel q at q · k · 32 bytes), and the whole k is summed in one call, so these
 * variants never accumulate. No patch matrix is ever written. Those with `tapChannels` know the
 * channels per tap when generated and unroll the taps (tapUnrolledSteps): for small k, a first layer's.
 *
 * `gatherA` variants (a convolution's weight gradient, dwᵀ = patchesᵀ · dy: conv-gather.ts) read A,
 * the patches transposed, through pointer lists too: A's rows are (tap, channel) pairs, its k the
 * output pixels of a block, and `pa` holds one list of `kc` pointers per tap (then four lists of
 * zeros for the rows past the last tap), tap after tap: A(4p + r, i) = *(list[t][i] + ch·4) with
 * t, ch = divmod(bias + 4p + r, `aChannels`), `bias` the tile's first row (these variants have no
 * bias). B is row-major (dy), as in the rowMajorB variants.
 *
 * All pointers are byte addresses in the module's memory; bias is padded to a multiple of 8.
 */
export const MR = 4;
export const NR = 8;

/** Activations done inside the tile; the rest of runtime/plan/kernels.ts's list runs in JS per chunk. */
export type TileActivation = 'none' | 'relu' | 'leaky_relu' | 'step';
export const TILE_ACTIVATIONS: readonly TileActivation[] = ['none', 'relu', 'leaky_relu', 'step'];

/** Whether a plan's activation (by name) is one the tile applies itself. */
export function isTileActivation(name: string): name is TileActivation {
  return (TILE_ACTIVATIONS as readonly string[]).includes(name);
}

export interface SgemmVariant {
  /** A read row-major where it lies, its row stride in bytes the `aChannels` argument (rowMajorB false). */
  rowMajorA?: boolean;
  /** A read through per-tap row pointers (rowMajorB and accumulate false). */
  indirectA?: boolean;
  /** indirectA with this many channels per tap (ldb / 4), for at most unrolledTaps(tapChannels) taps: unrolled. */
  tapChannels?: number;
  /** A read transposed through per-tap pointer lists (rowMajorB true, no bias, no activation). */
  gatherA?: boolean;
  /**
   * indirectA with a bias: each panel's 4 rows are one 2×2 pooling window (the gather orders its rows
   * so: conv-indirect.ts), and the tile stores their max after the bias and activation (pmax from −∞
   * in row order, as the maxpool kernel: pool-module.ts) as one row of C, panel p at row p.
   */
  pooled?: boolean;
  rowMajorB: boolean;
  accumulate: boolean;
  bias: boolean;
  activation: TileActivation;
}

export function variantName(v: SgemmVariant): string {
  return `tiles${v.rowMajorA ? '_rowa' : ''}${v.indirectA ? '_indirect' : ''}${v.tapChannels ? `_c${v.tapChannels}` : ''}${v.gatherA ? '_gather' : ''}${v.rowMajorB ? '_rowb' : ''}${v.accumulate ? '_acc' : ''}${v.bias ? '_bias' : ''}_${v.activation}${v.pooled ? '_maxpool' : ''}`;
}

/** The epilogues of a whole product, one driver export each (sgemm-driver.ts). */
export type DriverVariant = Omit<SgemmVariant, 'accumulate'>;

export function driverName(v: DriverVariant): string {
  return `gemm${v.rowMajorA ? '_rowa' : ''}${v.indirectA ? '_indirect' : ''}${v.tapChannels ? `_c${v.tapChannels}` : ''}${v.gatherA ? '_gather' : ''}${v.rowMajorB ? '_rowb' : ''}${v.bias ? '_bias' : ''}_${v.activation}${v.pooled ? '_maxpool' : ''}`;
}

/**
 * Channels per tap that get unrolled indirect variants (tapChannels), for up to UNROLLED_STEPS k
 * steps: a 3×3 or 5×5 window of 1 channel or a 3×3 one of 3 with padding (a tap per pixel), or of 1
 * channel without (a tap per window row of 3 pixels), as first layers have. Their k is small, and
 * the loop variant spends more on per-tap and per-step bookkeeping than on the 8 multiply-adds of a
 * step. Conv + relu + maxpool 2, batch 64, one thread of the Zen 4, best of 320 under load:
 * [28, 28, 1] * 32 3×3 valid (3 taps of 3) 1,069 → 983 µs, same (9 taps of 1) 1,569 → 1,184 µs;
 * [32, 32, 3] * 32 3×3 same (9 taps of 3) 3,234 → 2,869 µs; LeNet-5's first layer ([28, 28, 1] * 6
 * 5×5 same: 25 taps of 1) 1,944 → 1,700 µs. 9 channels (a window row of 3 RGB pixels) gained nothing
 * (its channel loop already runs 9 steps), 5 (a 5×5 window row) 5%: not worth the module bytes
 * (~4 KB per unrolled tile function) and the time to write them at start-up.
 */
export const UNROLLED_TAP_CHANNELS: readonly number[] = [1, 3];
const UNROLLED_STEPS = 27;
/** The most taps an unrolled variant of `channels` per tap takes (fewer leave early). */
export const unrolledTaps = (channels: number): number => (UNROLLED_TAP_CHANNELS.includes(channels) ? Math.floor(UNROLLED_STEPS / channels) : 0);

/** The pooled indirect variants' channels per tap: the loop's (undefined) and each unrolled one's. */
const POOLED_TAP_CHANNELS: ReadonlyArray<number | undefined> = [undefined, ...UNROLLED_TAP_CHANNELS];

export const SGEMM_VARIANTS: readonly SgemmVariant[] = [
  ...[false, true].flatMap((rowMajorB) =>
    [false, true].flatMap((accumulate) =>
      [false, true].flatMap((bias) => TILE_ACTIVATIONS.map((activation) => ({ rowMajorB, accumulate, bias, activation }))),
    ),
  ),
  ...[false, true].flatMap((accumulate) =>
    [false, true].flatMap((bias) => TILE_ACTIVATIONS.map((activation) => ({ rowMajorA: true, rowMajorB: false, accumulate, bias, activation }))),
  ),
  ...[false, true].flatMap((bias) => TILE_ACTIVATIONS.map((activation) => ({ indirectA: true, rowMajorB: false, accumulate: false, bias, activation }))),
  ...UNROLLED_TAP_CHANNELS.flatMap((tapChannels) => [false, true].flatMap((bias) => TILE_ACTIVATIONS.map((activation) => ({ indirectA: true, tapChannels, rowMajorB: false, accumulate: false, bias, activation })))),
  ...[false, true].map((accumulate) => ({ gatherA: true, rowMajorB: true, accumulate, bias: false, activation: 'none' as const })),
  ...POOLED_TAP_CHANNELS.flatMap((tapChannels) => TILE_ACTIVATIONS.map((activation) => ({ indirectA: true, tapChannels, rowMajorB: false, accumulate: false, bias: true, activation, pooled: true }))),
];

export const DRIVER_VARIANTS: readonly DriverVariant[] = [
  ...[false, true].flatMap((rowMajorB) => [false, true].flatMap((bias) => TILE_ACTIVATIONS.map((activation) => ({ rowMajorB, bias, activation })))),
  ...[false, true].flatMap((bias) => TILE_ACTIVATIONS.map((activation) => ({ rowMajorA: true, rowMajorB: false, bias, activation }))),
  ...[false, true].flatMap((bias) => TILE_ACTIVATIONS.map((activation) => ({ indirectA: true, rowMajorB: false, bias, activation }))),
  ...UNROLLED_TAP_CHANNELS.flatMap((tapChannels) => [false, true].flatMap((bias) => TILE_ACTIVATIONS.map((activation) => ({ indirectA: true, tapChannels, rowMajorB: false, bias, activation })))),
  { gatherA: true, rowMajorB: true, bias: false, activation: 'none' },
  ...POOLED_TAP_CHANNELS.flatMap((tapChannels) => TILE_ACTIVATIONS.map((activation) => ({ indirectA: true, tapChannels, rowMajorB: false, bias: true, activation, pooled: true }))),
];

const params = ['pa', 'pb', 'c', 'mPanels', 'nPanels', 'kc', 'ldc', 'bias', 'ldb'] as const;
/** alpha (f32), then aChannels (i32: the gatherA variants' channels per tap; others ignore it). */
const f32Params = ['alpha'] as const;
const lastParams = ['aChannels'] as const;
const i32Locals = ['q', 'p', 'kk', 'ap', 'bp', 'cp', 'r0', 'r1', 'r2', 'r3', 'co', 'o0', 'o1', 'o2', 'o3', 't'] as const;
const v128Locals = [
  'acc00', 'acc01', 'acc10', 'acc11', 'acc20', 'acc21', 'acc30', 'acc31',
  'b0', 'b1', 'splat', 'bias0', 'bias1', 'v', 'zero', 'alphas',
] as const;
type Local = (typeof params)[number] | (typeof f32Params)[number] | (typeof lastParams)[number] | (typeof i32Locals)[number] | (typeof v128Locals)[number];
const index = new Map<Local, number>([...params, ...f32Params, ...lastParams, ...i32Locals, ...v128Locals].map((n, i) => [n, i]));
const get = (local: Local): number[] => Op.localGet(index.get(local)!);
const set = (local: Local): number[] => Op.localSet(index.get(local)!);
const tee = (local: Local): number[] => Op.localTee(index.get(local)!);
const acc = (row: number, half: number): Local => `acc${row}${half}` as Local;

/** acc += x · y (operands pushed by the caller after acc). */
function madd(fma: boolean, acc: Local, x: Local, y: Local): number[] {
  if (fma) return [...get(x), ...get(y), ...get(acc), ...Op.f32x4RelaxedMadd, ...set(acc)];
  return [...get(acc), ...get(x), ...get(y), ...Op.f32x4Mul, ...Op.f32x4Add, ...set(acc)];
}

/** Where row r of a rowMajorA panel is read from at this k step: ap, then r1..r3 (set by `rowAddresses`). */
const ROW_ADDRESSES = ['ap', 'r1', 'r2', 'r3'] as const;
/** Row r's offset from row 0 in a rowMajorA panel (1..3 row strides, set once per call). */
const ROW_OFFSETS = ['o1', 'o2', 'o3'] as const;

/** r1..r3 = ap + o1..o3: a rowMajorA panel's row addresses at this k step. */
function rowAddresses(): number[] {
  return ROW_OFFSETS.flatMap((offset, i) => [...get('ap'), ...get(offset), ...Op.i32Add, ...set(ROW_ADDRESSES[i + 1]!)]);
}

/** One k step of the 4×8 tile: acc[r][h] += splat(A[r]) · B[h]. */
function kStep(fma: boolean, rowMajorA: boolean): number[] {
  const code = [...get('bp'), ...Op.v128Load(0), ...set('b0'), ...get('bp'), ...Op.v128Load(16), ...set('b1')];
  for (let r = 0; r < MR; r++) {
    code.push(...(rowMajorA ? [...get(ROW_ADDRESSES[r]!), ...Op.v128Load32Splat(0)] : [...get('ap'), ...Op.v128Load32Splat(4 * r)]), ...set('splat'));
    code.push(...madd(fma, acc(r, 0), 'splat', 'b0'), ...madd(fma, acc(r, 1), 'splat', 'b1'));
  }
  return code;
}

/** All kc steps of a tile (kk = kc on entry), one an iteration. */
function kSteps(fma: boolean, rowMajorA: boolean, rowMajorB: boolean): number[] {
  const code = [...Op.loop, ...(rowMajorA ? rowAddresses() : []), ...kStep(fma, rowMajorA)];
  code.push(...get('ap'), ...Op.i32Const(rowMajorA ? 4 : 4 * MR), ...Op.i32Add, ...set('ap'));
  code.push(...get('bp'), ...(rowMajorB ? get('ldb') : Op.i32Const(4 * NR)), ...Op.i32Add, ...set('bp'));
  code.push(...get('kk'), ...Op.i32Const(1), ...Op.i32Sub, ...tee('kk'), ...Op.brIf(0), ...Op.end);
  return code;
}

/**
 * All of k for the indirect variants: per tap, the 4 rows' pointers (ap walks the pointer list),
 * then `ldb / 4` channel steps reading A at pointer + co: acc[r][h] += splat(A[r]) · B[h].
 */
function indirectSteps(fma: boolean): number[] {
  const rows = ['r0', 'r1', 'r2', 'r3'] as const;
  const code: number[] = [...Op.loop];
  for (let r = 0; r < MR; r++) code.push(...get('ap'), ...Op.i32Load(4 * r), ...set(rows[r]!));
  code.push(...get('ap'), ...Op.i32Const(4 * MR), ...Op.i32Add, ...set('ap'), ...Op.i32Const(0), ...set('co'));
  code.push(...Op.loop, ...get('bp'), ...Op.v128Load(0), ...set('b0'), ...get('bp'), ...Op.v128Load(16), ...set('b1'));
  for (let r = 0; r < MR; r++) {
    code.push(...get(rows[r]!), ...get('co'), ...Op.i32Add, ...Op.v128Load32Splat(0), ...set('splat'));
    code.push(...madd(fma, acc(r, 0), 'splat', 'b0'), ...madd(fma, acc(r, 1), 'splat', 'b1'));
  }
  code.push(...get('bp'), ...Op.i32Const(4 * NR), ...Op.i32Add, ...set('bp'));
  code.push(...get('co'), ...Op.i32Const(4), ...Op.i32Add, ...tee('co'), ...get('ldb'), ...Op.i32LtU, ...Op.brIf(0), ...Op.end);
  code.push(...get('kk'), ...Op.i32Const(1), ...Op.i32Sub, ...tee('kk'), ...Op.brIf(0), ...Op.end);
  return code;
}

/**
 * All of k for an indirect variant of `channels` per tap: the taps unrolled, leaving after the kc-th,
 * so that every load has a constant offset from its tap's pointer or from bp (no address sums, no
 * counters). Each step sits behind a branch never taken (kc = 0: no taps), which keeps it a block of
 * its own: in one long block, V8's TurboFan (Node 20) issues all the steps' loads first and spills
 * them (slower than the loop); block by block, each step's loads stay next to its multiply-adds.
 */
function tapUnrolledSteps(fma: boolean, channels: number): number[] {
  // The same code for every epilogue: written once per module (a first call runs unoptimised, at start-up).
  const key = `${fma} ${channels}`;
  const known = unrolledSteps.get(key);
  if (known) return known;
  const rows = ['r0', 'r1', 'r2', 'r3'] as const;
  const code: number[] = [...Op.block];
  for (let t = 0; t < unrolledTaps(channels); t++) {
    if (t > 0) code.push(...Op.i32Const(t), ...get('kc'), ...Op.i32GeU, ...Op.brIf(0));
    for (let r = 0; r < MR; r++) code.push(...get('ap'), ...Op.i32Load(4 * (MR * t + r)), ...set(rows[r]!));
    for (let ch = 0; ch < channels; ch++) {
      const bAt = 4 * NR * (t * channels + ch);
      code.push(...Op.block, ...get('kc'), ...Op.i32Eqz, ...Op.brIf(0));
      code.push(...get('bp'), ...Op.v128Load(bAt), ...set('b0'), ...get('bp'), ...Op.v128Load(bAt + 16), ...set('b1'));
      for (let r = 0; r < MR; r++) {
        code.push(...get(rows[r]!), ...Op.v128Load32Splat(4 * ch), ...set('splat'));
        code.push(...madd(fma, acc(r, 0), 'splat', 'b0'), ...madd(fma, acc(r, 1), 'splat', 'b1'));
      }
      code.push(...Op.end);
    }
  }
  code.push(...Op.end);
  unrolledSteps.set(key, code);
  return code;
}

const unrolledSteps = new Map<string, number[]>();

/**
 * All kc steps of a gatherA tile: rows r of A panel p are (t, ch) = divmod(row0 + 4p + r, aChannels),
 * row0 being the tile's first row (passed as `bias`: the driver's row tiles), read from list t (at
 * pa + t·kc·4, walked by co) plus ch·4; B's rows follow at a stride of ldb.
 */
function gatherSteps(fma: boolean): number[] {
  const lists = ['r0', 'r1', 'r2', 'r3'] as const;
  const offsets = ['o0', 'o1', 'o2', 'o3'] as const;
  const code: number[] = [];
  for (let r = 0; r < MR; r++) {
    code.push(...get('p'), ...Op.i32Const(2), ...Op.i32Shl, ...Op.i32Const(r), ...Op.i32Add, ...get('bias'), ...Op.i32Add, ...set('kk'));
    code.push(...get('kk'), ...get('aChannels'), ...Op.i32DivU, ...set('t'));
    code.push(...get('pa'), ...get('t'), ...get('kc'), ...Op.i32Mul, ...Op.i32Const(2), ...Op.i32Shl, ...Op.i32Add, ...set(lists[r]!));
    code.push(...get('kk'), ...get('t'), ...get('aChannels'), ...Op.i32Mul, ...Op.i32Sub, ...Op.i32Const(2), ...Op.i32Shl, ...set(offsets[r]!));
  }
  // C a multiple of 4: the panel's four rows are four channels of one tap, so one pointer per step
  // serves them all (one load instead of four); else each row reads its own list.
  const step = (rows: (r: number) => number[]): number[] => {
    const loop = [...Op.i32Const(0), ...set('co'), ...Op.loop];
    loop.push(...get('bp'), ...Op.v128Load(0), ...set('b0'), ...get('bp'), ...Op.v128Load(16), ...set('b1'));
    for (let r = 0; r < MR; r++) {
      loop.push(...rows(r), ...set('splat'));
      loop.push(...madd(fma, acc(r, 0), 'splat', 'b0'), ...madd(fma, acc(r, 1), 'splat', 'b1'));
    }
    loop.push(...get('bp'), ...get('ldb'), ...Op.i32Add, ...set('bp'));
    loop.push(...get('co'), ...Op.i32Const(4), ...Op.i32Add, ...tee('co'), ...get('kc'), ...Op.i32Const(2), ...Op.i32Shl, ...Op.i32LtU, ...Op.brIf(0), ...Op.end);
    return loop;
  };
  const shared = step((r) => (r === 0 ? [...get('r0'), ...get('co'), ...Op.i32Add, ...Op.i32Load(0), ...get('o0'), ...Op.i32Add, ...Op.localTee(index.get('t')!), ...Op.v128Load32Splat(0)] : [...get('t'), ...Op.v128Load32Splat(4 * r)]));
  const own = step((r) => [...get(lists[r]!), ...get('co'), ...Op.i32Add, ...Op.i32Load(0), ...get(offsets[r]!), ...Op.i32Add, ...Op.v128Load32Splat(0)]);
  code.push(...get('aChannels'), ...Op.i32Const(3), ...Op.i32And, ...Op.if, ...own, ...Op.else, ...shared, ...Op.end);
  return code;
}

/**
 * v = activation(v) in registers, v, zero (a zero vector) and alphas (alpha in every lane) being the
 * locals of those indices: the tiles' epilogue here, and the Winograd output transform's (winograd-module.ts).
 */
export function activationCode(activation: TileActivation, v: number, zero: number, alphas: number): number[] {
  switch (activation) {
    case 'none':
      return [];
    case 'relu':
      return [...Op.localGet(v), ...Op.localGet(zero), ...Op.f32x4Pmax, ...Op.localSet(v)];
    case 'leaky_relu':
      // v < 0 ? alpha·v : v
      return [...Op.localGet(v), ...Op.localGet(alphas), ...Op.f32x4Mul, ...Op.localGet(v), ...Op.localGet(v), ...Op.localGet(zero), ...Op.f32x4Lt, ...Op.v128Bitselect, ...Op.localSet(v)];
    case 'step':
      // v > 0 ? 1 : 0 (a mask of all ones ANDed with 1.0's bits)
      return [...Op.localGet(v), ...Op.localGet(zero), ...Op.f32x4Gt, ...Op.f32Const(1), ...Op.f32x4Splat, ...Op.v128And, ...Op.localSet(v)];
  }
}

const activate = (activation: TileActivation): number[] => activationCode(activation, index.get('v')!, index.get('zero')!, index.get('alphas')!);

/** C[4p + r, 8q .. 8q+7] = finish(acc[r]): cp walks down the tile's rows. */
function storeTile(variant: SgemmVariant): number[] {
  if (variant.pooled) return storePooledTile(variant);
  const code = [...get('c'), ...get('p'), ...get('ldc'), ...Op.i32Mul, ...Op.i32Const(2), ...Op.i32Shl, ...Op.i32Add];
  code.push(...get('q'), ...Op.i32Const(5), ...Op.i32Shl, ...Op.i32Add, ...set('cp'));
  for (let r = 0; r < MR; r++) {
    for (let h = 0; h < 2; h++) {
      code.push(...get(acc(r, h)));
      if (variant.accumulate) code.push(...get('cp'), ...Op.v128Load(16 * h), ...Op.f32x4Add);
      if (variant.bias) code.push(...get(h === 0 ? 'bias0' : 'bias1'), ...Op.f32x4Add);
      code.push(...set('v'), ...activate(variant.activation));
      code.push(...get('cp'), ...get('v'), ...Op.v128Store(16 * h));
    }
    code.push(...get('cp'), ...get('ldc'), ...Op.i32Add, ...set('cp'));
  }
  return code;
}

/** The pooled variants' store: per half, the max of the 4 rows (bias added, activated) into row p of C. */
function storePooledTile(variant: SgemmVariant): number[] {
  const code = [...get('c'), ...get('p'), ...get('ldc'), ...Op.i32Mul, ...Op.i32Add, ...get('q'), ...Op.i32Const(5), ...Op.i32Shl, ...Op.i32Add, ...set('cp')];
  for (let h = 0; h < 2; h++) {
    // acc(0, h) is done with once its row is in: it holds the running max.
    const max = acc(0, h);
    for (let r = 0; r < MR; r++) {
      code.push(...get(acc(r, h)), ...get(h === 0 ? 'bias0' : 'bias1'), ...Op.f32x4Add, ...set('v'), ...activate(variant.activation));
      if (r === 0) code.push(...Op.f32Const(-Infinity), ...Op.f32x4Splat, ...get('v'), ...Op.f32x4Pmax, ...set(max));
      else code.push(...get(max), ...get('v'), ...Op.f32x4Pmax, ...set(max));
    }
    code.push(...get('cp'), ...get(max), ...Op.v128Store(16 * h));
  }
  return code;
}

/** panelBase = base + panel · kc · (rows per panel) · 4 bytes. */
function panelStart(base: Local, panel: Local, log2PanelBytesPerK: number, target: Local): number[] {
  return [...get(base), ...get(panel), ...get('kc'), ...Op.i32Mul, ...Op.i32Const(log2PanelBytesPerK), ...Op.i32Shl, ...Op.i32Add, ...set(target)];
}

/** `counter += 1; continue the enclosing loop while counter < limit`. */
function nextWhileBelow(counter: Local, limit: Local): number[] {
  return [...get(counter), ...Op.i32Const(1), ...Op.i32Add, ...tee(counter), ...get(limit), ...Op.i32LtU, ...Op.brIf(0)];
}

function body(variant: SgemmVariant, fma: boolean): number[] {
  const code: number[] = [...Op.v128Zero, ...set('zero'), ...get('alpha'), ...Op.f32x4Splat, ...set('alphas')];
  if (variant.rowMajorA) {
    code.push(...get('aChannels'), ...set('o1'), ...get('o1'), ...Op.i32Const(1), ...Op.i32Shl, ...set('o2'));
    code.push(...get('o1'), ...get('o2'), ...Op.i32Add, ...set('o3'));
  }
  code.push(...Op.i32Const(0), ...set('q'), ...Op.loop);
  if (variant.bias) {
    code.push(...get('bias'), ...get('q'), ...Op.i32Const(5), ...Op.i32Shl, ...Op.i32Add, ...set('bp'));
    code.push(...get('bp'), ...Op.v128Load(0), ...set('bias0'), ...get('bp'), ...Op.v128Load(16), ...set('bias1'));
  }
  code.push(...Op.i32Const(0), ...set('p'), ...Op.loop);
  for (let r = 0; r < MR; r++) for (let h = 0; h < 2; h++) code.push(...Op.v128Zero, ...set(acc(r, h)));
  // rowMajorA: panel p at pa + p · 4 row strides; packed: at pa + p · kc · 16 bytes.
  if (variant.rowMajorA) code.push(...get('pa'), ...get('p'), ...get('aChannels'), ...Op.i32Mul, ...Op.i32Const(2), ...Op.i32Shl, ...Op.i32Add, ...set('ap'));
  else code.push(...panelStart('pa', 'p', 4, 'ap'));
  if (variant.rowMajorB) code.push(...get('pb'), ...get('q'), ...Op.i32Const(5), ...Op.i32Shl, ...Op.i32Add, ...set('bp'));
  // Indirect: panel q of B at pb + q · taps · (channels · 32 bytes) = pb + (q · taps · ldb) << 3.
  else if (variant.indirectA) code.push(...get('pb'), ...get('q'), ...get('kc'), ...Op.i32Mul, ...get('ldb'), ...Op.i32Mul, ...Op.i32Const(3), ...Op.i32Shl, ...Op.i32Add, ...set('bp'));
  else code.push(...panelStart('pb', 'q', 5, 'bp'));
  code.push(...get('kc'), ...set('kk'));
  if (variant.gatherA) code.push(...gatherSteps(fma));
  else if (variant.indirectA) code.push(...(variant.tapChannels ? tapUnrolledSteps(fma, variant.tapChannels) : indirectSteps(fma)));
  else code.push(...kSteps(fma, variant.rowMajorA === true, variant.rowMajorB));
  code.push(...storeTile(variant), ...nextWhileBelow('p', 'mPanels'), ...Op.end);
  code.push(...nextWhileBelow('q', 'nPanels'), ...Op.end, ...Op.end);
  const locals = vector([[...u32(i32Locals.length), Type.i32], [...u32(v128Locals.length), Type.v128]]);
  return locals.concat(code);
}

/**
 * The Winograd convolutions' functions in the module, in order (conv-winograd.ts runs them, all on
 * the threads): name, type (an index into WINOGRAD_TYPES) and body, given the plain tiles' function
 * indices. A function, not a constant: the winograd modules import this one.
 */
function winogradFunctions(): Array<{ name: string; type: number; body: (tiles: { plain: number; accumulating: number }) => number[] }> {
  return [
    ...[false, true].flatMap((pooled) =>
      TILE_ACTIVATIONS.map((activation) => ({ name: winogradName(activation, pooled), type: 0, body: (t: { plain: number }) => winogradBody(activation, t.plain, pooled) })),
    ),
    { name: WINOGRAD_GRAD_NAME, type: 1, body: (t: { plain: number; accumulating: number }) => winogradGradBody(t.plain, t.accumulating) },
    { name: WINOGRAD_WEIGHTS, type: 2, body: winogradWeightsBody },
    { name: WINOGRAD_WEIGHTS_FLIPPED, type: 2, body: winogradWeightsFlippedBody },
    { name: WINOGRAD_UNTRANSFORM, type: 2, body: winogradUntransformBody },
  ];
}

const WINOGRAD_TYPES = [WINOGRAD_TYPE, WINOGRAD_GRAD_TYPE, WINOGRAD_WEIGHTS_TYPE];

/** The Winograd functions' export names (the thread pool's list: sgemm-simd.ts). */
export function winogradExports(): string[] {
  return winogradFunctions().map((f) => f.name);
}

/**
 * The module; `fma` selects relaxed SIMD's multiply-add (validate it before use: sgemm-simd.ts);
 * `shared` whether the imported memory is a shared one, with at most `maxPages` pages.
 */
export function sgemmModuleBytes(fma: boolean, shared: boolean, maxPages: number): Uint8Array<ArrayBuffer> {
  const tileType = [Type.func, ...vector([...params.map(() => [Type.i32]), [Type.f32], [Type.i32]]), ...vector([])];
  const functionIndex = (v: SgemmVariant): number => SGEMM_VARIANTS.findIndex((w) => variantName(w) === variantName(v));
  const drivers = DRIVER_VARIANTS.map((v) =>
    v.gatherA
      ? gatherDriverBody(functionIndex({ ...v, accumulate: false }), functionIndex({ ...v, accumulate: true }))
      : v.indirectA ? indirectDriverBody(functionIndex({ ...v, accumulate: false }), v.pooled === true) : driverBody(v.rowMajorA === true, v.rowMajorB, {
      first: functionIndex({ rowMajorA: v.rowMajorA, rowMajorB: v.rowMajorB, accumulate: false, bias: false, activation: 'none' }),
      middle: functionIndex({ rowMajorA: v.rowMajorA, rowMajorB: v.rowMajorB, accumulate: true, bias: false, activation: 'none' }),
      last: functionIndex({ ...v, accumulate: false }),
      lastAcc: functionIndex({ ...v, accumulate: true }),
    }),
  );
  // After the tiles and drivers: the generic packing loops (pack_a_loop, pack_b), then the vector
  // packings (pack_bt, pack_a), which call them for ragged panels and other strides.
  const packAIndex = SGEMM_VARIANTS.length + DRIVER_VARIANTS.length;
  const packBIndex = packAIndex + 1;
  const bodies = [...SGEMM_VARIANTS.map((variant) => body(variant, fma)), ...drivers, packABody(), packBBody()].map((code) => u32(code.length).concat(code));
  bodies.push(packBTransposedBody(packBIndex), packAVectorBody(packAIndex));
  // Then the Winograd convolutions' functions, whose products call the plain tiles.
  const winogradIndex = packBIndex + 3;
  const tiles = { plain: functionIndex({ rowMajorB: false, accumulate: false, bias: false, activation: 'none' }), accumulating: functionIndex({ rowMajorB: false, accumulate: true, bias: false, activation: 'none' }) };
  const winograd = winogradFunctions();
  bodies.push(...winograd.map((f) => f.body(tiles)));
  const exports = [
    ...SGEMM_VARIANTS.map((variant, i) => [...name(variantName(variant)), 0x00, ...u32(i)]),
    ...DRIVER_VARIANTS.map((variant, i) => [...name(driverName(variant)), 0x00, ...u32(SGEMM_VARIANTS.length + i)]),
    [...name('pack_a_loop'), 0x00, ...u32(packAIndex)],
    [...name('pack_b'), 0x00, ...u32(packBIndex)],
    [...name('pack_bt'), 0x00, ...u32(packBIndex + 1)],
    [...name('pack_a'), 0x00, ...u32(packBIndex + 2)],
    ...winograd.map((f, i) => [...name(f.name), 0x00, ...u32(winogradIndex + i)]),
  ];
  return moduleBytes(
    section(1, vector([tileType, DRIVER_TYPE, PACK_A_TYPE, ...WINOGRAD_TYPES])),
    importedMemorySection(shared, maxPages),
    section(3, vector([...SGEMM_VARIANTS.map(() => u32(0)), ...DRIVER_VARIANTS.map(() => u32(1)), u32(2), u32(2), u32(2), u32(2), ...winograd.map((f) => u32(3 + f.type))])),
    section(7, vector(exports)),
    section(10, vector(bodies)),
  );
}
