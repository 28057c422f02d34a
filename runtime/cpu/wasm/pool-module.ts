import { MAX_MEMORY_PAGES } from '../threads/threaded-module.js';
import { importedMemorySection, moduleOfFunctions, Op, Type, u32 } from './wasm-bytes.js';
import { WasmFunction } from './wasm-function.js';

/**
 * Max and average pooling over [N, H, W, C] (channels last), forward and gradient, as float32
 * WebAssembly SIMD module bytes. The module imports its memory (`env.memory`: the GEMM module's,
 * pool-simd.ts) and exports
 *
 *   maxpool(x, y, n, h, w, cBytes, oh, ow, kh, kw, sh, sw, top, left, start, end)
 *   maxpool_grad(dy, x, dx, scratch, n, h, w, cBytes, oh, ow, kh, kw, sh, sw, top, left, accumulate, zeroFirst, start, end)
 *   maxpool_grad_2x2(the same arguments; 2×2 windows at stride 2 that tile the image, C % 4 = 0)
 *   avgpool(x, y, n, h, w, cBytes, oh, ow, kh, kw, sh, sw, top, left, start, end)
 *   avgpool_grad(dy, dx, n, h, w, cBytes, oh, ow, kh, kw, sh, sw, top, left, accumulate, start, end)
 *
 * with byte addresses and C · 4 = cBytes ≥ 16. Each computes the tiles [start, end) of its output, so
 * that it runs on the worker pool (threads/threaded-module.ts) with the same bits on any number of
 * threads: maxpool's tiles are output rows (n · oh of them), the gradient's are images (n: windows
 * of one image may share cells, windows of two never do; each tile zeroes its image of dx first, so
 * cells no window covers get no gradient). Channels go four at a time; when C is not a multiple
 * of 4, the last group is the last four channels (it overlaps the one before and recomputes the same
 * values), so the gradient must store rather than accumulate then: `accumulate` = 0, allowed when no
 * two windows share a cell (pool-simd.ts decides). Windows skip padding cells, as the JS kernels do.
 *
 * Same results as runtime/cpu/kernels/pooling.ts to the bit: the forward keeps `v < x ? x : v` from
 * −∞ (f32x4.pmax); the gradient keeps, per channel, the first cell strictly greater than every
 * earlier one (starting from the window's first cell, so a NaN there wins as in JS) and adds dy to it
 * (+0 + dy, also when storing). avgpool is the JS kernel's to the bit too (float32 sums in the same
 * order, a correctly rounded division); avgpool_grad adds dy/cells rounded to float32 where the JS
 * kernel adds the float64 quotient: the same bits where no two windows share a cell.
 */
const i32 = Type.i32;
const POOL_PARAMS = ['n', 'h', 'w', 'cBytes', 'oh', 'ow', 'kh', 'kw', 'sh', 'sw', 'top', 'left'] as const;

/** max(a, b) and min(a, b) of i32 values (pushed by the caller). */
const maxI32 = (f: WasmFunction, a: string, b: number[]): number[] => [...f.get(a), ...b, ...f.get(a), ...b, ...Op.i32GtS, ...Op.select];
const minI32 = (f: WasmFunction, a: string, b: number[]): number[] => [...f.get(a), ...b, ...f.get(a), ...b, ...Op.i32LtS, ...Op.select];

/**
 * `body` once per group of four channels of an output pixel, at byte offset gg: the last group is the
 * last four channels (overlapping the group before when C % 4 ≠ 0).
 */
function overChannelGroups(f: WasmFunction, body: number[]): number[] {
  return f.for('g', Op.i32Const(0), f.get('cBytes'), Op.i32Const(16), [
    ...f.set('gg', minI32(f, 'g', [...f.get('cBytes'), ...Op.i32Const(16), ...Op.i32Sub])),
    ...body,
  ]);
}

/**
 * The windows of output row `oy` of image `b` (xb = x's image b): for each ox, the window's valid
 * rows [y0, y1) and columns [x0, x1), then `perPixel`, with `o` the output pixel's address
 * (advanced by cBytes per pixel).
 */
