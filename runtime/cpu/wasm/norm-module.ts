import { MAX_MEMORY_PAGES } from '../threads/threaded-module.js';
import { channelSums, type ChannelSums } from './channel-sums.js';
import { importedMemorySection, moduleOfFunctions, Op, Type } from './wasm-bytes.js';
import { WasmFunction } from './wasm-function.js';

/**
 * Batch normalisation's passes over [rows, C] (channels last, C a multiple of 4) as float32
 * WebAssembly SIMD loops, four channels a vector, rows in order, so each channel's sums are taken in
 * the JS kernel's order (runtime/cpu/kernels/normalization.ts). The module imports its memory (the
 * GEMM module's: norm-simd.ts) and exports, with byte addresses and per-channel vectors of C floats:
 *
 *   bn_sum(x, rows, cBytes, sum)                        sum += Σ_r x
 *   bn_sqdev(x, rows, cBytes, mean, sum)                sum += Σ_r (x − mean)²
 *   bn_apply(x, y, rows, cBytes, mean, invstd, g, b)    y = g·(x − mean)·invstd + b
 *   bn_grad_sums(dy, x, rows, cBytes, mean, invstd, db, dg)   db += Σ dy, dg += Σ dy·(x − mean)·invstd
 *   bn_grad_apply(dy, x, dx, rows, cBytes, mean, invstd, k, db, dg, n)
 *                                                       dx = k·(n·dy − db − (x − mean)·invstd·dg)
 *   gn_grad_apply(dy, x, dx, rows, cBytes, a, k, mean, c0)   dx = a·dy + k·(x − mean) + c0 (groupnorm's, groupnorm-simd.ts)
 *
 * `n` (f32) is the row count, `k` the per-channel gamma·invstd / rows. Each function also takes
 * (start, end), last, so that it runs on the worker pool (threads/threaded-module.ts): the sums
 * (bn_sum, bn_sqdev, bn_grad_sums) do the channel groups [start, end) (a group: 4 channels, 16 bytes)
 * over all the rows, so each channel's sums still run over the rows in order, the same bits on any
 * number of threads, holding them in registers through all the rows, a run of up to 4 groups at a
 * time (channel-sums.ts, which says why and what it gained): the same adds in the same order as a
 * sum in memory. The element-wise passes (bn_apply, bn_grad_apply, gn_grad_apply) do the rows
 * [start, end), every channel: split by channels, each thread wrote every other 64 bytes of every
 * row, so both went through the whole tensor and the cache lines of each 128-byte row (32 channels)
 * moved between their cores. digits-cnn's training step ([9216, 32]), 2 threads, the two builds
 * interleaved: bn_apply 224–225 → 81–86 µs, bn_grad_apply 167–253 → 108–129 µs.
 */
const i32 = Type.i32;
const load = (f: WasmFunction, base: string, offset: string): number[] => [...f.get(base), ...f.get(offset), ...Op.i32Add, ...Op.v128Load(0)];
const mul = (a: number[], b: number[]): number[] => [...a, ...b, ...Op.f32x4Mul];
const add = (a: number[], b: number[]): number[] => [...a, ...b, ...Op.f32x4Add];
const sub = (a: number[], b: number[]): number[] => [...a, ...b, ...Op.f32x4Sub];

/** The byte offset of a channel group (`start` or `end`). */
const group = (f: WasmFunction, tile: string): number[] => [...f.get(tile), ...Op.i32Const(16), ...Op.i32Mul];

/**
 * for each row r in [start, end): for j (bytes, step 16) over all its channels: `body` with `row` =
 * the row's byte offset and `j`; row advances by cBytes.
 */
function rowsInRange(f: WasmFunction, body: number[]): number[] {
  return [
    ...f.set('row', [...f.get('start'), ...f.get('cBytes'), ...Op.i32Mul]),
    ...f.for('r', f.get('start'), f.get('end'), Op.i32Const(1), [
      ...f.for('j', Op.i32Const(0), f.get('cBytes'), Op.i32Const(16), body),
      ...f.bump('row', f.get('cBytes')),
    ]),
  ];
}

