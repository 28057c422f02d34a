import { MAX_MEMORY_PAGES } from '../threads/threaded-module.js';
import { importedMemorySection, moduleOfFunctions, Op, Type } from './wasm-bytes.js';
import { WasmFunction } from './wasm-function.js';

/**
 * The depthwise convolution's products as float32 WebAssembly SIMD module bytes, vectorised over
 * channels (channels last: four neighbouring channels share every tap). The module imports its memory
 * (`env.memory`: the GEMM module's, depthwise-simd.ts) and exports
 *
 *   dw_rows(lists, w, bias, out, cBytes, taps, start, end)
 *     out[r, :] = bias + Σ_t src(r, t)[:] ⊙ w[t, :] for rows r in [start, end): the forward (src = x)
 *     and the input gradient (src = dy), with w [taps, C] (the weight transposed);
 *   dw_rows_to(lists, w, bias, outs, cBytes, taps, start, end)
 *     as dw_rows, row r written at the address outs[r] (an i32 list): a strided input gradient's
 *     stride phase, whose rows are every sh-th, sw-th pixel (depthwise-simd.ts);
 *   dw_grad(lists, dy, dw, cBytes, taps, rows, start, end)
 *     dw[t, g] += Σ_r dy[r, g] ⊙ src(r, t)[g] for groups g of four channels in [start, end): the
 *     weight gradient, with dw [taps, C] zeroed by the caller.
 *
 * src(r, t) is the byte address at lists + ((r >> 2)·taps + t)·16 + (r & 3)·4: conv-indirect.ts's
 * pointer layout (panels of four rows), so its gathers write these lists. Addresses are bytes, rows
 * are cBytes = C·4 long with C a multiple of 4 (the caller pads). Each sum runs over taps, or over
 * rows, in order whatever the thread: the tiles (rows; groups of channels) split over threads give the
 * same bits for any thread count. Multiply, then add (no fused multiply-add): the same on every host.
 */
const i32 = Type.i32;
const v128 = Type.v128;
const i32ShrU = [0x76];
const params = (...names: string[]): Array<readonly [string, typeof i32]> => names.map((n) => [n, i32] as const);

/** Block of rows the weight gradient walks for every channel group before moving on: they stay in cache. */
const ROW_BLOCK = 32;

/** The address of row r's pointer for tap 0: lists + ((r >> 2)·taps)·16 + (r & 3)·4. */
function listOf(f: WasmFunction, row: string): number[] {
  return [
    ...f.get('lists'),
    ...f.get(row), ...Op.i32Const(2), ...i32ShrU, ...f.get('taps'), ...Op.i32Mul, ...Op.i32Const(4), ...Op.i32Shl, ...Op.i32Add,
    ...f.get(row), ...Op.i32Const(3), ...Op.i32And, ...Op.i32Const(2), ...Op.i32Shl, ...Op.i32Add,
  ];
}

/** dw_rows, or with `listedOut` dw_rows_to (row r's output address read from outs + r·4). */
function rowsFunction(listedOut = false): WasmFunction & { code: number[] } {
  const f = new WasmFunction(params('lists', 'w', 'bias', listedOut ? 'outs' : 'out', 'cBytes', 'taps', 'start', 'end'));
  f.declare(i32, 'r', 'g', 't', 'list', 'lp', 'wp', 'o');
  f.declare(v128, 'acc');
  const overTaps = f.for('t', Op.i32Const(0), f.get('taps'), Op.i32Const(1), [
    ...f.set('acc', [
      ...f.get('acc'),
      ...f.get('lp'), ...Op.i32Load(0), ...f.get('g'), ...Op.i32Add, ...Op.v128Load(0),
      ...f.get('wp'), ...Op.v128Load(0),
      ...Op.f32x4Mul, ...Op.f32x4Add,
    ]),
    ...f.bump('lp', Op.i32Const(16)),
    ...f.bump('wp', f.get('cBytes')),
  ]);
  const overGroups = f.for('g', Op.i32Const(0), f.get('cBytes'), Op.i32Const(16), [
    ...f.set('acc', [...f.get('bias'), ...f.get('g'), ...Op.i32Add, ...Op.v128Load(0)]),
    ...f.set('lp', f.get('list')),
    ...f.set('wp', [...f.get('w'), ...f.get('g'), ...Op.i32Add]),
    ...overTaps,
    ...f.get('o'), ...f.get('g'), ...Op.i32Add, ...f.get('acc'), ...Op.v128Store(0),
  ]);
  const code = f.for('r', f.get('start'), f.get('end'), Op.i32Const(1), [
    ...f.set('list', listOf(f, 'r')),
    ...f.set('o', listedOut
      ? [...f.get('outs'), ...f.get('r'), ...Op.i32Const(2), ...Op.i32Shl, ...Op.i32Add, ...Op.i32Load(0)]
      : [...f.get('out'), ...f.get('r'), ...f.get('cBytes'), ...Op.i32Mul, ...Op.i32Add]),
    ...overGroups,
  ]);
  return Object.assign(f, { code });
}

