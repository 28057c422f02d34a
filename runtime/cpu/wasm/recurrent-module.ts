import { importedMemorySection, moduleOfFunctions, Op, Type, u32 } from './wasm-bytes.js';
import type { WasmFunction } from './wasm-function.js';
import { addRows, fn, Simd, type Build, type Code, type Emitter } from './transcendental-module.js';

/**
 * The recurrent scans' backward cells and masked steps in WebAssembly SIMD, four units a vector. The
 * module imports the GEMM module's memory (recurrent-steps.ts instantiates it there, with the
 * transcendental module) and exports, with byte addresses and byte strides (16-byte multiples; a stride of 0 repeats a row):
 *
 *   add_rows(dst, dstStride, a, aStride, b, bStride, rows, bytes)          dst = a + b (as transcendental-module.ts)
 *   select_rows(dst, dstStride, a, aStride, b, bStride, mask, maskStride, rows, bytes)
 *       dst = a where the row's mask word (an i32 at mask + r·maskStride) is −1, b where it is 0
 *   rnn_back, lstm_back, gru_back(saved, prev, sStride, pStride, dh, dxw, xStride, dhw, hStride, mask, mStride, carry, direct, rows, uBytes)
 *       one step of backpropagation through time for `rows` batch rows: `saved` the step's saved rows
 *       (the scan's layout, runtime/plan/kernels.ts), `prev` the previous step's (or a zero row with
 *       pStride 0 at the first step), `dh` [rows, u] the gradient reaching h_t; writes the gates'
 *       pre-activation gradients to `dxw` (input projection) and `dhw` (recurrent product: the same
 *       values but for the GRU's candidate), the LSTM's dc carried to the previous step in
 *       `carry` [rows, u] (zero before the last step), and `direct` [rows, u], the part of dh_{t−1}
 *       that does not go through w_hh (the GRU's dh·z; dh itself on a masked row).
 *
 * A masked row (mask word 0) gets zero gate gradients, passes dh to `direct` and leaves `carry` as it
 * was (runtime/cpu/kernels/masked-steps.ts says why). The mask words are all-ones or zero, so masking
 * is a bitwise and/select: exact, whatever the values. The arithmetic is the JS cells'
 * (runtime/cpu/kernels/recurrent.ts) in the same order, in float32, and the LSTM's tanh(c) is the
 * module's tanh (transcendental-module.ts) instead of Math.tanh.
 */
const i32 = Type.i32;
const v128 = Type.v128;

const mul = (...xs: Code[]): number[] => xs.slice(1).reduce<number[]>((acc, x) => [...acc, ...x, ...Op.f32x4Mul], [...xs[0]!]);
const add = (a: Code, b: Code): number[] => [...a, ...b, ...Op.f32x4Add];
const sub = (a: Code, b: Code): number[] => [...a, ...b, ...Op.f32x4Sub];
const ONE = Simd.const4(1);
/** 1 − x·x. */
const oneMinusSquare = (x: Code): number[] => sub(ONE, mul(x, x));
/** x and 1 − x, the factors of the logistic's slope (multiplied in the JS cells' order). */
const slope = (x: Code): [Code, number[]] => [x, sub(ONE, x)];

/** select_rows: dst = mask ? a : b, row by row. */
const selectRows: Build = (_e, f) => {
  f.declare(i32, 'pd', 'pa', 'pb');
  f.declare(v128, 'm');
  const at = (base: string, stride: string): number[] => [...f.get(base), ...f.get('r'), ...f.get(stride), ...Op.i32Mul, ...Op.i32Add];
  const load = (p: string): number[] => [...f.get(p), ...f.get('j'), ...Op.i32Add, ...Op.v128Load(0)];
  return f.for('r', Op.i32Const(0), f.get('rows'), Op.i32Const(1), [
    ...f.set('pd', at('dst', 'dstStride')), ...f.set('pa', at('a', 'aStride')), ...f.set('pb', at('b', 'bStride')),
    ...f.set('m', [...at('mask', 'maskStride'), ...Op.i32Load(0), ...Op.i32x4Splat]),
    ...f.for('j', Op.i32Const(0), f.get('bytes'), Op.i32Const(16), [
      ...f.get('pd'), ...f.get('j'), ...Op.i32Add,
      ...load('pa'), ...load('pb'), ...f.get('m'), ...Op.v128Bitselect,
      ...Op.v128Store(0),
    ]),
  ]);
};