function overRow(f: WasmFunction, perPixel: number[]): number[] {
  const c = (n: string): number[] => f.get(n);
  const mul = (a: number[], b: number[]): number[] => [...a, ...b, ...Op.i32Mul];
  const pixels = f.for('ox', Op.i32Const(0), c('ow'), Op.i32Const(1), [
    ...f.set('ix', [...mul(c('ox'), c('sw')), ...c('left'), ...Op.i32Sub]),
    ...f.set('x0', maxI32(f, 'ix', Op.i32Const(0))),
    // min(ix + kw, w) = min(ix, w − kw) + kw
    ...f.set('x1', [...minI32(f, 'ix', [...c('w'), ...c('kw'), ...Op.i32Sub]), ...c('kw'), ...Op.i32Add]),
    ...perPixel,
    ...f.bump('o', c('cBytes')),
  ]);
  return [
    ...f.set('xb', [...c('x'), ...mul(mul(mul(c('b'), c('h')), c('w')), c('cBytes')), ...Op.i32Add]),
    ...f.set('iy', [...mul(c('oy'), c('sh')), ...c('top'), ...Op.i32Sub]),
    ...f.set('y0', maxI32(f, 'iy', Op.i32Const(0))),
    ...f.set('y1', [...minI32(f, 'iy', [...c('h'), ...c('kh'), ...Op.i32Sub]), ...c('kh'), ...Op.i32Add]),
    ...pixels,
  ];
}

/** Row tiles: for t in [start, end): b = t / oh, oy = t mod oh, o = out + t·ow·cBytes, then the row. */
function overRowTiles(f: WasmFunction, out: string, perPixel: number[]): number[] {
  const c = (n: string): number[] => f.get(n);
  return f.for('t', c('start'), c('end'), Op.i32Const(1), [
    ...f.set('b', [...c('t'), ...c('oh'), ...Op.i32DivU]),
    ...f.set('oy', [...c('t'), ...c('b'), ...c('oh'), ...Op.i32Mul, ...Op.i32Sub]),
    ...f.set('o', [...c(out), ...c('t'), ...c('ow'), ...Op.i32Mul, ...c('cBytes'), ...Op.i32Mul, ...Op.i32Add]),
    ...overRow(f, perPixel),
  ]);
}

/** Image tiles: for b in [start, end): `perImage`, o = out + b·oh·ow·cBytes, then each of its rows. */
function overImageTiles(f: WasmFunction, out: string, perImage: number[], perPixel: number[]): number[] {
  const c = (n: string): number[] => f.get(n);
  return f.for('b', c('start'), c('end'), Op.i32Const(1), [
    ...perImage,
    ...f.set('o', [...c(out), ...c('b'), ...c('oh'), ...Op.i32Mul, ...c('ow'), ...Op.i32Mul, ...c('cBytes'), ...Op.i32Mul, ...Op.i32Add]),
    ...f.for('oy', Op.i32Const(0), c('oh'), Op.i32Const(1), overRow(f, perPixel)),
  ]);
}

/**
 * Zeroes image b of dx (h·w·cBytes ≥ 16 bytes): 16 bytes at a time, the last store ending exactly at
 * the image's end (overlapping the one before when the size is not a multiple of 16), so no store
 * reaches another image, which another thread may be computing.
 */
function zeroImage(f: WasmFunction): number[] {
  const c = (n: string): number[] => f.get(n);
  return [
    ...f.set('imageBytes', [...c('h'), ...c('w'), ...Op.i32Mul, ...c('cBytes'), ...Op.i32Mul]),
    ...f.set('image', [...c('dx'), ...c('b'), ...c('imageBytes'), ...Op.i32Mul, ...Op.i32Add]),
    ...f.for('z', Op.i32Const(0), [...c('imageBytes'), ...Op.i32Const(16), ...Op.i32Sub], Op.i32Const(16), [
      ...c('image'), ...c('z'), ...Op.i32Add, ...c('zero'), ...Op.v128Store(0),
    ]),
    ...c('image'), ...c('imageBytes'), ...Op.i32Add, ...Op.i32Const(16), ...Op.i32Sub, ...c('zero'), ...Op.v128Store(0),
  ];
}

