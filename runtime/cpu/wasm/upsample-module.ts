import { MAX_MEMORY_PAGES } from '../threads/threaded-module.js';
import { importedMemorySection, moduleOfFunctions, Op, Type } from './wasm-bytes.js';
import { WasmFunction } from './wasm-function.js';

/**
 * One weighted gather along one axis, as float32 WebAssembly SIMD module bytes: upsampling and its
 * gradient are separable (rows, then columns), and each pass is
 *
 *   gather_axis(src, dst, lists, entries, inCount, outCount, innerBytes, start, end)
 *     dst[outer, i, :] = Σ_{(o, weight) in list i} weight · src[outer, o, :]
 *
 * for tiles t = outer·outCount + i in [start, end); a block [:] is innerBytes long (a multiple of 16:
 * the caller keeps C a multiple of 4). List i is entries[lists[i] .. lists[i + 1]), each entry 8 bytes:
 * the source index o (i32) and its weight (f32). The sum runs over the list in order on whichever
 * thread: the same bits for any thread count. The module imports the GEMM's memory (upsample-simd.ts).
 */
const i32 = Type.i32;

function gatherFunction(): WasmFunction & { code: number[] } {
  const f = new WasmFunction(['src', 'dst', 'lists', 'entries', 'inCount', 'outCount', 'innerBytes', 'start', 'end'].map((n) => [n, i32] as const));
  f.declare(i32, 't', 'outer', 'i', 'base', 'at', 'e0', 'e1', 'e', 'j', 'ea');
  f.declare(Type.v128, 'acc');
  const terms = f.for('e', f.get('e0'), f.get('e1'), Op.i32Const(1), [
    ...f.set('ea', [...f.get('entries'), ...f.get('e'), ...Op.i32Const(3), ...Op.i32Shl, ...Op.i32Add]),
    ...f.set('acc', [
      ...f.get('acc'),
      ...f.get('ea'), ...Op.f32Load(4), ...Op.f32x4Splat,
      ...f.get('base'), ...f.get('ea'), ...Op.i32Load(0), ...f.get('innerBytes'), ...Op.i32Mul, ...Op.i32Add, ...f.get('j'), ...Op.i32Add, ...Op.v128Load(0),
      ...Op.f32x4Mul, ...Op.f32x4Add,
    ]),
  ]);
  const blocks = f.for('j', Op.i32Const(0), f.get('innerBytes'), Op.i32Const(16), [
    ...f.set('acc', Op.v128Zero),
    ...terms,
    ...f.get('at'), ...f.get('j'), ...Op.i32Add, ...f.get('acc'), ...Op.v128Store(0),
  ]);
  const code = f.for('t', f.get('start'), f.get('end'), Op.i32Const(1), [
    ...f.set('outer', [...f.get('t'), ...f.get('outCount'), ...Op.i32DivU]),
    ...f.set('i', [...f.get('t'), ...f.get('outer'), ...f.get('outCount'), ...Op.i32Mul, ...Op.i32Sub]),
    ...f.set('base', [...f.get('src'), ...f.get('outer'), ...f.get('inCount'), ...Op.i32Mul, ...f.get('innerBytes'), ...Op.i32Mul, ...Op.i32Add]),
    ...f.set('at', [...f.get('dst'), ...f.get('t'), ...f.get('innerBytes'), ...Op.i32Mul, ...Op.i32Add]),
    ...f.set('e0', [...f.get('lists'), ...f.get('i'), ...Op.i32Const(2), ...Op.i32Shl, ...Op.i32Add, ...Op.i32Load(0)]),
    ...f.set('e1', [...f.get('lists'), ...f.get('i'), ...Op.i32Const(2), ...Op.i32Shl, ...Op.i32Add, ...Op.i32Load(4)]),
    ...blocks,
  ]);
  return Object.assign(f, { code });
}

/** The exports, in order. */
export const UPSAMPLE_FUNCTIONS = ['gather_axis'] as const;

/** The module over the GEMM's memory, `shared` as that one is (threads/threaded-module.ts). */
export function upsampleModuleBytes(shared = false): Uint8Array<ArrayBuffer> {
  const f = gatherFunction();
  return moduleOfFunctions([{ name: 'gather_axis', type: f.type(), body: f.body(f.code) }], importedMemorySection(shared, MAX_MEMORY_PAGES));
}
