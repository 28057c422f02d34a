import { KC } from '../kernels/gemm-pack.js';
import { Op, Type } from './wasm-bytes.js';
import { WasmFunction } from './wasm-function.js';

/**
 * The GEMM's packings with vector loads and stores, for the two layouts that are contiguous along k
 * or across a panel, with the signature of pack_a / pack_b (sgemm-pack-a.ts) and the same layouts:
 *
 *   pack_bt(src, bColBytes, bRowBytes, n, k, dst, nPanels, panelsPerTile, start, end)
 *   pack_a(src, aRowBytes, aColBytes, m, k, dst, mPanels, panelsPerTile, start, end)
 *
 * A panel is `width` lines of the source (B's columns, 8; A's rows, 4), line j at src + j·lineBytes,
 * step kk of it at + kk·stepBytes.
 *
 * Lines contiguous along k (stepBytes 4: a weight read transposed, x·Wᵀ, for pack_bt; A row-major
 * for pack_a): each group of 4 lines × 4 steps of k is four vector loads down the lines, a 4×4
 * transpose in registers (eight i8x16.shuffle) and four vector stores along the panel's rows,
 * instead of sixteen float loads and stores. The last kc mod 4 steps go float by float.
 *
 * A's rows adjacent (lineBytes 4: A transposed, dYᵀ·X, for pack_a): a panel's step kk is the 4 floats
 * at src + 4p·4 + kk·stepBytes, one vector load and store.
 *
 * A ragged last panel (lines past the source's, zeros), and any other strides, are left to the
 * generic loop (`fallbackIndex`, pack_a's or pack_b's), called for that panel. Copies: the same bits
 * as the generic loop.
 */
const PARAMS = ['src', 'line', 'step', 'lines', 'k', 'dst', 'panels', 'perTile', 'start', 'end'] as const;

/** 32-bit lanes → byte indices of i8x16.shuffle. */
const lanes = (...words: number[]): number[] => words.flatMap((w) => [4 * w, 4 * w + 1, 4 * w + 2, 4 * w + 3]);
const LOW = lanes(0, 4, 1, 5);
const HIGH = lanes(2, 6, 3, 7);
const LOW_PAIRS = lanes(0, 1, 4, 5);
const HIGH_PAIRS = lanes(2, 3, 6, 7);

/**
 * A 4×4 transpose in registers: `line(i)` pushes line i's 4 values (i = 0..3), `t` names four v128
 * scratch locals; returns the code that sets them and `store(j, value)` for each of the 4 rows of the
 * transpose (row j: value kk = j of every line), in order. Shared with the optimizer updates that
 * write a weight's packed copy as they update it (simd/optimizer-module.ts): the same bits as pack_bt.
 */
export function transpose4x4(
  line: (i: number) => number[],
  t: readonly [number[], number[], number[], number[]],
  setT: (i: number, value: number[]) => number[],
  store: (j: number, value: number[]) => number[],
): number[] {
  const shuffle = (x: number[], y: number[], l: number[]): number[] => [...x, ...y, ...Op.i8x16Shuffle(l)];
  const code = [...setT(0, shuffle(line(0), line(1), LOW)), ...setT(1, shuffle(line(0), line(1), HIGH))];
  code.push(...setT(2, shuffle(line(2), line(3), LOW)), ...setT(3, shuffle(line(2), line(3), HIGH)));
  const rows: Array<[number, number, number[]]> = [[0, 2, LOW_PAIRS], [0, 2, HIGH_PAIRS], [1, 3, LOW_PAIRS], [1, 3, HIGH_PAIRS]];
  rows.forEach(([x, y, l], j) => code.push(...store(j, shuffle(t[x]!, t[y]!, l))));
  return code;
}

const c = Op.i32Const;
const minOf = (a: number[], b: number[]): number[] => [...a, ...b, ...a, ...b, ...Op.i32LtU, ...Op.select];

function newFunction(): WasmFunction {
  const f = new WasmFunction(PARAMS.map((name) => [name, Type.i32] as const));
  f.declare(Type.i32, 'p', 'pEnd', 'k0', 'kc', 'kc4', 'base', 'col', 'kk', 'sp', 'dp');
  f.declare(Type.v128, 'v0', 'v1', 'v2', 'v3', 't0', 't1', 't2', 't3');
  return f;
}

/**
 * For each panel p of [start·perTile, end·perTile) (clipped to the panels): the generic loop when it
 * is ragged, else `kBlock` for each block of KC steps, with kc, kc4 (kc rounded down to 4) and base
 * (the block's panel in dst) set.
 */