/** for iy in [y0, y1), ix in [x0, x1): cell = xb + (iy·w + ix)·cBytes + gg, then `body`. */
function overCells(f: WasmFunction, base: string, body: number[]): number[] {
  const c = (n: string): number[] => f.get(n);
  return f.for('cy', c('y0'), c('y1'), Op.i32Const(1), f.for('cx', c('x0'), c('x1'), Op.i32Const(1), [
    ...f.set('cell', [...c(base), ...c('cy'), ...c('w'), ...Op.i32Mul, ...c('cx'), ...Op.i32Add, ...c('cBytes'), ...Op.i32Mul, ...Op.i32Add, ...c('gg'), ...Op.i32Add]),
    ...body,
  ]));
}

function declareLoopLocals(f: WasmFunction): void {
  f.declare(i32, 't', 'b', 'oy', 'ox', 'o', 'g', 'gg', 'iy', 'ix', 'y0', 'y1', 'x0', 'x1', 'xb', 'cy', 'cx', 'cell');
}

/**
 * y = −∞, then window cell by window cell (row-major) y = pmax(y, cell) over the pixel's channels, four
 * at a time, with y in memory: the channel loop is innermost so that each cell's address is worked out
 * once for all its channels, not once per group of four: on one thread of the Zen 4, operands in the
 * module's memory, the conv net's two poolings ([64, 26, 26, 32] and [64, 11, 11, 64], 2×2 windows)
 * took 800 and 230 µs in the group-outer order, 310–460 and 75 µs so (their share of a conv net
 * inference step: 13.6% → 7.3%). Each channel sees the same cells in the same order: the same bits.
 * The last group (C % 4 ≠ 0) overlaps the one before: pmax(pmax(v, x), x) = pmax(v, x), so the
 * overlapping lanes may take the same cell twice.
 */
function maxpoolFunction(): WasmFunction & { code: number[] } {
  const f = new WasmFunction([['x', i32], ['y', i32], ...POOL_PARAMS.map((p) => [p, i32] as const), ['start', i32], ['end', i32]]);
  declareLoopLocals(f);
  f.declare(i32, 'lastGroup', 'rowCell', 'p', 'q');
  f.declare(Type.v128, 'minusInf');
  const c = (n: string): number[] => f.get(n);
  const add = (a: string, b: string): number[] => [...c(a), ...c(b), ...Op.i32Add];
  const takeMax = (yAt: number[], cellAt: number[]): number[] => [...yAt, ...yAt, ...Op.v128Load(0), ...cellAt, ...Op.v128Load(0), ...Op.f32x4Pmax, ...Op.v128Store(0)];
  const perPixel = [
    ...f.for('g', Op.i32Const(0), c('lastGroup'), Op.i32Const(16), [...add('o', 'g'), ...c('minusInf'), ...Op.v128Store(0)]),
    ...add('o', 'lastGroup'), ...c('minusInf'), ...Op.v128Store(0),
    ...f.for('cy', c('y0'), c('y1'), Op.i32Const(1), [
      ...f.set('rowCell', [...c('xb'), ...c('cy'), ...c('w'), ...Op.i32Mul, ...c('x0'), ...Op.i32Add, ...c('cBytes'), ...Op.i32Mul, ...Op.i32Add]),
      ...f.for('cx', c('x0'), c('x1'), Op.i32Const(1), [
        ...f.set('p', c('o')),
        ...f.set('q', c('rowCell')),
        ...f.for('g', Op.i32Const(0), c('lastGroup'), Op.i32Const(16), [
          ...takeMax(c('p'), c('q')), ...f.bump('p', Op.i32Const(16)), ...f.bump('q', Op.i32Const(16)),
        ]),
        ...takeMax(add('o', 'lastGroup'), add('rowCell', 'lastGroup')),
        ...f.bump('rowCell', c('cBytes')),
      ]),
    ]),
  ];
  const code = [
    ...f.set('minusInf', [...Op.f32Const(-Infinity), ...Op.f32x4Splat]),
    ...f.set('lastGroup', [...c('cBytes'), ...Op.i32Const(16), ...Op.i32Sub]),
    ...overRowTiles(f, 'y', perPixel),
  ];
  return Object.assign(f, { code });
}

