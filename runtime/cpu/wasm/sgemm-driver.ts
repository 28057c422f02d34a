import { KC } from '../kernels/gemm-pack.js';
import { Op, Type, u32, vector } from './wasm-bytes.js';

/**
 * The GEMM's driver inside the module (sgemm-module.ts): one export per epilogue that computes whole
 * output tiles, so that a tile range is a unit of work any thread can run (threads/threaded-module.ts):
 *
 *   gemm_<epilogue>(pa, pb, c, bias, ldcBytes, ldbBytes, mPanels, nPanels, k,
 *                   rowTiles, colTiles, alpha, aChannels, start, end)
 *
 * C's row panels are split into rowTiles near-equal runs and its column panels into colTiles; tile t
 * is run ⌊t / colTiles⌋ of the rows × run (t mod colTiles) of the columns (`forEachTile`). For
 * each, the k blocks of KC run in order: the first stores, the middle ones accumulate, the last
 * accumulates and applies the epilogue, each by calling the tile function of that variant. Every
 * element of C thus sums its k products in one fixed order whichever thread computes its tile.
 *
 * Layouts: A is packed whole, k block after k block; block k0 starts at pa + k0·mPanels·16 bytes and
 * holds the mPanels panels of kc rows (gemm-pack.ts packPanelsA's layout); with `rowMajorA`, A is
 * row-major at pa with `aChannels` bytes per row (block k0 of panel p at pa + k0·4 + p·4·aChannels). B is packed whole (block
 * k0 at pb + k0·nPanels·32, panel q at + q·kc·32) or, with `rowMajorB`, row-major with ldbBytes per
 * row. C is row-major with ldcBytes per row; bias is padded to a multiple of 8.
 *
 * The indirect drivers (`gemm_indirect_<epilogue>`, convolutions: conv-indirect.ts) take the same
 * arguments with `pa` the pointer lists (per panel of 4 rows, `k` taps of 4 pointers), `k` the taps,
 * `ldbBytes` the bytes of one tap's run of channels and B unblocked; all of k is one call per tile.
 *
 * The gather driver (`gemm_gather`, a convolution's weight gradient: conv-gather.ts): tile t is a run
 * of row panels × a run of column panels, over the k blocks of KC pixels in order; block b's lists
 * start at pa + b·listBytes, listBytes being passed as `bias` (it has none). Its tile function derives
 * each row's tap from the row's index, so it is passed the tile's first row (4·p0) as its `bias`.
 */
const driverParams = ['pa', 'pb', 'c', 'bias', 'ldc', 'ldb', 'mPanels', 'nPanels', 'k', 'rowTiles', 'colTiles'] as const;
const locals = ['t', 'p0', 'pn', 'q0', 'qn', 'k0', 'kc', 'cT', 'biasT', 'ct'] as const;
type Local = (typeof driverParams)[number] | 'alpha' | 'aChannels' | 'start' | 'end' | (typeof locals)[number];
const index = new Map<Local, number>([...driverParams, 'alpha', 'aChannels', 'start', 'end', ...locals].map((n, i) => [n as Local, i]));
const get = (l: Local): number[] => Op.localGet(index.get(l)!);
const set = (l: Local): number[] => Op.localSet(index.get(l)!);
const tee = (l: Local): number[] => Op.localTee(index.get(l)!);

/** The driver's function type: eleven i32, alpha (f32), aChannels, start and end (i32). */
export const DRIVER_TYPE = [Type.func, ...vector([...driverParams.map(() => [Type.i32]), [Type.f32], [Type.i32], [Type.i32], [Type.i32]]), ...vector([])];

/** min(a, b) of two unsigned i32 values on the stack-free form: pushes the smaller. */
function minU(a: number[], b: number[]): number[] {
  return [...a, ...b, ...a, ...b, ...Op.i32LtU, ...Op.select];
}

/** The tile variants it calls, by function index. */
export interface DriverCalls {
  first: number;
  middle: number;
  last: number;
  lastAcc: number;
}

