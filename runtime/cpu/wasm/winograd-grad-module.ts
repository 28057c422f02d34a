import { NR } from './sgemm-module.js';
import { Op, Type } from './wasm-bytes.js';
import { WasmFunction } from './wasm-function.js';
import { declareTransformLocals, doWhileBelow, SKEW, windowTransform } from './winograd-module.js';

/**
 * The weight gradient of a Winograd F(2×2, 3×3) convolution (winograd-module.ts), as a function of
 * the GEMM's module:
 *
 *   winograd_grad_weight(inLists, dyLists, scratch, dU, channels, filters, nPanels, blocks, units, start, end)
 *
 * The forward is y_t = Aᵀ·[U ⊙ V_t]·A per tile t, so dL/dU_ξ = Σ_t V_t,ξ ⊗ Y_t,ξ with Y_t = A·dy_t·Aᵀ
 * (the tile's 2×2 output gradient, 4×4 after the transform), and dL/dg = Gᵀ·dU·G (winograd-weights-
 * module.ts's untransform). For each ξ that is a product dU_ξ[C, F] = V_ξᵀ[C, tiles] · Y_ξ[tiles, F]
 * whose k runs over the tiles: on the 4×8 tile, a block of GRAD_BLOCK_TILES tiles at a time, the first
 * block storing and the others accumulating, so each element sums the tiles in order.
 *
 * Work is split into `units` by runs of 4 channels (rows of dU): unit u takes runs [u·R/units,
 * (u+1)·R/units) of the R = C/4, transforms its channels of every window and all of dy (cheap: 4
 * values a tile), and owns its rows of every dU_ξ. Its scratch (winogradGradUnitBytes, at scratch +
 * u · that) holds a block's A (V_ξᵀ as packed panels: run, tile, 4 channels) and B (Y_ξ as packed
 * panels: panel of 8 filters, tile, 8 filters); panel columns past F must be zero (the caller zeroes
 * the scratch where F is not a multiple of 8). A tile's values are the same whichever unit: the same
 * bits on any thread count.
 *
 * inLists: the forward's per-tile window pointers (16 a tile, zeros outside x); dyLists: 4 a tile,
 * to its outputs' runs of F gradients in dy, zeros outside; blocks: tiles / GRAD_BLOCK_TILES (the
 * lists padded with zeros pointers). dU_ξ at dU + ξ·C·nPanels·32 bytes, rows of nPanels·8 floats.
 */
export const GRAD_BLOCK_TILES = 64;

export function winogradGradUnitBytes(channels: number, nPanels: number): number {
  return 16 * (GRAD_BLOCK_TILES * (channels * 4 + nPanels * NR * 4) + 2 * SKEW);
}

export const WINOGRAD_GRAD_NAME = 'winograd_grad_weight';

const PARAMS = ['inLists', 'dyLists', 'scratch', 'dU', 'channels', 'filters', 'nPanels', 'blocks', 'units', 'start', 'end'] as const;

function newGrad(): WasmFunction {
  const f = new WasmFunction(PARAMS.map((p) => [p, Type.i32] as const));
  f.declare(Type.i32, 'u', 'runStart', 'runEnd', 'runs', 'blk', 't', 'lp', 'aAt', 'bAt', 'aStride', 'bStride', 'dUStride', 'run', 'mp', 'h', 'xi', 'q0', 'q1', 'q2', 'q3');
  f.declare(Type.v128, 'zero', 'z0', 'z1', 'z2', 'z3', 'z4', 'z5', 'z6', 'z7', 'd0', 'd1', 'd2', 'd3');
  declareTransformLocals(f);
  return f;
}

export const WINOGRAD_GRAD_TYPE = newGrad().type();

