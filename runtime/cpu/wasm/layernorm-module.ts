import { MAX_MEMORY_PAGES } from '../threads/threaded-module.js';
import { channelSums } from './channel-sums.js';
import { add, laneSum, load, mul, overRows, Simd, single, store, storeLane0, sub, tail, vectors } from './row-code.js';
import { importedMemorySection, moduleOfFunctions, Op, Type } from './wasm-bytes.js';
import { WasmFunction } from './wasm-function.js';

/**
 * Layer normalisation over the last axis of [rows, C] and its gradients, as
 * float32 WebAssembly SIMD passes over an imported memory (the GEMM module's: layernorm-simd.ts).
 * Byte addresses; `scalars` holds two float32, ε and C. The row passes take the rows [start, end)
 * last, the parameter gradients' pass the channel groups [start, end) (4 channels, 16 bytes), so
 * each runs on the worker pool with each value computed by the same instructions on any thread:
 *
 *   ln_forward(x, y, mean, invstd, g, b, cBytes, scalars)   per row: mean = Σx / C,
 *       invstd = 1/√(Σ(x − mean)²/C + ε) (one float each a row), y = g·(x − mean)·invstd + b
 *   ln_grad_rows(dy, x, g, mean, invstd, dx, cBytes, scalars)   per row, with x̂ = (x − mean)·invstd
 *       and d = dy·g: dx = (invstd/C)·(C·d − Σd − x̂·Σd·x̂)
 *   ln_param_grads(dy, x, mean, invstd, dg, db, rows, cBytes)   per channel, over the rows in
 *       order: dg += Σ dy·x̂, db += Σ dy
 *
 * A C that is not a multiple of 4 ends each row with 1-3 columns taken one float at a time
 * (row-code.ts's tail; ln_param_grads's last group likewise), none read or written past the row.
 * The JS kernels (runtime/cpu/kernels/normalization.ts) take the row sums in float64; these in
 * float32 four lanes at a time: tolerances in test/runtime/cpu/layernorm-simd.test.ts.
 */
const i32 = Type.i32;
const v128 = Type.v128;
type Code = readonly number[];

/** The per-channel vector at base + j (gamma, beta, the parameter gradients). */
const channel = (f: WasmFunction, base: string): number[] => [...f.get(base), ...f.get('j'), ...Op.i32Add, ...Op.v128Load(0)];
/** The channel's float at base + j in lane 0, zeros elsewhere (a tail column). */
const channelSingle = (f: WasmFunction, base: string): number[] => [...f.get(base), ...f.get('j'), ...Op.i32Add, ...Simd.v128Load32Zero];
/** Lane 0 of a vector, zeros elsewhere (a tail term whose other lanes are not zero). */
const lane0 = (v: Code): number[] => [...v, ...Simd.lane0, ...Op.v128And];
/** The float at base + r·4, in every lane (a row's mean or invstd). */
const perRow = (f: WasmFunction, base: string): number[] => [...f.get(base), ...f.get('r'), ...Op.i32Const(4), ...Op.i32Mul, ...Op.i32Add, ...Op.v128Load32Splat(0)];
/** Stores an f32 at base + r·4. */
const storeRow = (f: WasmFunction, base: string, value: Code): number[] => [...f.get(base), ...f.get('r'), ...Op.i32Const(4), ...Op.i32Mul, ...Op.i32Add, ...value, ...Op.f32Store(0)];

function fn(params: string[], build: (f: WasmFunction) => number[]): { f: WasmFunction; code: number[] } {
  const f = new WasmFunction([...params.map((p) => [p, i32] as const), ['start', i32], ['end', i32]]);
  f.declare(i32, 'r', 'j', 'row', 'c16', 'stop');
  f.declare(v128, 'acc', 'acc2', 'mv', 'iv', 'd', 'xhat');
  f.declare(Type.f32, 'eps', 'c', 'm', 'inv', 's1', 's2');
  return { f, code: build(f) };
}