function gradFunction(): WasmFunction & { code: number[] } {
  const f = new WasmFunction(params('lists', 'dy', 'dw', 'cBytes', 'taps', 'rows', 'start', 'end'));
  f.declare(i32, 'r0', 'r1', 'g', 't', 'r', 'at');
  f.declare(v128, 'acc');
  const overRows = f.for('r', f.get('r0'), f.get('r1'), Op.i32Const(1), [
    ...f.set('acc', [
      ...f.get('acc'),
      ...f.get('dy'), ...f.get('r'), ...f.get('cBytes'), ...Op.i32Mul, ...Op.i32Add, ...f.get('g'), ...Op.i32Add, ...Op.v128Load(0),
      ...listOf(f, 'r'), ...f.get('t'), ...Op.i32Const(4), ...Op.i32Shl, ...Op.i32Add, ...Op.i32Load(0), ...f.get('g'), ...Op.i32Add, ...Op.v128Load(0),
      ...Op.f32x4Mul, ...Op.f32x4Add,
    ]),
  ]);
  const overTaps = f.for('t', Op.i32Const(0), f.get('taps'), Op.i32Const(1), [
    ...f.set('at', [...f.get('dw'), ...f.get('t'), ...f.get('cBytes'), ...Op.i32Mul, ...Op.i32Add, ...f.get('g'), ...Op.i32Add]),
    ...f.set('acc', [...f.get('at'), ...Op.v128Load(0)]),
    ...overRows,
    ...f.get('at'), ...f.get('acc'), ...Op.v128Store(0),
  ]);
  const overGroups = f.for('g', [...f.get('start'), ...Op.i32Const(4), ...Op.i32Shl], [...f.get('end'), ...Op.i32Const(4), ...Op.i32Shl], Op.i32Const(16), overTaps);
  const code = f.for('r0', Op.i32Const(0), f.get('rows'), Op.i32Const(ROW_BLOCK), [
    // r1 = min(r0 + ROW_BLOCK, rows)
    ...f.set('r1', [...f.get('r0'), ...Op.i32Const(ROW_BLOCK), ...Op.i32Add]),
    ...f.set('r1', [...f.get('r1'), ...f.get('rows'), ...f.get('r1'), ...f.get('rows'), ...Op.i32LtS, ...Op.select]),
    ...overGroups,
  ]);
  return Object.assign(f, { code });
}

/** The exports, in order (all of them run through parallelFor). */
export const DEPTHWISE_FUNCTIONS = ['dw_rows', 'dw_grad', 'dw_rows_to'] as const;

/** The module over the GEMM's memory, `shared` as that one is (threads/threaded-module.ts). */
export function depthwiseModuleBytes(shared = false): Uint8Array<ArrayBuffer> {
  const functions = [rowsFunction(), gradFunction(), rowsFunction(true)];
  return moduleOfFunctions(
    functions.map((f, i) => ({ name: DEPTHWISE_FUNCTIONS[i]!, type: f.type(), body: f.body(f.code) })),
    importedMemorySection(shared, MAX_MEMORY_PAGES),
  );
}
