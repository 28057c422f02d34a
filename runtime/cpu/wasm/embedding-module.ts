import { MAX_MEMORY_PAGES } from '../threads/threaded-module.js';
import { importedMemorySection, moduleOfFunctions, Op, Type } from './wasm-bytes.js';
import { WasmFunction } from './wasm-function.js';

/**
 * The embedding's gradient, a scatter-add of dy's rows into the rows of the table's gradient that
 * the ids name, as a float32 WebAssembly SIMD loop over an imported memory (the GEMM module's:
 * embedding-simd.ts):
 *
 *   embedding_grad(dy, ids, out, rows, dimBytes, start, end)
 *
 * adds, for r = 0 … rows − 1 in order, dy's row r into out's row ids[r] (i32), over the columns
 * [16·start, 16·end) bytes of each row: a tile is four columns, and the last one, when the dimension
 * is not a multiple of 4, its 1–3 columns one float at a time. Tiles split the columns, never the
 * rows, so every value is the same sum in the same order on any number of threads: the JS kernel's
 * (a float32 += rounds as a float32 add).
 */
const i32 = Type.i32;

function embeddingGradFunction(): { f: WasmFunction; code: number[] } {
  const f = new WasmFunction(['dy', 'ids', 'out', 'rows', 'dimBytes', 'start', 'end'].map((p) => [p, i32] as const));
  f.declare(i32, 'tile', 'col', 'stop', 'c', 'r', 'src', 'dst');
  // dst = out + ids[r]·dimBytes + c; src = dy + r·dimBytes + c
  const addresses = [
    ...f.set('dst', [
      ...f.get('out'),
      ...f.get('ids'), ...f.get('r'), ...Op.i32Const(4), ...Op.i32Mul, ...Op.i32Add, ...Op.i32Load(0),
      ...f.get('dimBytes'), ...Op.i32Mul, ...Op.i32Add, ...f.get('c'), ...Op.i32Add,
    ]),
    ...f.set('src', [...f.get('dy'), ...f.get('r'), ...f.get('dimBytes'), ...Op.i32Mul, ...Op.i32Add, ...f.get('c'), ...Op.i32Add]),
  ];
  const overRows = (body: number[]): number[] => f.for('r', Op.i32Const(0), f.get('rows'), Op.i32Const(1), [...addresses, ...body]);
  const code = [
    ...f.for('tile', f.get('start'), f.get('end'), Op.i32Const(1), [
      ...f.set('col', [...f.get('tile'), ...Op.i32Const(16), ...Op.i32Mul]),
      ...f.set('stop', [...f.get('col'), ...Op.i32Const(16), ...Op.i32Add]),
      ...f.get('stop'), ...f.get('dimBytes'), ...Op.i32GtS,
      ...Op.if,
      // The last tile, short of four columns: each column alone.
      ...f.for('c', f.get('col'), f.get('dimBytes'), Op.i32Const(4), overRows([
        ...f.get('dst'), ...f.get('dst'), ...Op.f32Load(0), ...f.get('src'), ...Op.f32Load(0), ...Op.f32Add, ...Op.f32Store(0),
      ])),
      ...Op.else,
      ...f.set('c', f.get('col')),
      ...overRows([
        ...f.get('dst'), ...f.get('dst'), ...Op.v128Load(0), ...f.get('src'), ...Op.v128Load(0), ...Op.f32x4Add, ...Op.v128Store(0),
      ]),
      ...Op.end,
    ]),
  ];
  return { f, code };
}

/** The exports, in order. */
export const EMBEDDING_FUNCTIONS = ['embedding_grad'] as const;

/** The module over the GEMM's memory, `shared` as that one is (threads/threaded-module.ts). */
export function embeddingModuleBytes(shared = false): Uint8Array<ArrayBuffer> {
  const { f, code } = embeddingGradFunction();
  return moduleOfFunctions([{ name: 'embedding_grad', type: f.type(), body: f.body(code) }], importedMemorySection(shared, MAX_MEMORY_PAGES));
}
