import { KC } from '../kernels/gemm-pack.js';
import { Op, Type } from './wasm-bytes.js';
import { WasmFunction } from './wasm-function.js';

/**
 * B's packing when B is contiguous along k (a weight read transposed, x·Wᵀ: bRowBytes = 4), with
 * the signature of pack_b (sgemm-pack-a.ts) and the same layout:
 *
 *   pack_bt(src, bColBytes, bRowBytes, n, k, dst, nPanels, panelsPerTile, start, end)
 *
 * Each group of 4 columns × 4 steps of k is four vector loads down the columns, a 4×4 transpose in
 * registers (eight i8x16.shuffle) and four vector stores along the panel's rows, instead of sixteen
 * float loads and stores. The last kc mod 4 steps go float by float; a ragged last panel (columns
 * past n, zeros) is left to pack_b, called for that panel. A copy: the same bits as pack_b.
 */
const PARAMS = ['src', 'bCol', 'bRow', 'n', 'k', 'dst', 'nPanels', 'perTile', 'start', 'end'] as const;

/** 32-bit lanes → byte indices of i8x16.shuffle. */
const lanes = (...words: number[]): number[] => words.flatMap((w) => [4 * w, 4 * w + 1, 4 * w + 2, 4 * w + 3]);
const LOW = lanes(0, 4, 1, 5);
const HIGH = lanes(2, 6, 3, 7);
const LOW_PAIRS = lanes(0, 1, 4, 5);
const HIGH_PAIRS = lanes(2, 3, 6, 7);

/** The code section's entry of pack_bt (length-prefixed); `packBIndex` is pack_b's function index. */
export function packBTransposedBody(packBIndex: number): number[] {
  const f = new WasmFunction(PARAMS.map((name) => [name, Type.i32] as const));
  f.declare(Type.i32, 'p', 'pEnd', 'k0', 'kc', 'kc4', 'base', 'col', 'kk', 'sp', 'dp');
  f.declare(Type.v128, 'v0', 'v1', 'v2', 'v3', 't0', 't1', 't2', 't3');
  const g = (name: string): number[] => f.get(name);
  const c = Op.i32Const;
  const minOf = (a: number[], b: number[]): number[] => [...a, ...b, ...a, ...b, ...Op.i32LtU, ...Op.select];
  const shuffle = (x: string, y: string, l: number[]): number[] => [...g(x), ...g(y), ...Op.i8x16Shuffle(l)];

  const half = (h: number): number[] => {
    const code = f.set('col', [...g('src'), ...g('p'), ...c(3), ...Op.i32Shl, ...c(4 * h), ...Op.i32Add, ...g('bCol'), ...Op.i32Mul, ...Op.i32Add, ...g('k0'), ...c(2), ...Op.i32Shl, ...Op.i32Add]);
    const at = (kk: string): number[] => [
      ...f.set('sp', [...g('col'), ...g(kk), ...c(2), ...Op.i32Shl, ...Op.i32Add]),
      ...f.set('dp', [...g('base'), ...g(kk), ...c(5), ...Op.i32Shl, ...Op.i32Add, ...c(16 * h), ...Op.i32Add]),
    ];
    const column = (i: number): number[] => [...g('sp'), ...g('bCol'), ...c(i), ...Op.i32Mul, ...Op.i32Add];
    const block: number[] = [...at('kk')];
    for (let i = 0; i < 4; i++) block.push(...f.set(`v${i}`, [...column(i), ...Op.v128Load(0)]));
    block.push(...f.set('t0', shuffle('v0', 'v1', LOW)), ...f.set('t1', shuffle('v0', 'v1', HIGH)));
    block.push(...f.set('t2', shuffle('v2', 'v3', LOW)), ...f.set('t3', shuffle('v2', 'v3', HIGH)));
    const rows: Array<[string, string, number[]]> = [['t0', 't2', LOW_PAIRS], ['t0', 't2', HIGH_PAIRS], ['t1', 't3', LOW_PAIRS], ['t1', 't3', HIGH_PAIRS]];
    rows.forEach(([x, y, l], j) => block.push(...g('dp'), ...shuffle(x, y, l), ...Op.v128Store(32 * j)));
    const tail: number[] = [...at('kk')];
    for (let i = 0; i < 4; i++) tail.push(...g('dp'), ...column(i), ...Op.f32Load(0), ...Op.f32Store(4 * i));
    code.push(...f.for('kk', c(0), g('kc4'), c(4), block));
    code.push(...f.for('kk', g('kc4'), g('kc'), c(1), tail));
    return code;
  };

  const kBlock = [
    ...f.set('kc', minOf(c(KC), [...g('k'), ...g('k0'), ...Op.i32Sub])),
    ...f.set('kc4', [...g('kc'), ...c(-4), ...Op.i32And]),
    ...f.set('base', [...g('dst'), ...g('k0'), ...g('nPanels'), ...Op.i32Mul, ...g('p'), ...g('kc'), ...Op.i32Mul, ...Op.i32Add, ...c(5), ...Op.i32Shl, ...Op.i32Add]),
    ...half(0),
    ...half(1),
  ];
  const ragged = [...g('p'), ...c(1), ...Op.i32Add, ...c(3), ...Op.i32Shl, ...g('n'), ...Op.i32GtS];
  const panel = [
    ...ragged, ...Op.if,
    ...PARAMS.slice(0, 7).flatMap((name) => g(name)), ...c(1), ...g('p'), ...g('p'), ...c(1), ...Op.i32Add, ...Op.call(packBIndex),
    ...Op.else,
    ...f.for('k0', c(0), g('k'), c(KC), kBlock),
    ...Op.end,
  ];
  const code = [
    ...f.set('pEnd', minOf([...g('end'), ...g('perTile'), ...Op.i32Mul], g('nPanels'))),
    ...f.for('p', [...g('start'), ...g('perTile'), ...Op.i32Mul], g('pEnd'), c(1), panel),
  ];
  return f.body(code);
}