/** The block's A: for each tile t and run of the unit, V_ξ of the tile's window at aAt + ξ·aStride + ((run − runStart)·KB + t)·16. */
function windowsOfBlock(f: WasmFunction): number[] {
  const g = (name: string): number[] => f.get(name);
  const perRun = [
    ...f.set('ch', [...g('run'), ...Op.i32Const(4), ...Op.i32Shl]),
    ...f.set('mp', [...g('aAt'), ...g('run'), ...g('runStart'), ...Op.i32Sub, ...Op.i32Const(GRAD_BLOCK_TILES), ...Op.i32Mul, ...g('t'), ...Op.i32Add, ...Op.i32Const(4), ...Op.i32Shl, ...Op.i32Add]),
    ...windowTransform(f, (xi, value) => [...g('mp'), ...value, ...Op.v128Store(0), ...(xi < 15 ? f.bump('mp', g('aStride')) : [])]),
  ];
  const perTile = [
    ...f.set('lp', [...g('inLists'), ...g('blk'), ...Op.i32Const(GRAD_BLOCK_TILES), ...Op.i32Mul, ...g('t'), ...Op.i32Add, ...Op.i32Const(6), ...Op.i32Shl, ...Op.i32Add]),
    ...Array.from({ length: 16 }, (_, i) => f.set(`p${i}`, [...g('lp'), ...Op.i32Load(4 * i)])).flat(),
    ...f.set('run', g('runStart')),
    ...doWhileBelow(f, 'run', Op.i32Const(1), g('runEnd'), perRun),
  ];
  return [...f.set('t', Op.i32Const(0)), ...doWhileBelow(f, 't', Op.i32Const(1), Op.i32Const(GRAD_BLOCK_TILES), perTile)];
}

/**
 * The block's B: for each tile t and run h of 4 filters, Y = A·dy·Aᵀ from the tile's 2×2 gradients
 * d(a, b): z(i, b) = (d0b, d0b + d1b, d0b − d1b, −d1b), Y(i, ·) = (zi0, zi0 + zi1, zi0 − zi1, −zi1),
 * Y_ξ at bAt + ξ·bStride + ((h >> 1)·KB + t)·32 + (h & 1)·16.
 */
function gradientsOfBlock(f: WasmFunction): number[] {
  const g = (name: string): number[] => f.get(name);
  const neg = (a: string): number[] => [...g('zero'), ...g(a), ...Op.f32x4Sub];
  const perRun: number[] = [];
  for (let o = 0; o < 4; o++) perRun.push(...f.set(`d${o}`, [...g(`q${o}`), ...g('h'), ...Op.i32Const(4), ...Op.i32Shl, ...Op.i32Add, ...Op.v128Load(0)]));
  // z(i, b) for b = 0 (d0 = d00, d2 = d10) into z0..z3, b = 1 (d1, d3) into z4..z7.
  for (let b = 0; b < 2; b++) {
    const [top, bottom] = [`d${b}`, `d${2 + b}`];
    perRun.push(...f.set(`z${4 * b}`, g(top)), ...f.set(`z${4 * b + 1}`, [...g(top), ...g(bottom), ...Op.f32x4Add]));
    perRun.push(...f.set(`z${4 * b + 2}`, [...g(top), ...g(bottom), ...Op.f32x4Sub]), ...f.set(`z${4 * b + 3}`, neg(bottom)));
  }
  perRun.push(...f.set('mp', [
    ...g('bAt'), ...g('h'), ...Op.i32Const(1), ...Op.i32ShrU, ...Op.i32Const(GRAD_BLOCK_TILES), ...Op.i32Mul, ...g('t'), ...Op.i32Add, ...Op.i32Const(5), ...Op.i32Shl, ...Op.i32Add,
    ...g('h'), ...Op.i32Const(1), ...Op.i32And, ...Op.i32Const(4), ...Op.i32Shl, ...Op.i32Add,
  ]));
  for (let i = 0; i < 4; i++) {
    const [z0, z1] = [`z${i}`, `z${4 + i}`];
    const values = [g(z0), [...g(z0), ...g(z1), ...Op.f32x4Add], [...g(z0), ...g(z1), ...Op.f32x4Sub], neg(z1)];
    for (let j = 0; j < 4; j++) {
      perRun.push(...g('mp'), ...values[j]!, ...Op.v128Store(0));
      if (4 * i + j < 15) perRun.push(...f.bump('mp', g('bStride')));
    }
  }
  const perTile = [
    ...f.set('lp', [...g('dyLists'), ...g('blk'), ...Op.i32Const(GRAD_BLOCK_TILES), ...Op.i32Mul, ...g('t'), ...Op.i32Add, ...Op.i32Const(4), ...Op.i32Shl, ...Op.i32Add]),
    ...Array.from({ length: 4 }, (_, o) => f.set(`q${o}`, [...g('lp'), ...Op.i32Load(4 * o)])).flat(),
    ...f.set('h', Op.i32Const(0)),
    ...doWhileBelow(f, 'h', Op.i32Const(1), [...g('filters'), ...Op.i32Const(2), ...Op.i32ShrU], perRun),
  ];
  return [...f.set('t', Op.i32Const(0)), ...doWhileBelow(f, 't', Op.i32Const(1), Op.i32Const(GRAD_BLOCK_TILES), perTile)];
}