/** eps and c from `scalars`. */
const readScalars = (f: WasmFunction): number[] => [
  ...f.set('eps', [...f.get('scalars'), ...Op.f32Load(0)]),
  ...f.set('c', [...f.get('scalars'), ...Op.f32Load(4)]),
];
const splatF = (f: WasmFunction, n: string): number[] => [...f.get(n), ...Op.f32x4Splat];

const FUNCTIONS = {
  ln_forward: fn(['x', 'y', 'mean', 'invstd', 'g', 'b', 'cBytes', 'scalars'], (f) => [
    ...readScalars(f),
    ...overRows(f, [
      ...f.set('acc', Op.v128Zero),
      ...vectors(f, f.set('acc', add(f.get('acc'), load(f, 'x')))),
      ...tail(f, f.set('acc', add(f.get('acc'), single(f, 'x')))),
      ...f.set('m', [...laneSum(f, 'acc'), ...f.get('c'), ...Simd.f32Div]),
      ...f.set('mv', splatF(f, 'm')),
      ...f.set('acc', Op.v128Zero),
      ...vectors(f, [...f.set('d', sub(load(f, 'x'), f.get('mv'))), ...f.set('acc', add(f.get('acc'), mul(f.get('d'), f.get('d'))))]),
      ...tail(f, [...f.set('d', lane0(sub(single(f, 'x'), f.get('mv')))), ...f.set('acc', add(f.get('acc'), mul(f.get('d'), f.get('d'))))]),
      // inv = 1 / √(Σ/C + ε)
      ...f.set('inv', [...Op.f32Const(1), ...laneSum(f, 'acc'), ...f.get('c'), ...Simd.f32Div, ...f.get('eps'), ...Op.f32Add, ...Simd.f32Sqrt, ...Simd.f32Div]),
      ...storeRow(f, 'mean', f.get('m')),
      ...storeRow(f, 'invstd', f.get('inv')),
      ...f.set('iv', splatF(f, 'inv')),
      ...vectors(f, store(f, 'y', add(mul(mul(channel(f, 'g'), sub(load(f, 'x'), f.get('mv'))), f.get('iv')), channel(f, 'b')))),
      ...tail(f, storeLane0(f, 'y', add(mul(mul(channelSingle(f, 'g'), sub(single(f, 'x'), f.get('mv'))), f.get('iv')), channelSingle(f, 'b')))),
    ]),
  ]),
  ln_grad_rows: fn(['dy', 'x', 'g', 'mean', 'invstd', 'dx', 'cBytes', 'scalars'], (f) => [
    ...readScalars(f),
    ...overRows(f, [
      ...f.set('mv', perRow(f, 'mean')),
      ...f.set('iv', perRow(f, 'invstd')),
      ...f.set('acc', Op.v128Zero),
      ...f.set('acc2', Op.v128Zero),
      ...vectors(f, [
        ...f.set('d', mul(load(f, 'dy'), channel(f, 'g'))),
        ...f.set('acc', add(f.get('acc'), f.get('d'))),
        ...f.set('acc2', add(f.get('acc2'), mul(f.get('d'), mul(sub(load(f, 'x'), f.get('mv')), f.get('iv'))))),
      ]),
      // Tail columns: d's other lanes are 0 (dy and g loaded alone), x̂'s are not: keep lane 0.
      ...tail(f, [
        ...f.set('d', mul(single(f, 'dy'), channelSingle(f, 'g'))),
        ...f.set('acc', add(f.get('acc'), f.get('d'))),
        ...f.set('acc2', add(f.get('acc2'), lane0(mul(f.get('d'), mul(sub(single(f, 'x'), f.get('mv')), f.get('iv')))))),
      ]),
      ...f.set('s1', laneSum(f, 'acc')),
      ...f.set('s2', laneSum(f, 'acc2')),
      // acc = splat(C), acc2 = splat(Σd), d = splat(Σd·x̂), mv's lanes stay the mean; k = invstd / C in `inv`.
      ...f.set('inv', [...perRow(f, 'invstd'), ...Op.f32x4ExtractLane(0), ...f.get('c'), ...Simd.f32Div]),
      ...f.set('acc', splatF(f, 'c')),
      ...f.set('acc2', splatF(f, 's1')),
      ...f.set('d', splatF(f, 's2')),
      ...vectors(f, [
        ...f.set('xhat', mul(sub(load(f, 'x'), f.get('mv')), f.get('iv'))),
        ...store(f, 'dx', mul(splatF(f, 'inv'), sub(sub(mul(mul(f.get('acc'), load(f, 'dy')), channel(f, 'g')), f.get('acc2')), mul(f.get('xhat'), f.get('d'))))),
      ]),
      ...tail(f, [
        ...f.set('xhat', mul(sub(single(f, 'x'), f.get('mv')), f.get('iv'))),
        ...storeLane0(f, 'dx', mul(splatF(f, 'inv'), sub(sub(mul(mul(f.get('acc'), single(f, 'dy')), channelSingle(f, 'g')), f.get('acc2')), mul(f.get('xhat'), f.get('d'))))),
      ]),
    ]),
  ]),
  ln_param_grads: fn(['dy', 'x', 'mean', 'invstd', 'dg', 'db', 'rows', 'cBytes'], (f) => {
    const group = (tile: string): number[] => [...f.get(tile), ...Op.i32Const(16), ...Op.i32Mul];
    // A tail channel's float alone (a whole vector would reach past the row and the gradients).
    const accumulateLane0 = (base: string, value: Code): number[] => [...f.get(base), ...f.get('j'), ...Op.i32Add, ...add(channelSingle(f, base), value), ...Op.f32x4ExtractLane(0), ...Op.f32Store(0)];
    const rowStats = [...f.set('mv', perRow(f, 'mean')), ...f.set('iv', perRow(f, 'invstd'))];
    return [
      // The tile's whole groups end at min(16·end, c16), summed in registers (channel-sums.ts); the
      // group of the 1-3 tail channels (the last tile's last) one channel at a time, in memory.
      ...f.set('c16', [...f.get('cBytes'), ...Op.i32Const(-16), ...Op.i32And]),
      ...f.set('stop', group('end')),
      ...f.set('stop', [...f.get('stop'), ...f.get('c16'), ...f.get('stop'), ...f.get('c16'), ...Op.i32LtS, ...Op.select]),
      ...channelSums(
        f,
        {
          sums: ['db', 'dg'],
          tensors: ['dy', 'x'],
          channels: [],
          perRow: rowStats,
          terms: (g) => [
            ...f.set('d', g.element('dy')),
            ...g.accumulate('db', f.get('d')),
            ...g.accumulate('dg', mul(f.get('d'), mul(sub(g.element('x'), f.get('mv')), f.get('iv')))),
          ],
        },
        group('start'),
        f.get('stop'),
      ),
      ...[...group('end'), ...f.get('cBytes'), ...Op.i32GtS],
      ...Op.if,
      ...f.set('row', Op.i32Const(0)),
      ...f.for('r', Op.i32Const(0), f.get('rows'), Op.i32Const(1), [
        ...rowStats,
        ...f.for('j', f.get('c16'), f.get('cBytes'), Op.i32Const(4), [
          ...f.set('d', single(f, 'dy')),
          ...accumulateLane0('db', f.get('d')),
          ...accumulateLane0('dg', mul(f.get('d'), mul(sub(single(f, 'x'), f.get('mv')), f.get('iv')))),
        ]),
        ...f.bump('row', f.get('cBytes')),
      ]),
      ...Op.end,
    ];
  }),
};

export type LayernormFunction = keyof typeof FUNCTIONS;

/** The exports, in order. */
export const LAYERNORM_FUNCTIONS = Object.keys(FUNCTIONS) as LayernormFunction[];

/** The module over the GEMM's memory, `shared` as that one is (threads/threaded-module.ts). */
export function layernormModuleBytes(shared = false): Uint8Array<ArrayBuffer> {
  const entries = Object.entries(FUNCTIONS);
  return moduleOfFunctions(
    entries.map(([n, { f, code }]) => ({ name: n, type: f.type(), body: f.body(code) })),
    importedMemorySection(shared, MAX_MEMORY_PAGES),
  );
}