/** The byte address `base + row + j`, pushed. */
const at = (f: WasmFunction, base: string): number[] => [...f.get(base), ...f.get('row'), ...Op.i32Add, ...f.get('j'), ...Op.i32Add];
/** v128 at `base + j` (a per-channel vector). */
const channel = (f: WasmFunction, base: string): number[] => load(f, base, 'j');
/** v128 at `base + row + j` (an element of the [rows, C] tensor). */
const element = (f: WasmFunction, base: string): number[] => [...at(f, base), ...Op.v128Load(0)];
/** The sums over all rows for the groups [start, end), in registers (channel-sums.ts). */
const byGroups = (f: WasmFunction, spec: ChannelSums): number[] => channelSums(f, spec, group(f, 'start'), group(f, 'end'));

function fn(params: string[], build: (f: WasmFunction) => number[], f32Params: string[] = []): { f: WasmFunction; code: number[] } {
  const f = new WasmFunction([...params.map((p) => [p, i32] as const), ...f32Params.map((p) => [p, Type.f32] as const), ['start', i32], ['end', i32]]);
  f.declare(i32, 'r', 'j', 'row');
  f.declare(Type.v128, 'd');
  return { f, code: build(f) };
}

const FUNCTIONS = {
  bn_sum: fn(['x', 'rows', 'cBytes', 'sum'], (f) => byGroups(f, { sums: ['sum'], tensors: ['x'], channels: [], terms: (g) => g.accumulate('sum', g.element('x')) })),
  bn_sqdev: fn(['x', 'rows', 'cBytes', 'mean', 'sum'], (f) =>
    byGroups(f, {
      sums: ['sum'],
      tensors: ['x'],
      channels: ['mean'],
      terms: (g) => [...f.set('d', sub(g.element('x'), g.channel('mean'))), ...g.accumulate('sum', mul(f.get('d'), f.get('d')))],
    }),
  ),
  bn_apply: fn(['x', 'y', 'rows', 'cBytes', 'mean', 'invstd', 'g', 'b'], (f) =>
    rowsInRange(f, [
      ...at(f, 'y'),
      ...add(mul(mul(channel(f, 'g'), sub(element(f, 'x'), channel(f, 'mean'))), channel(f, 'invstd')), channel(f, 'b')),
      ...Op.v128Store(0),
    ]),
  ),
  bn_grad_sums: fn(['dy', 'x', 'rows', 'cBytes', 'mean', 'invstd', 'db', 'dg'], (f) =>
    byGroups(f, {
      sums: ['db', 'dg'],
      tensors: ['dy', 'x'],
      channels: ['mean', 'invstd'],
      terms: (g) => [
        ...f.set('d', g.element('dy')),
        ...g.accumulate('db', f.get('d')),
        ...g.accumulate('dg', mul(mul(f.get('d'), sub(g.element('x'), g.channel('mean'))), g.channel('invstd'))),
      ],
    }),
  ),
  bn_grad_apply: fn(
    ['dy', 'x', 'dx', 'rows', 'cBytes', 'mean', 'invstd', 'k', 'db', 'dg'],
    (f) => {
      f.declare(Type.v128, 'nv');
      return [
        ...f.set('nv', [...f.get('n'), ...Op.f32x4Splat]),
        ...rowsInRange(f, [
          ...at(f, 'dx'),
          ...mul(channel(f, 'k'), sub(sub(mul(f.get('nv'), element(f, 'dy')), channel(f, 'db')), mul(mul(sub(element(f, 'x'), channel(f, 'mean')), channel(f, 'invstd')), channel(f, 'dg')))),
          ...Op.v128Store(0),
        ]),
      ];
    },
    ['n'],
  ),
  gn_grad_apply: fn(['dy', 'x', 'dx', 'rows', 'cBytes', 'a', 'k', 'mean', 'c0'], (f) =>
    rowsInRange(f, [
      ...at(f, 'dx'),
      ...add(add(mul(channel(f, 'a'), element(f, 'dy')), mul(channel(f, 'k'), sub(element(f, 'x'), channel(f, 'mean')))), channel(f, 'c0')),
      ...Op.v128Store(0),
    ]),
  ),
};

export type NormFunction = keyof typeof FUNCTIONS;

/** The exports, in order. */
export const NORM_FUNCTIONS = Object.keys(FUNCTIONS) as NormFunction[];

/** The module over the GEMM's memory, `shared` as that one is (threads/threaded-module.ts). */
export function normModuleBytes(shared = false): Uint8Array<ArrayBuffer> {
  const entries = Object.entries(FUNCTIONS);
  return moduleOfFunctions(
    entries.map(([n, { f, code }]) => ({ name: n, type: f.type(), body: f.body(code) })),
    importedMemorySection(shared, MAX_MEMORY_PAGES),
  );
}
