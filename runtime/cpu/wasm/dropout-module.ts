import { MAX_MEMORY_PAGES } from '../threads/threaded-module.js';
import { TILE_FLOATS } from './elementwise-module.js';
import { importedMemorySection, moduleOfFunctions, Op, Type, u32 } from './wasm-bytes.js';
import { WasmFunction } from './wasm-function.js';

/**
 * Dropout's forward pass as a float32 WebAssembly SIMD loop over an imported memory (the GEMM
 * module's: dropout-simd.ts):
 *
 *   dropout(x, y, mask, bytes, scalars, start, end)
 *
 * over the tiles [start, end) of TILE_FLOATS values. At `scalars`: the seed (u32), the threshold T
 * (u32) and keep = 1/(1 − rate) (f32). Value i draws mulberry32's (i + 1)th number (plan/random.ts):
 * its state after i + 1 steps is seed + (i + 1)·0x6d2b79f5, so each lane hashes its own counter and
 * any tile, on any thread, draws what the sequential generator draws. It keeps x when the draw
 * u/2³² ≥ rate, that is u ≥ T = ⌈rate·2³²⌉ (unsigned): mask = keep or 0, y = x·mask.
 */
const i32 = Type.i32;
const v128 = Type.v128;
const TILE_BYTES = TILE_FLOATS * 4;
const STEP = 0x6d2b79f5;

type Code = readonly number[];

const Simd = {
  i32x4: (lanes: readonly number[]) => [0xfd, ...u32(0x0c), ...new Uint8Array(new Int32Array(lanes).buffer)],
  i32x4ShrU: [0xfd, ...u32(0xad)],
  i32x4Add: [0xfd, ...u32(0xae)],
  i32x4Mul: [0xfd, ...u32(0xb5)],
  i32x4GeU: [0xfd, ...u32(0x40)],
  v128Xor: [0xfd, ...u32(0x51)],
} as const;

const xor = (a: Code, b: Code): number[] => [...a, ...b, ...Simd.v128Xor];
const shr = (a: Code, bits: number): number[] => [...a, ...Op.i32Const(bits), ...Simd.i32x4ShrU];
const or = (a: Code, value: number): number[] => [...a, ...Simd.i32x4([value, value, value, value]), ...Op.v128Or];
const imul = (a: Code, b: Code): number[] => [...a, ...b, ...Simd.i32x4Mul];

function dropoutFunction(): { f: WasmFunction; code: number[] } {
  const f = new WasmFunction(['x', 'y', 'mask', 'bytes', 'scalars', 'start', 'end'].map((p) => [p, i32] as const));
  f.declare(i32, 'j', 'stop');
  f.declare(v128, 'counter', 'threshold', 'keep', 't', 'm');
  const at = (pointer: string): number[] => [...f.get(pointer), ...f.get('j'), ...Op.i32Add];
  const stop = [...f.get('end'), ...Op.i32Const(TILE_BYTES), ...Op.i32Mul];
  const first = [...f.get('start'), ...Op.i32Const(TILE_BYTES), ...Op.i32Mul];
  const code = [
    ...f.set('threshold', [...f.get('scalars'), ...Op.v128Load32Splat(4)]),
    ...f.set('keep', [...f.get('scalars'), ...Op.v128Load32Splat(8)]),
    ...f.set('stop', [...stop, ...f.get('bytes'), ...stop, ...f.get('bytes'), ...Op.i32LtS, ...Op.select]),
    // The counters of the tile's first four values: seed + (i + 1 + lane)·STEP, i = start·TILE_FLOATS (mod 2³²).
    ...f.set('counter', [
      ...f.get('scalars'), ...Op.i32Load(0),
      ...f.get('start'), ...Op.i32Const(TILE_FLOATS), ...Op.i32Mul, ...Op.i32Const(1), ...Op.i32Add, ...Op.i32Const(STEP | 0), ...Op.i32Mul,
      ...Op.i32Add, ...Op.i32x4Splat,
      ...Simd.i32x4([0, STEP, 2 * STEP, 3 * STEP].map((v) => v | 0)), ...Simd.i32x4Add,
    ]),
    ...f.for('j', first, f.get('stop'), Op.i32Const(16), [
      // t = imul(a ^ a >>> 15, a | 1); t ^= t + imul(t ^ t >>> 7, t | 61); u = t ^ t >>> 14
      ...f.set('t', imul(xor(f.get('counter'), shr(f.get('counter'), 15)), or(f.get('counter'), 1))),
      ...f.set('t', xor(f.get('t'), [...f.get('t'), ...imul(xor(f.get('t'), shr(f.get('t'), 7)), or(f.get('t'), 61)), ...Simd.i32x4Add])),
      ...f.set('t', xor(f.get('t'), shr(f.get('t'), 14))),
      ...f.set('m', [...f.get('keep'), ...Op.v128Zero, ...f.get('t'), ...f.get('threshold'), ...Simd.i32x4GeU, ...Op.v128Bitselect]),
      ...at('mask'), ...f.get('m'), ...Op.v128Store(0),
      ...at('y'), ...at('x'), ...Op.v128Load(0), ...f.get('m'), ...Op.f32x4Mul, ...Op.v128Store(0),
      ...f.set('counter', [...f.get('counter'), ...Simd.i32x4([4, 4, 4, 4].map((n) => (n * STEP) | 0)), ...Simd.i32x4Add]),
    ]),
  ];
  return { f, code };
}

/** The exports, in order. */
export const DROPOUT_FUNCTIONS = ['dropout'] as const;

/** The module over the GEMM's memory, `shared` as that one is (threads/threaded-module.ts). */
export function dropoutModuleBytes(shared = false): Uint8Array<ArrayBuffer> {
  const { f, code } = dropoutFunction();
  return moduleOfFunctions([{ name: 'dropout', type: f.type(), body: f.body(code) }], importedMemorySection(shared, MAX_MEMORY_PAGES));
}