/** The body entry of winograd_grad_weight; `first` and `accumulate` are the plain tile functions that store and that add to C. */
export function winogradGradBody(first: number, accumulate: number): number[] {
  const f = newGrad();
  const g = (name: string): number[] => f.get(name);
  const product = (tile: number): number[] => [
    ...g('aAt'), ...g('xi'), ...g('aStride'), ...Op.i32Mul, ...Op.i32Add,
    ...g('bAt'), ...g('xi'), ...g('bStride'), ...Op.i32Mul, ...Op.i32Add,
    // dU_ξ's rows of this unit: dU + ξ·dUStride + runStart·4 rows·ldc.
    ...g('dU'), ...g('xi'), ...g('dUStride'), ...Op.i32Mul, ...Op.i32Add, ...g('runStart'), ...g('nPanels'), ...Op.i32Mul, ...Op.i32Const(7), ...Op.i32Shl, ...Op.i32Add,
    ...g('runs'), ...g('nPanels'), ...Op.i32Const(GRAD_BLOCK_TILES), ...g('nPanels'), ...Op.i32Const(5), ...Op.i32Shl,
    ...Op.i32Const(0), ...Op.i32Const(0), ...Op.f32Const(0), ...Op.i32Const(0), ...Op.call(tile),
  ];
  const products = [...f.set('xi', Op.i32Const(0)), ...doWhileBelow(f, 'xi', Op.i32Const(1), Op.i32Const(16), [
    ...g('blk'), ...Op.i32Eqz, ...Op.if, ...product(first), ...Op.else, ...product(accumulate), ...Op.end,
  ])];
  // The long parts joined with concat, not spread (moduleBytes in wasm-bytes.ts says why).
  const unitStart = [
    ...f.set('runStart', [...g('u'), ...g('channels'), ...Op.i32Const(2), ...Op.i32ShrU, ...Op.i32Mul, ...g('units'), ...Op.i32DivU]),
    ...f.set('runEnd', [...g('u'), ...Op.i32Const(1), ...Op.i32Add, ...g('channels'), ...Op.i32Const(2), ...Op.i32ShrU, ...Op.i32Mul, ...g('units'), ...Op.i32DivU]),
    ...f.set('runs', [...g('runEnd'), ...g('runStart'), ...Op.i32Sub]),
    ...f.set('aAt', [...g('scratch'), ...g('u'), ...g('aStride'), ...g('bStride'), ...Op.i32Add, ...Op.i32Const(4), ...Op.i32Shl, ...Op.i32Mul, ...Op.i32Add]),
    ...f.set('bAt', [...g('aAt'), ...g('aStride'), ...Op.i32Const(4), ...Op.i32Shl, ...Op.i32Add]),
    ...Op.block, ...g('runs'), ...Op.i32Eqz, ...Op.brIf(0),
    ...f.set('blk', Op.i32Const(0)),
  ];
  const perUnit = unitStart.concat(doWhileBelow(f, 'blk', Op.i32Const(1), g('blocks'), windowsOfBlock(f).concat(gradientsOfBlock(f), products)), Op.end);
  const start = [
    ...f.set('zero', Op.v128Zero),
    // Strides in bytes: A_ξ (all C/4 runs' room: KB tiles × C floats), B_ξ (KB × 8·nPanels), each + SKEW (winograd-module.ts); dU_ξ (C × 8·nPanels).
    ...f.set('aStride', [...g('channels'), ...Op.i32Const(GRAD_BLOCK_TILES * 4), ...Op.i32Mul, ...Op.i32Const(SKEW), ...Op.i32Add]),
    ...f.set('bStride', [...g('nPanels'), ...Op.i32Const(GRAD_BLOCK_TILES * NR * 4), ...Op.i32Mul, ...Op.i32Const(SKEW), ...Op.i32Add]),
    ...f.set('dUStride', [...g('channels'), ...g('nPanels'), ...Op.i32Mul, ...Op.i32Const(5), ...Op.i32Shl]),
    ...Op.block, ...g('start'), ...g('end'), ...Op.i32GeU, ...Op.brIf(0),
    ...f.set('u', g('start')),
  ];
  return f.body(start.concat(doWhileBelow(f, 'u', Op.i32Const(1), g('end'), perUnit), Op.end));
}