/**
 * dx of one image at a time (tiles are images; each zeroed first, so cells no window covers get no
 * gradient, unless `zeroFirst` is 0: the windows tile the image, so every cell is stored). Per window, as maxpool does, cells outer and the channel groups innermost: first
 * `best` and `index`, per channel the first cell strictly greater than every earlier one (from the
 * window's first cell, so a NaN there wins as in JS), in a scratch row of 2·cBytes per image; then
 * dx[cell] = (accumulate ? dx[cell] : +0) + (index == j ? dy : 0) for each cell j. For the overlapping
 * last group (C % 4 ≠ 0: never with `accumulate`), taking the same cell twice changes nothing.
 * 1.6× the rate of the group-outer order (the same poolings' gradients: 1.8 ms → 1.1, 435 → 275 µs).
 */
function maxpoolGradFunction(): WasmFunction & { code: number[] } {
  const f = new WasmFunction([['dy', i32], ['x', i32], ['dx', i32], ['scratch', i32], ...POOL_PARAMS.map((p) => [p, i32] as const), ['accumulate', i32], ['zeroFirst', i32], ['start', i32], ['end', i32]]);
  declareLoopLocals(f);
  f.declare(i32, 'j', 'dxb', 'z', 'image', 'imageBytes', 'lastGroup', 'rowCell', 'best', 'index', 'p');
  f.declare(Type.v128, 'jv', 'xv', 'bv', 'mask', 'zero');
  const c = (n: string): number[] => f.get(n);
  const add = (...names: string[]): number[] => [...c(names[0]!), ...names.slice(1).flatMap((n) => [...c(n), ...Op.i32Add])];
  /** Over the window's cells in row-major order, j counting them: rowCell = base + cell's offset, then `body`. */
  const overWindow = (base: string, body: number[]): number[] => [
    ...f.set('j', Op.i32Const(0)),
    ...f.for('cy', c('y0'), c('y1'), Op.i32Const(1), [
      ...f.set('rowCell', [...c(base), ...c('cy'), ...c('w'), ...Op.i32Mul, ...c('x0'), ...Op.i32Add, ...c('cBytes'), ...Op.i32Mul, ...Op.i32Add]),
      ...f.for('cx', c('x0'), c('x1'), Op.i32Const(1), [
        ...f.set('jv', [...c('j'), ...Op.i32x4Splat]),
        ...body,
        ...f.bump('rowCell', c('cBytes')),
        ...f.bump('j', Op.i32Const(1)),
      ]),
    ]),
  ];
  /** `perGroup` at byte offset p of the pixel's channels, for every group: the full ones, then the last. */
  const overGroups = (perGroup: number[]): number[] => [
    ...f.for('p', Op.i32Const(0), c('lastGroup'), Op.i32Const(16), perGroup),
    ...f.set('p', c('lastGroup')),
    ...perGroup,
  ];
  const init = overGroups([
    ...add('best', 'p'), ...c('xb'), ...c('y0'), ...c('w'), ...Op.i32Mul, ...c('x0'), ...Op.i32Add, ...c('cBytes'), ...Op.i32Mul, ...Op.i32Add, ...c('p'), ...Op.i32Add, ...Op.v128Load(0), ...Op.v128Store(0),
    ...add('index', 'p'), ...c('zero'), ...Op.v128Store(0),
  ]);
  const argmax = overWindow('xb', overGroups([
    ...f.set('xv', [...add('rowCell', 'p'), ...Op.v128Load(0)]),
    ...f.set('bv', [...add('best', 'p'), ...Op.v128Load(0)]),
    ...f.set('mask', [...c('xv'), ...c('bv'), ...Op.f32x4Gt]),
    ...add('best', 'p'), ...c('xv'), ...c('bv'), ...c('mask'), ...Op.v128Bitselect, ...Op.v128Store(0),
    ...add('index', 'p'), ...c('jv'), ...add('index', 'p'), ...Op.v128Load(0), ...c('mask'), ...Op.v128Bitselect, ...Op.v128Store(0),
  ]));
  // rowCell walks dx here (base dxb): dx[cell] = (accumulate ? dx[cell] : +0) + (index == j ? dy : 0).
  const route = overWindow('dxb', overGroups([
    ...add('rowCell', 'p'),
    ...add('rowCell', 'p'), ...Op.v128Load(0), ...c('zero'), ...c('accumulate'), ...Op.select,
    ...add('o', 'p'), ...Op.v128Load(0), ...c('zero'), ...add('index', 'p'), ...Op.v128Load(0), ...c('jv'), ...Op.i32x4Eq, ...Op.v128Bitselect,
    ...Op.f32x4Add, ...Op.v128Store(0),
  ]));
  const perPixel = [
    // An empty window (possible only with padding wider than the window) routes nothing.
    ...c('y0'), ...c('y1'), ...Op.i32LtS, ...c('x0'), ...c('x1'), ...Op.i32LtS, ...Op.i32And, ...Op.if,
    ...init,
    ...argmax,
    ...route,
    ...Op.end,
  ];
  const perImage = [
    ...c('zeroFirst'), ...Op.if, ...zeroImage(f), ...Op.end,
    ...f.set('best', [...c('scratch'), ...c('b'), ...c('cBytes'), ...Op.i32Mul, ...Op.i32Const(1), ...Op.i32Shl, ...Op.i32Add]),
    ...f.set('index', add('best', 'cBytes')),
    ...f.set('dxb', [...c('dx'), ...c('b'), ...c('h'), ...Op.i32Mul, ...c('w'), ...Op.i32Mul, ...c('cBytes'), ...Op.i32Mul, ...Op.i32Add]),
  ];
  const code = [
    ...f.set('zero', Op.v128Zero),
    ...f.set('lastGroup', [...c('cBytes'), ...Op.i32Const(16), ...Op.i32Sub]),
    ...overImageTiles(f, 'dy', perImage, perPixel),
  ];
  return Object.assign(f, { code });
}

