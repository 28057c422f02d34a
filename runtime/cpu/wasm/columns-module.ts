import { MAX_MEMORY_PAGES } from '../threads/threaded-module.js';
import { importedMemorySection, moduleOfFunctions, Op, Type } from './wasm-bytes.js';
import { WasmFunction } from './wasm-function.js';

/**
 * Runs of columns of a row-major matrix copied to another's, as WebAssembly module bytes over the
 * GEMM module's memory (grouped-simd.ts: a group's channels out of x and dy, a group's product into
 * its columns of y or dx; conv-phases.ts: a stride phase's rows to their pixels of dx). Exports,
 * addresses and strides in bytes:
 *
 *   copy_columns(src, srcStride, dst, dstStride, bytes, start, end)
 *     for rows r in [start, end): dst + r·dstStride ← `bytes` bytes from src + r·srcStride
 *
 *   scatter_rows(src, srcStride, dst, pixelStride, rowStride, imageStride, nx, ny, bytes, start, end)
 *     for rows r = (b·ny + jy)·nx + jx in [start, end):
 *       dst + b·imageStride + jy·rowStride + jx·pixelStride ← `bytes` bytes from src + r·srcStride
 *
 * `bytes` is a multiple of 4 (float32 columns): 16 bytes a vector, the last 4–12 one float at a
 * time. A copy: the same bits whichever thread copies which rows.
 */
const i32 = Type.i32;

/** `bytes` bytes from the address in local `s` to the one in `d` (locals `j` and `vectors`: `bytes` rounded down to 16). */
function copyRun(f: WasmFunction): number[] {
  return [
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
  ];
}

const roundedTo16 = (f: WasmFunction): number[] => f.set('vectors', [...f.get('bytes'), ...Op.i32Const(-16), ...Op.i32And]);
/** base + index·stride (i32), the operands' local names. */
const offset = (f: WasmFunction, base: readonly number[], index: string, stride: string): number[] => [...base, ...f.get(index), ...f.get(stride), ...Op.i32Mul, ...Op.i32Add];

function copyColumns(): WasmFunction & { code: number[] } {
  const f = new WasmFunction(['src', 'srcStride', 'dst', 'dstStride', 'bytes', 'start', 'end'].map((n) => [n, i32] as const));
  f.declare(i32, 'r', 'j', 's', 'd', 'vectors');
  const code = [
    ...roundedTo16(f),
    ...f.for('r', f.get('start'), f.get('end'), Op.i32Const(1), [
      ...f.set('s', offset(f, f.get('src'), 'r', 'srcStride')),
      ...f.set('d', offset(f, f.get('dst'), 'r', 'dstStride')),
      ...copyRun(f),
    ]),
  ];
  return Object.assign(f, { code });
}

function scatterRows(): WasmFunction & { code: number[] } {
  const params = ['src', 'srcStride', 'dst', 'pixelStride', 'rowStride', 'imageStride', 'nx', 'ny', 'bytes', 'start', 'end'];
  const f = new WasmFunction(params.map((n) => [n, i32] as const));
  f.declare(i32, 'r', 'j', 's', 'd', 'vectors', 'jx', 'jy', 'b', 'rest');
  const code = [
    ...roundedTo16(f),
    ...f.for('r', f.get('start'), f.get('end'), Op.i32Const(1), [
      // r = (b·ny + jy)·nx + jx
      ...f.set('rest', [...f.get('r'), ...f.get('nx'), ...Op.i32DivU]),
      ...f.set('jx', [...f.get('r'), ...f.get('rest'), ...f.get('nx'), ...Op.i32Mul, ...Op.i32Sub]),
      ...f.set('b', [...f.get('rest'), ...f.get('ny'), ...Op.i32DivU]),
      ...f.set('jy', [...f.get('rest'), ...f.get('b'), ...f.get('ny'), ...Op.i32Mul, ...Op.i32Sub]),
      ...f.set('s', offset(f, f.get('src'), 'r', 'srcStride')),
      ...f.set('d', offset(f, offset(f, offset(f, f.get('dst'), 'b', 'imageStride'), 'jy', 'rowStride'), 'jx', 'pixelStride')),
      ...copyRun(f),
    ]),
  ];
  return Object.assign(f, { code });
}

/** The exports, in order (all of them run through parallelFor). */
export const COLUMNS_FUNCTIONS = ['copy_columns', 'scatter_rows'] as const;

/** The module over the GEMM's memory, `shared` as that one is (threads/threaded-module.ts). */
export function columnsModuleBytes(shared = false): Uint8Array<ArrayBuffer> {
  const functions = [copyColumns(), scatterRows()];
  return moduleOfFunctions(
    functions.map((f, i) => ({ name: COLUMNS_FUNCTIONS[i]!, type: f.type(), body: f.body(f.code) })),
    importedMemorySection(shared, MAX_MEMORY_PAGES),
  );
}