function perPanel(f: WasmFunction, width: 4 | 8, fallbackIndex: number, kBlock: number[]): number[] {
  const g = (name: string): number[] => f.get(name);
  const log2 = width === 4 ? 2 : 3;
  const block = [
    ...f.set('kc', minOf(c(KC), [...g('k'), ...g('k0'), ...Op.i32Sub])),
    ...f.set('kc4', [...g('kc'), ...c(-4), ...Op.i32And]),
    ...f.set('base', [...g('dst'), ...g('k0'), ...g('panels'), ...Op.i32Mul, ...g('p'), ...g('kc'), ...Op.i32Mul, ...Op.i32Add, ...c(log2 + 2), ...Op.i32Shl, ...Op.i32Add]),
    ...kBlock,
  ];
  const ragged = [...g('p'), ...c(1), ...Op.i32Add, ...c(log2), ...Op.i32Shl, ...g('lines'), ...Op.i32GtS];
  const panel = [
    ...ragged, ...Op.if,
    ...PARAMS.slice(0, 7).flatMap((name) => g(name)), ...c(1), ...g('p'), ...g('p'), ...c(1), ...Op.i32Add, ...Op.call(fallbackIndex),
    ...Op.else,
    ...f.for('k0', c(0), g('k'), c(KC), block),
    ...Op.end,
  ];
  return [
    ...f.set('pEnd', minOf([...g('end'), ...g('perTile'), ...Op.i32Mul], g('panels'))),
    ...f.for('p', [...g('start'), ...g('perTile'), ...Op.i32Mul], g('pEnd'), c(1), panel),
  ];
}

/** Lines contiguous along k: 4×4 transposes, `width / 4` groups of 4 lines per panel. */
function transposingBlock(f: WasmFunction, width: 4 | 8): number[] {
  const g = (name: string): number[] => f.get(name);
  const rowBytes = width * 4;
  const group = (h: number): number[] => {
    const code = f.set('col', [...g('src'), ...g('p'), ...c(width), ...Op.i32Mul, ...c(4 * h), ...Op.i32Add, ...g('line'), ...Op.i32Mul, ...Op.i32Add, ...g('k0'), ...c(2), ...Op.i32Shl, ...Op.i32Add]);
    const at = (kk: string): number[] => [
      ...f.set('sp', [...g('col'), ...g(kk), ...c(2), ...Op.i32Shl, ...Op.i32Add]),
      ...f.set('dp', [...g('base'), ...g(kk), ...c(rowBytes), ...Op.i32Mul, ...Op.i32Add, ...c(16 * h), ...Op.i32Add]),
    ];
    const line = (i: number): number[] => [...g('sp'), ...g('line'), ...c(i), ...Op.i32Mul, ...Op.i32Add];
    const block: number[] = [...at('kk')];
    for (let i = 0; i < 4; i++) block.push(...f.set(`v${i}`, [...line(i), ...Op.v128Load(0)]));
    const t = [g('t0'), g('t1'), g('t2'), g('t3')] as const;
    block.push(...transpose4x4((i) => g(`v${i}`), t, (i, value) => f.set(`t${i}`, value), (j, value) => [...g('dp'), ...value, ...Op.v128Store(rowBytes * j)]));
    const tail: number[] = [...at('kk')];
    for (let i = 0; i < 4; i++) tail.push(...g('dp'), ...line(i), ...Op.f32Load(0), ...Op.f32Store(4 * i));
    code.push(...f.for('kk', c(0), g('kc4'), c(4), block));
    code.push(...f.for('kk', g('kc4'), g('kc'), c(1), tail));
    return code;
  };
  return width === 4 ? group(0) : [...group(0), ...group(1)];
}

/** A panel's 4 lines adjacent (lineBytes 4): one vector per step of k. */
function adjacentBlock(f: WasmFunction): number[] {
  const g = (name: string): number[] => f.get(name);
  const code = f.set('sp', [...g('src'), ...g('p'), ...c(4), ...Op.i32Shl, ...Op.i32Add, ...g('k0'), ...g('step'), ...Op.i32Mul, ...Op.i32Add]);
  const step = [
    ...g('base'), ...g('kk'), ...c(4), ...Op.i32Shl, ...Op.i32Add, ...g('sp'), ...Op.v128Load(0), ...Op.v128Store(0),
    ...f.set('sp', [...g('sp'), ...g('step'), ...Op.i32Add]),
  ];
  return [...code, ...f.for('kk', c(0), g('kc'), c(1), step)];
}

/** The code section's entry of pack_bt (length-prefixed); `packBIndex` is pack_b's function index. */
export function packBTransposedBody(packBIndex: number): number[] {
  const f = newFunction();
  return f.body(perPanel(f, 8, packBIndex, transposingBlock(f, 8)));
}

/**
 * The code section's entry of pack_a (length-prefixed): A row-major (aColBytes 4) by 4×4 transposes,
 * A transposed (aRowBytes 4) by vector copies, any other strides by the generic loop
 * (`packAIndex`, sgemm-pack-a.ts).
 */
export function packAVectorBody(packAIndex: number): number[] {
  const f = newFunction();
  const g = (name: string): number[] => f.get(name);
  const generic = [...PARAMS.flatMap((name) => g(name)), ...Op.call(packAIndex)];
  const code = [
    ...g('step'), ...c(4), ...Op.i32Eq, ...Op.if, ...perPanel(f, 4, packAIndex, transposingBlock(f, 4)),
    ...Op.else, ...g('line'), ...c(4), ...Op.i32Eq, ...Op.if, ...perPanel(f, 4, packAIndex, adjacentBlock(f)),
    ...Op.else, ...generic,
    ...Op.end, ...Op.end,
  ];
  return f.body(code);
}