/**
 * For tiles t in [start, end): p0, pn, q0, qn, cT and biasT set, then `perTile`. Tile t = (rt, ct) =
 * divmod(t, colTiles) covers row panels [⌊rt·mPanels / rowTiles⌋, ⌊(rt + 1)·mPanels / rowTiles⌋) and
 * the column panels likewise: tiles differ by one panel at most, so contiguous ranges of tiles (one
 * per thread) are near-equal work whatever the remainder.
 */
function forEachTile(perTile: number[], pooled = false): number[] {
  const code: number[] = [];
  const share = (part: number[], panels: Local, tiles: Local): number[] => [...part, ...get(panels), ...Op.i32Mul, ...get(tiles), ...Op.i32DivU];
  code.push(...Op.block, ...get('start'), ...get('end'), ...Op.i32GeU, ...Op.brIf(0));
  code.push(...get('start'), ...set('t'), ...Op.loop);
  code.push(...get('t'), ...get('colTiles'), ...Op.i32DivU, ...set('p0'));
  code.push(...get('t'), ...get('p0'), ...get('colTiles'), ...Op.i32Mul, ...Op.i32Sub, ...set('ct'));
  // p0 holds the row tile here: pn = share(rt + 1) − share(rt), p0 = share(rt); the same for columns.
  code.push(...share([...get('p0'), ...Op.i32Const(1), ...Op.i32Add], 'mPanels', 'rowTiles'), ...share(get('p0'), 'mPanels', 'rowTiles'), ...tee('p0'), ...Op.i32Sub, ...set('pn'));
  code.push(...share([...get('ct'), ...Op.i32Const(1), ...Op.i32Add], 'nPanels', 'colTiles'), ...share(get('ct'), 'nPanels', 'colTiles'), ...tee('q0'), ...Op.i32Sub, ...set('qn'));
  // cT = c + p0·4·ldc + q0·32 (pooled: a row of C per panel, c + p0·ldc + q0·32); biasT = bias + q0·32
  code.push(...get('c'), ...get('p0'), ...get('ldc'), ...Op.i32Mul, ...(pooled ? [] : [...Op.i32Const(2), ...Op.i32Shl]), ...Op.i32Add, ...get('q0'), ...Op.i32Const(5), ...Op.i32Shl, ...Op.i32Add, ...set('cT'));
  code.push(...get('bias'), ...get('q0'), ...Op.i32Const(5), ...Op.i32Shl, ...Op.i32Add, ...set('biasT'));
  code.push(...perTile);
  code.push(...get('t'), ...Op.i32Const(1), ...Op.i32Add, ...set('t'), ...get('t'), ...get('end'), ...Op.i32LtU, ...Op.brIf(0), ...Op.end);
  code.push(...Op.end, ...Op.end);
  return [...vector([[...u32(locals.length), Type.i32]]), ...code];
}

/**
 * The indirect driver: one call of the indirect tile function `tile` per tile, all taps at once;
 * `pooled` for a pooled tile function (a row of C per panel of 4 rows: sgemm-module.ts).
 */
export function indirectDriverBody(tile: number, pooled = false): number[] {
  // pa + p0·taps·16 (4 pointers per tap per panel); pb + q0·taps·ldb·8 (unblocked panels of 8 columns).
  const a = [...get('pa'), ...get('p0'), ...get('k'), ...Op.i32Mul, ...Op.i32Const(4), ...Op.i32Shl, ...Op.i32Add];
  const b = [...get('pb'), ...get('q0'), ...get('k'), ...Op.i32Mul, ...get('ldb'), ...Op.i32Mul, ...Op.i32Const(3), ...Op.i32Shl, ...Op.i32Add];
  return forEachTile([...a, ...b, ...get('cT'), ...get('pn'), ...get('qn'), ...get('k'), ...get('ldc'), ...get('biasT'), ...get('ldb'), ...get('alpha'), ...get('aChannels'), ...Op.call(tile)], pooled);
}

