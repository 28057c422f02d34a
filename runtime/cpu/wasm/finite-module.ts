import { MAX_MEMORY_PAGES } from '../threads/threaded-module.js';
import { TILE_FLOATS } from './elementwise-module.js';
import { importedMemorySection, moduleOfFunctions, Op, Type, u32 } from './wasm-bytes.js';
import { WasmFunction } from './wasm-function.js';

/**
 * The training loop's NaN scan of the weights (runtime/train/loop.ts, after every step) as a
 * float32 WebAssembly SIMD pass over an imported memory (the GEMM module's: finite-simd.ts):
 *
 *   nonfinite(x, bytes, flags, start, end)
 *
 * for each tile [start, end) of TILE_FLOATS values of x (`bytes` a multiple of 16): the i32 at
 * flags[tile] is 1 when a value of the tile is NaN or ±∞, else 0. x − x is +0 (all bits 0) for a
 * finite x and NaN otherwise, so the tile ORs those differences and tests for a set bit: two
 * instructions a vector, no branch.
 */
const i32 = Type.i32;
const TILE_BYTES = TILE_FLOATS * 4;

const Simd = {
  v128AnyTrue: [0xfd, ...u32(0x53)],
} as const;

const i32Store = (offset: number): number[] => [0x36, 2, ...u32(offset)];

function nonfiniteFunction(): { f: WasmFunction; code: number[] } {
  const f = new WasmFunction(['x', 'bytes', 'flags', 'start', 'end'].map((p) => [p, i32] as const));
  f.declare(i32, 'tile', 'j', 'stop');
  f.declare(Type.v128, 'acc', 'v');
  const tileEnd = [...f.get('tile'), ...Op.i32Const(1), ...Op.i32Add, ...Op.i32Const(TILE_BYTES), ...Op.i32Mul];
  const code = [
    ...f.for('tile', f.get('start'), f.get('end'), Op.i32Const(1), [
      ...f.set('acc', Op.v128Zero),
      // stop = min((tile + 1)·TILE_BYTES, bytes)
      ...f.set('stop', [...tileEnd, ...f.get('bytes'), ...tileEnd, ...f.get('bytes'), ...Op.i32LtS, ...Op.select]),
      ...f.for('j', [...f.get('tile'), ...Op.i32Const(TILE_BYTES), ...Op.i32Mul], f.get('stop'), Op.i32Const(16), [
        ...f.set('v', [...f.get('x'), ...f.get('j'), ...Op.i32Add, ...Op.v128Load(0)]),
        ...f.set('acc', [...f.get('acc'), ...f.get('v'), ...f.get('v'), ...Op.f32x4Sub, ...Op.v128Or]),
      ]),
      ...f.get('flags'), ...f.get('tile'), ...Op.i32Const(4), ...Op.i32Mul, ...Op.i32Add,
      ...f.get('acc'), ...Simd.v128AnyTrue,
      ...i32Store(0),
    ]),
  ];
  return { f, code };
}

/** The exports, in order. */
export const FINITE_FUNCTIONS = ['nonfinite'] as const;

/** The module over the GEMM's memory, `shared` as that one is (threads/threaded-module.ts). */
export function finiteModuleBytes(shared = false): Uint8Array<ArrayBuffer> {
  const { f, code } = nonfiniteFunction();
  return moduleOfFunctions([{ name: 'nonfinite', type: f.type(), body: f.body(code) }], importedMemorySection(shared, MAX_MEMORY_PAGES));
}