/** The window's cell count (y1 − y0)·(x1 − x0), as an i32. */
const windowCells = (f: WasmFunction): number[] => [...f.get('y1'), ...f.get('y0'), ...Op.i32Sub, ...f.get('x1'), ...f.get('x0'), ...Op.i32Sub, ...Op.i32Mul];
const f32x4Div = [0xfd, ...u32(0xe7)];
const f32ConvertI32S = [0xb2];

/** y = Σ window cells / max(cells, 1), the cells summed in row-major order from +0 (the JS kernel's float32 sums and division). */
function avgpoolFunction(): WasmFunction & { code: number[] } {
  const f = new WasmFunction([['x', i32], ['y', i32], ...POOL_PARAMS.map((p) => [p, i32] as const), ['start', i32], ['end', i32]]);
  declareLoopLocals(f);
  f.declare(Type.v128, 'v');
  f.declare(i32, 'count');
  const count = maxI32(f, 'count', Op.i32Const(1));
  const body = [
    ...f.set('v', Op.v128Zero),
    ...overCells(f, 'xb', f.set('v', [...f.get('v'), ...f.get('cell'), ...Op.v128Load(0), ...Op.f32x4Add])),
    ...f.set('count', windowCells(f)),
    ...f.get('o'), ...f.get('gg'), ...Op.i32Add, ...f.get('v'), ...count, ...f32ConvertI32S, ...Op.f32x4Splat, ...f32x4Div, ...Op.v128Store(0),
  ];
  return Object.assign(f, { code: overRowTiles(f, 'y', overChannelGroups(f, body)) });
}