const BACK_PARAMS = ['saved', 'prev', 'sStride', 'pStride', 'dh', 'dxw', 'xStride', 'dhw', 'hStride', 'mask', 'mStride', 'carry', 'direct', 'rows', 'uBytes'];

/** What a cell's step body sees: loads of its saved slots, writes of its gradients, the row's mask. */
interface Step {
  f: WasmFunction;
  e: Emitter;
  /** Slot k (in units) of the step's saved row, or of the previous step's. */
  saved(k: number): number[];
  prev(k: number): number[];
  /** The [rows, u] vectors dh, carry, direct at this unit. */
  unit(base: 'dh' | 'carry' | 'direct'): number[];
  setUnit(base: 'carry' | 'direct', value: Code): number[];
  /** Gate k's gradient into dxw (and dhw unless `dhwValue` differs), zeroed on a masked row. */
  gate(k: number, value: Code, dhwValue?: Code): number[];
  /** The row's mask as four lanes of all-ones or zero. */
  mask: number[];
}

/** For each row and each 16 bytes of a unit slot: the cell's body (the loop of every backward cell). */
function backCell(body: (s: Step) => number[]): Build {
  return (e, f) => {
    f.declare(i32, 'ps', 'pp', 'px', 'ph', 'pu');
    f.declare(v128, 'm', 'v0', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7');
    const slotAt = (base: string, k: number): number[] => [...f.get(base), ...f.get('j'), ...Op.i32Add, ...(k === 0 ? [] : [...f.get('uBytes'), ...Op.i32Const(k), ...Op.i32Mul, ...Op.i32Add])];
    const unitAt = (base: string): number[] => [...f.get(base), ...f.get('pu'), ...Op.i32Add, ...f.get('j'), ...Op.i32Add];
    const masked = (value: Code): number[] => [...value, ...f.get('m'), ...Op.v128And];
    const step: Step = {
      f,
      e,
      saved: (k) => [...slotAt('ps', k), ...Op.v128Load(0)],
      prev: (k) => [...slotAt('pp', k), ...Op.v128Load(0)],
      unit: (base) => [...unitAt(base), ...Op.v128Load(0)],
      setUnit: (base, value) => [...unitAt(base), ...value, ...Op.v128Store(0)],
      gate: (k, value, dhwValue) =>
        dhwValue === undefined
          ? [...f.set('v7', masked(value)), ...slotAt('px', k), ...f.get('v7'), ...Op.v128Store(0), ...slotAt('ph', k), ...f.get('v7'), ...Op.v128Store(0)]
          : [...slotAt('px', k), ...masked(value), ...Op.v128Store(0), ...slotAt('ph', k), ...masked(dhwValue), ...Op.v128Store(0)],
      mask: f.get('m'),
    };
    const rowAt = (base: string, stride: string): number[] => [...f.get(base), ...f.get('r'), ...f.get(stride), ...Op.i32Mul, ...Op.i32Add];
    return f.for('r', Op.i32Const(0), f.get('rows'), Op.i32Const(1), [
      ...f.set('ps', rowAt('saved', 'sStride')), ...f.set('pp', rowAt('prev', 'pStride')),
      ...f.set('px', rowAt('dxw', 'xStride')), ...f.set('ph', rowAt('dhw', 'hStride')),
      ...f.set('pu', [...f.get('r'), ...f.get('uBytes'), ...Op.i32Mul]),
      ...f.set('m', [...rowAt('mask', 'mStride'), ...Op.i32Load(0), ...Op.i32x4Splat]),
      ...f.for('j', Op.i32Const(0), f.get('uBytes'), Op.i32Const(16), body(step)),
    ]);
  };
}

/** dh on a masked row, 0 elsewhere: what passes straight to h_{t−1}. */
const passedOn = (s: Step): number[] => [...s.unit('dh'), ...s.mask, ...Op.v128AndNot];

/** da = dh·(1 − h²), h = saved[0]. */
const rnnBack = backCell((s) => [...s.gate(0, mul(s.unit('dh'), oneMinusSquare(s.saved(0)))), ...s.setUnit('direct', passedOn(s))]);

/** Saved i f g o c h; prev's c is c_{t−1}. Locals: v0 dh, v1 tanh(c), v2 dc, v3 carry in. */
const lstmBack = backCell((s) => {
  const { f, e } = s;
  const [dh, tc, dc, carry] = ['v0', 'v1', 'v2', 'v3'].map((n) => f.get(n)) as [number[], number[], number[], number[]];
  const [i, fg, g, o, c] = [0, 1, 2, 3, 4].map((k) => s.saved(k)) as [number[], number[], number[], number[], number[]];
  return [
    ...f.set('v0', s.unit('dh')),
    ...f.set('v1', e.tanh(c)),
    ...f.set('v3', s.unit('carry')),
    ...f.set('v2', add(carry, mul(dh, o, oneMinusSquare(tc)))),
    ...s.setUnit('carry', [...mul(dc, fg), ...carry, ...s.mask, ...Op.v128Bitselect]),
    ...s.gate(0, mul(dc, g, ...slope(i))),
    ...s.gate(1, mul(dc, s.prev(4), ...slope(fg))),
    ...s.gate(2, mul(dc, i, oneMinusSquare(g))),
    ...s.gate(3, mul(dh, tc, ...slope(o))),
    ...s.setUnit('direct', passedOn(s)),
  ];
});

/** Saved r z n hn h; prev's h is h_{t−1}. Locals: v0 dh, v1 z, v2 dan, v3 r. */
const gruBack = backCell((s) => {
  const { f } = s;
  const [dh, z, dan, r] = ['v0', 'v1', 'v2', 'v3'].map((n) => f.get(n)) as [number[], number[], number[], number[]];
  return [
    ...f.set('v0', s.unit('dh')),
    ...f.set('v1', s.saved(1)),
    ...f.set('v3', s.saved(0)),
    ...f.set('v2', mul(dh, sub(ONE, z), oneMinusSquare(s.saved(2)))),
    ...s.gate(0, mul(dan, s.saved(3), ...slope(r))),
    ...s.gate(1, mul(dh, sub(s.prev(4), s.saved(2)), ...slope(z))),
    ...s.gate(2, dan, mul(dan, r)),
    ...s.setUnit('direct', [...mul(dh, z), ...dh, ...s.mask, ...Op.v128Bitselect]),
  ];
});

const FUNCTIONS = {
  add_rows: fn(['dst', 'dstStride', 'a', 'aStride', 'b', 'bStride', 'rows', 'bytes'], addRows),
  select_rows: fn(['dst', 'dstStride', 'a', 'aStride', 'b', 'bStride', 'mask', 'maskStride', 'rows', 'bytes'], selectRows),
  rnn_back: fn(BACK_PARAMS, rnnBack),
  lstm_back: fn(BACK_PARAMS, lstmBack),
  gru_back: fn(BACK_PARAMS, gruBack),
};

export type RecurrentFunction = keyof typeof FUNCTIONS;
export const RECURRENT_FUNCTIONS = Object.keys(FUNCTIONS) as RecurrentFunction[];

/** The module over an imported memory of at most `maxPages` pages, `shared` or not (the GEMM's: recurrent-steps.ts). */
export function recurrentModuleBytes(fma: boolean, maxPages: number, shared = false): Uint8Array<ArrayBuffer> {
  const built = Object.entries(FUNCTIONS).map(([n, make]) => ({ n, ...make(fma) }));
  return moduleOfFunctions(
    built.map(({ n, f, code }) => ({ name: n, type: f.type(), body: f.body(code) })),
    importedMemorySection(shared, maxPages),
  );
}