/** The gather driver: `first` for the first block of KC pixels, `rest` (accumulating) for the others. */
export function gatherDriverBody(first: number, rest: number): number[] {
  const args = (): number[] => [
    ...get('pa'), ...get('k0'), ...Op.i32Const(KC), ...Op.i32DivU, ...get('bias'), ...Op.i32Mul, ...Op.i32Add,
    ...get('pb'), ...get('k0'), ...get('ldb'), ...Op.i32Mul, ...Op.i32Add, ...get('q0'), ...Op.i32Const(5), ...Op.i32Shl, ...Op.i32Add,
    ...get('cT'),
    ...get('pn'), ...get('qn'), ...get('kc'), ...get('ldc'), ...get('p0'), ...Op.i32Const(2), ...Op.i32Shl, ...get('ldb'), ...get('alpha'), ...get('aChannels'),
  ];
  const code: number[] = [];
  code.push(...Op.i32Const(0), ...set('k0'), ...Op.loop);
  code.push(...minU(Op.i32Const(KC), [...get('k'), ...get('k0'), ...Op.i32Sub]), ...set('kc'));
  code.push(...get('k0'), ...Op.i32Eqz, ...Op.if, ...args(), ...Op.call(first), ...Op.else, ...args(), ...Op.call(rest), ...Op.end);
  code.push(...get('k0'), ...get('kc'), ...Op.i32Add, ...set('k0'), ...get('k0'), ...get('k'), ...Op.i32LtU, ...Op.brIf(0), ...Op.end);
  return forEachTile(code);
}

export function driverBody(rowMajorA: boolean, rowMajorB: boolean, calls: DriverCalls): number[] {
  const tileArgs = (): number[] => {
    // rowMajorA: pa + k0·4 + p0·4·aStride (aChannels: the row stride in bytes); packed: pa + k0·mPanels·16 + p0·kc·16
    const a = rowMajorA
      ? [...get('pa'), ...get('k0'), ...get('p0'), ...get('aChannels'), ...Op.i32Mul, ...Op.i32Add, ...Op.i32Const(2), ...Op.i32Shl, ...Op.i32Add]
      : [...get('pa'), ...get('k0'), ...get('mPanels'), ...Op.i32Mul, ...get('p0'), ...get('kc'), ...Op.i32Mul, ...Op.i32Add, ...Op.i32Const(4), ...Op.i32Shl, ...Op.i32Add];
    const b = rowMajorB
      ? [...get('pb'), ...get('k0'), ...get('ldb'), ...Op.i32Mul, ...Op.i32Add, ...get('q0'), ...Op.i32Const(5), ...Op.i32Shl, ...Op.i32Add]
      : [...get('pb'), ...get('k0'), ...get('nPanels'), ...Op.i32Mul, ...get('q0'), ...get('kc'), ...Op.i32Mul, ...Op.i32Add, ...Op.i32Const(5), ...Op.i32Shl, ...Op.i32Add];
    return [...a, ...b, ...get('cT'), ...get('pn'), ...get('qn'), ...get('kc'), ...get('ldc'), ...get('biasT'), ...get('ldb'), ...get('alpha'), ...get('aChannels')];
  };
  const isLast = [...get('k0'), ...get('kc'), ...Op.i32Add, ...get('k'), ...Op.i32GeU];
  const code: number[] = [];
  code.push(...Op.i32Const(0), ...set('k0'), ...Op.loop);
  code.push(...minU(Op.i32Const(KC), [...get('k'), ...get('k0'), ...Op.i32Sub]), ...set('kc'));
  code.push(...get('k0'), ...Op.i32Eqz, ...Op.if);
  code.push(...isLast, ...Op.if, ...tileArgs(), ...Op.call(calls.last), ...Op.else, ...tileArgs(), ...Op.call(calls.first), ...Op.end);
  code.push(...Op.else);
  code.push(...isLast, ...Op.if, ...tileArgs(), ...Op.call(calls.lastAcc), ...Op.else, ...tileArgs(), ...Op.call(calls.middle), ...Op.end);
  code.push(...Op.end);
  code.push(...get('k0'), ...get('kc'), ...Op.i32Add, ...set('k0'), ...get('k0'), ...get('k'), ...Op.i32LtU, ...Op.brIf(0), ...Op.end);
  return forEachTile(code);
}