/**
 * maxpool_grad for 2×2 windows at stride 2 that tile the image (no padding, H = 2·OH, W = 2·OW) and
 * C a multiple of 4: the two-row, two-column windows of the conv nets' poolings. The same arguments as
 * maxpool_grad (those it does not need ignored), but its tiles are output rows (each writes the two
 * rows of dx under it, no other tile's) and each window's four cells stay in registers: per group of
 * four channels, m1 = x1 > x0, b = m1 ? x1 : x0, m2 = x2 > b, b = m2 ? x2 : b, m3 = x3 > b, so the
 * last set mask marks the first cell strictly greater than every earlier one, as maxpool_grad keeps
 * it (a NaN in x0 wins: no comparison with it is true); then dx_j = +0 + (j is that cell ? dy : +0),
 * which are maxpool_grad's stores with `accumulate` 0: the same bits. No dx cell is left unstored, so
 * nothing is zeroed first.
 */
function maxpoolGrad2x2Function(): WasmFunction & { code: number[] } {
  const f = new WasmFunction([['dy', i32], ['x', i32], ['dx', i32], ['scratch', i32], ...POOL_PARAMS.map((p) => [p, i32] as const), ['accumulate', i32], ['zeroFirst', i32], ['start', i32], ['end', i32]]);
  f.declare(i32, 't', 'ox', 'g', 'rowBytes', 'pairBytes', 'xp', 'dxp', 'yp');
  f.declare(Type.v128, 'x0', 'x1', 'x2', 'x3', 'best', 'm1', 'm2', 'm3', 'm23', 'dyv', 'zero');
  const c = (n: string): number[] => f.get(n);
  const at = (base: string, ...offsets: string[]): number[] => [...c(base), ...offsets.flatMap((o) => [...c(o), ...Op.i32Add])];
  /** dx_j at `address` = +0 + (dy & mask), or (dy & ~mask) with `not`. */
  const store = (address: number[], mask: number[], not = false): number[] => [
    ...address, ...c('zero'), ...c('dyv'), ...mask, ...(not ? Op.v128AndNot : Op.v128And), ...Op.f32x4Add, ...Op.v128Store(0),
  ];
  const perGroup = [
    ...f.set('x0', [...at('xp', 'g'), ...Op.v128Load(0)]),
    ...f.set('x1', [...at('xp', 'g', 'cBytes'), ...Op.v128Load(0)]),
    ...f.set('x2', [...at('xp', 'g', 'rowBytes'), ...Op.v128Load(0)]),
    ...f.set('x3', [...at('xp', 'g', 'rowBytes', 'cBytes'), ...Op.v128Load(0)]),
    ...f.set('dyv', [...at('yp', 'g'), ...Op.v128Load(0)]),
    ...f.set('m1', [...c('x1'), ...c('x0'), ...Op.f32x4Gt]),
    ...f.set('best', [...c('x1'), ...c('x0'), ...c('m1'), ...Op.v128Bitselect]),
    ...f.set('m2', [...c('x2'), ...c('best'), ...Op.f32x4Gt]),
    ...f.set('best', [...c('x2'), ...c('best'), ...c('m2'), ...Op.v128Bitselect]),
    ...f.set('m3', [...c('x3'), ...c('best'), ...Op.f32x4Gt]),
    ...f.set('m23', [...c('m2'), ...c('m3'), ...Op.v128Or]),
    ...store(at('dxp', 'g'), [...c('m1'), ...c('m23'), ...Op.v128Or], true),
    ...store(at('dxp', 'g', 'cBytes'), [...c('m1'), ...c('m23'), ...Op.v128AndNot]),
    ...store(at('dxp', 'g', 'rowBytes'), [...c('m2'), ...c('m3'), ...Op.v128AndNot]),
    ...store(at('dxp', 'g', 'rowBytes', 'cBytes'), c('m3')),
  ];
  const perRow = [
    // Output row t is image t / OH's row t mod OH, over input rows 2t and 2t + 1 of the batch (H = 2·OH).
    ...f.set('xp', [...c('x'), ...c('t'), ...c('rowBytes'), ...Op.i32Mul, ...Op.i32Const(1), ...Op.i32Shl, ...Op.i32Add]),
    ...f.set('dxp', [...c('dx'), ...c('t'), ...c('rowBytes'), ...Op.i32Mul, ...Op.i32Const(1), ...Op.i32Shl, ...Op.i32Add]),
    ...f.set('yp', [...c('dy'), ...c('t'), ...c('ow'), ...Op.i32Mul, ...c('cBytes'), ...Op.i32Mul, ...Op.i32Add]),
    ...f.for('ox', Op.i32Const(0), c('ow'), Op.i32Const(1), [
      ...f.for('g', Op.i32Const(0), c('cBytes'), Op.i32Const(16), perGroup),
      ...f.bump('xp', c('pairBytes')),
      ...f.bump('dxp', c('pairBytes')),
      ...f.bump('yp', c('cBytes')),
    ]),
  ];
  const code = [
    ...f.set('zero', Op.v128Zero),
    ...f.set('rowBytes', [...c('w'), ...c('cBytes'), ...Op.i32Mul]),
    ...f.set('pairBytes', [...c('cBytes'), ...Op.i32Const(1), ...Op.i32Shl]),
    ...f.for('t', c('start'), c('end'), Op.i32Const(1), perRow),
  ];
  return Object.assign(f, { code });
}

