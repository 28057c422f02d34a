import { MAX_MEMORY_PAGES } from '../threads/threaded-module.js';
import { importedMemorySection, moduleOfFunctions, Op, Type } from './wasm-bytes.js';
import { WasmFunction } from './wasm-function.js';

/**
 * A run of columns of a row-major matrix copied to another's, as WebAssembly module bytes over the
 * GEMM module's memory (grouped-simd.ts: a group's channels out of x and dy, a group's product into
 * its columns of y or dx). Exports, addresses and strides in bytes:
 *
 *   copy_columns(src, srcStride, dst, dstStride, bytes, start, end)
 *     for rows r in [start, end): dst + r·dstStride ← `bytes` bytes from src + r·srcStride
 *
 * `bytes` is a multiple of 4 (float32 columns): 16 bytes a vector, the last 4–12 one float at a
 * time. A copy: the same bits whichever thread copies which rows.
 */
const i32 = Type.i32;

function copyColumns(): WasmFunction & { code: number[] } {
  const f = new WasmFunction(['src', 'srcStride', 'dst', 'dstStride', 'bytes', 'start', 'end'].map((n) => [n, i32] as const));
  f.declare(i32, 'r', 'j', 's', 'd', 'vectors');
  const at = (base: string, stride: string): number[] => [...f.get(base), ...f.get('r'), ...f.get(stride), ...Op.i32Mul, ...Op.i32Add];
  const code = [
    // The bytes the vector loop copies: `bytes` rounded down to 16.
    ...f.set('vectors', [...f.get('bytes'), ...Op.i32Const(-16), ...Op.i32And]),
    ...f.for('r', f.get('start'), f.get('end'), Op.i32Const(1), [
      ...f.set('s', at('src', 'srcStride')),
      ...f.set('d', at('dst', 'dstStride')),
      ...f.for('j', Op.i32Const(0), f.get('vectors'), Op.i32Const(16), [
        ...f.get('d'), ...f.get('j'), ...Op.i32Add,
        ...f.get('s'), ...f.get('j'), ...Op.i32Add, ...Op.v128Load(0),
        ...Op.v128Store(0),
      ]),
      ...f.for('j', f.get('vectors'), f.get('bytes'), Op.i32Const(4), [
        ...f.get('d'), ...f.get('j'), ...Op.i32Add,
        ...f.get('s'), ...f.get('j'), ...Op.i32Add, ...Op.f32Load(0),
        ...Op.f32Store(0),
      ]),
    ]),
  ];
  return Object.assign(f, { code });
}

/** The exports, in order (all of them run through parallelFor). */
export const COLUMNS_FUNCTIONS = ['copy_columns'] as const;

/** The module over the GEMM's memory, `shared` as that one is (threads/threaded-module.ts). */
export function columnsModuleBytes(shared = false): Uint8Array<ArrayBuffer> {
  const functions = [copyColumns()];
  return moduleOfFunctions(
    functions.map((f, i) => ({ name: COLUMNS_FUNCTIONS[i]!, type: f.type(), body: f.body(f.code) })),
    importedMemorySection(shared, MAX_MEMORY_PAGES),
  );
}