/**
 * dx[cell] = (accumulate ? dx[cell] : +0) + dy/cells for each cell of each window, windows in
 * row-major order; the tiles are images, each zeroed first (as maxpool_grad). The windows are laid
 * over dx itself (the local x is dx: overRow's image base is then dx's).
 */
function avgpoolGradFunction(): WasmFunction & { code: number[] } {
  const f = new WasmFunction([['dy', i32], ['dx', i32], ...POOL_PARAMS.map((p) => [p, i32] as const), ['accumulate', i32], ['start', i32], ['end', i32]]);
  declareLoopLocals(f);
  f.declare(i32, 'x', 'z', 'image', 'imageBytes', 'count');
  f.declare(Type.v128, 'g0', 'zero');
  const body = [
    ...f.set('count', windowCells(f)),
    // An empty window (possible only with padding wider than the window) spreads nothing.
    ...f.get('count'), ...Op.i32Const(0), ...Op.i32GtS, ...Op.if,
    ...f.set('g0', [...f.get('o'), ...f.get('gg'), ...Op.i32Add, ...Op.v128Load(0), ...f.get('count'), ...f32ConvertI32S, ...Op.f32x4Splat, ...f32x4Div]),
    ...overCells(f, 'xb', [
      ...f.get('cell'),
      ...f.get('cell'), ...Op.v128Load(0), ...f.get('zero'), ...f.get('accumulate'), ...Op.select,
      ...f.get('g0'), ...Op.f32x4Add, ...Op.v128Store(0),
    ]),
    ...Op.end,
  ];
  const code = [...f.set('zero', Op.v128Zero), ...f.set('x', f.get('dx')), ...overImageTiles(f, 'dy', zeroImage(f), overChannelGroups(f, body))];
  return Object.assign(f, { code });
}

/** The exports, in order. */
export const POOL_FUNCTIONS = ['maxpool', 'maxpool_grad', 'maxpool_grad_2x2', 'avgpool', 'avgpool_grad'] as const;

/** The module over the GEMM's memory, `shared` as that one is (threads/threaded-module.ts). */
export function poolModuleBytes(shared = false): Uint8Array<ArrayBuffer> {
  const functions = [
    ['maxpool', maxpoolFunction()],
    ['maxpool_grad', maxpoolGradFunction()],
    ['maxpool_grad_2x2', maxpoolGrad2x2Function()],
    ['avgpool', avgpoolFunction()],
    ['avgpool_grad', avgpoolGradFunction()],
  ] as const;
  return moduleOfFunctions(
    functions.map(([n, f]) => ({ name: n, type: f.type(), body: f.body(f.code) })),
    importedMemorySection(shared, MAX_MEMORY_PAGES),
  );
}
