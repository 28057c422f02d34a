import { MAX_MEMORY_PAGES } from '../threads/threaded-module.js';
import { add, div, laneMax, laneSum, load, max, mul, overRows, Simd, single, splat, store, storeLane0, sub, tail, vectors } from './row-code.js';
import { Emitter } from './transcendental-module.js';
import { importedMemorySection, moduleOfFunctions, Op, Type } from './wasm-bytes.js';
import { WasmFunction } from './wasm-function.js';

/**
 * Softmax and log-softmax over the last axis, and their gradients, as float32 WebAssembly SIMD row
 * passes over an imported memory (the GEMM module's: softmax-simd.ts). Rows have any length (a tail
 * of 1–3 floats is computed one at a time); each export takes byte addresses, the row length in bytes
 * and, last, the rows [start, end) it computes, so it runs on the worker pool split by rows, each row
 * computed by the same instructions on any thread:
 *
 *   softmax(x, y, stats, cBytes, scalars)   y = scale · e^(x − max) / Σ e^(x − max), scale the f32 at
 *                                           `scalars`; per row r, stats[2r] = max, stats[2r+1] = Σ
 *   sub_rows(x, y, stats, cBytes)           y = x − stats[2r] (log-softmax, stats[2r] = max + ln Σ)
 *   softmax_grad(dy, s, dx, cBytes)         dx = s · (dy − Σ dy·s)
 *   log_softmax_grad(dy, l, dx, cBytes)     dx = dy − e^l · Σ dy
 *   cross_entropy_rows(z, t, g, stats, cBytes, scalars)   the dense softmax cross-entropy (below)
 *   smoothed_rows(z, g, stats, weights, cBytes, scalars)   the sparse one with label smoothing and class weights (below)
 *   label_cross_entropy_rows(z, t, g, stats, cw, weighted, cBytes, scalars)   the dense one with them (below)
 *   attention_softmax(x, y, mask, maskStride, bits, causal, cBytes, scalars)   attention's masked softmax (below)
 *   attention_softmax_grad(dy, s, dx, cBytes, scalars)   dx = s · (dy − Σ dy·s) · scale
 *
 * exp is transcendental-module.ts's (its error is stated there); sums are taken four lanes at a
 * time in float32, where the JS kernels (runtime/cpu/kernels/softmax.ts) sum in float64 in order.
 */
const i32 = Type.i32;
const v128 = Type.v128;

function fn(params: string[], build: (f: WasmFunction, e: Emitter) => number[]): (fma: boolean) => { f: WasmFunction; code: number[] } {
  return (fma) => {
    const f = new WasmFunction([...params.map((p) => [p, i32] as const), ['start', i32], ['end', i32]]);
    f.declare(i32, 'r', 'j', 'row', 'c16', 'stat');
    f.declare(v128, 'acc', 'mv', 'e');
    f.declare(Type.f32, 'm', 'total');
    const e = new Emitter(f, fma);
    return { f, code: build(f, e) };
  };
}

/** stat = stats + r·8: this row's two statistics. */
const statOfRow = (f: WasmFunction): number[] => f.set('stat', [...f.get('stats'), ...f.get('r'), ...Op.i32Const(8), ...Op.i32Mul, ...Op.i32Add]);

const softmax = fn(['x', 'y', 'stats', 'cBytes', 'scalars'], (f, e) => {
  f.declare(v128, 'scale');
  return [
    ...f.set('scale', [...f.get('scalars'), ...Op.v128Load32Splat(0)]),
    ...overRows(f, [
      ...statOfRow(f),
      ...f.set('acc', Simd.const4(-Infinity)),
      ...vectors(f, f.set('acc', max(f.get('acc'), load(f, 'x')))),
      ...tail(f, f.set('acc', max(f.get('acc'), splat(f, 'x')))),
      ...f.set('m', laneMax(f, 'acc')),
      ...f.set('mv', [...f.get('m'), ...Op.f32x4Splat]),
      ...f.set('acc', Op.v128Zero),
      ...vectors(f, [...f.set('e', e.exp(sub(load(f, 'x'), f.get('mv')))), ...store(f, 'y', f.get('e')), ...f.set('acc', add(f.get('acc'), f.get('e')))]),
      ...tail(f, [
        ...f.set('e', e.exp(sub(splat(f, 'x'), f.get('mv')))),
        ...storeLane0(f, 'y', f.get('e')),
        ...f.set('acc', add(f.get('acc'), [...f.get('e'), ...Simd.lane0, ...Op.v128And])),
      ]),
      ...f.set('total', laneSum(f, 'acc')),
      ...f.get('stat'), ...f.get('m'), ...Op.f32Store(0),
      ...f.get('stat'), ...f.get('total'), ...Op.f32Store(4),
      ...f.set('mv', [...f.get('total'), ...Op.f32x4Splat]),
      ...vectors(f, store(f, 'y', mul(div(load(f, 'y'), f.get('mv')), f.get('scale')))),
      ...tail(f, storeLane0(f, 'y', mul(div(splat(f, 'y'), f.get('mv')), f.get('scale')))),
    ]),
  ];
});

const subRows = fn(['x', 'y', 'stats', 'cBytes'], (f) =>
  overRows(f, [
    ...statOfRow(f),
    ...f.set('mv', [...f.get('stat'), ...Op.v128Load32Splat(0)]),
    ...vectors(f, store(f, 'y', sub(load(f, 'x'), f.get('mv')))),
    ...tail(f, storeLane0(f, 'y', sub(splat(f, 'x'), f.get('mv')))),
  ]),
);

/** dx = s · (dy − Σ dy·s), times `scale` (a vector) when there is one. */
function softmaxGradRows(f: WasmFunction, scale: number[] | null): number[] {
  const scaled = (v: number[]): number[] => (scale ? mul(v, scale) : v);
  return overRows(f, [
    ...f.set('acc', Op.v128Zero),
    ...vectors(f, f.set('acc', add(f.get('acc'), mul(load(f, 'dy'), load(f, 's'))))),
    ...tail(f, f.set('acc', add(f.get('acc'), mul(single(f, 'dy'), single(f, 's'))))),
    ...f.set('mv', [...laneSum(f, 'acc'), ...Op.f32x4Splat]),
    ...vectors(f, store(f, 'dx', scaled(mul(load(f, 's'), sub(load(f, 'dy'), f.get('mv')))))),
    ...tail(f, storeLane0(f, 'dx', scaled(mul(splat(f, 's'), sub(splat(f, 'dy'), f.get('mv')))))),
  ]);
}

const softmaxGrad = fn(['dy', 's', 'dx', 'cBytes'], (f) => softmaxGradRows(f, null));

/** attention's dS = P ⊙ (dP − Σ dP·P) · scale, the scale the f32 at `scalars`. */
const attentionSoftmaxGrad = fn(['dy', 's', 'dx', 'cBytes', 'scalars'], (f) => {
  f.declare(v128, 'scale');
  return [...f.set('scale', [...f.get('scalars'), ...Op.v128Load32Splat(0)]), ...softmaxGradRows(f, f.get('scale'))];
});

/**
 * Attention's probabilities from its scores, row r being query r of one (batch, head): y = softmax of
 * x·scale over the keys kept, 0 at the others, and a row with no key kept all 0 (not the NaN of a
 * softmax over −∞ alone). Key j of row r is kept unless causal and j > r, or the mask's float at
 * mask + r·maskStride + 4j is 0: maskStride is 0 for a key mask shared by the rows, cBytes for a
 * mask per query (a row of 1s, stride 0, when there is none). `bits`: the bits of a mask value a
 * kept key has some of, 0x7fffffff for a float mask (so −0 counts as 0), −1 for an int32 one;
 * `causal` 0 or 1; the f32 scale at `scalars`. x and y may be the same row.
 */
const attentionSoftmax = fn(['x', 'y', 'mask', 'maskStride', 'bits', 'causal', 'cBytes', 'scalars'], (f, e) => {
  f.declare(v128, 'scale', 'bitsv', 'limit', 'yv');
  f.declare(i32, 'mrow');
  const minusInf = Simd.const4(-Infinity);
  const maskAt = [...f.get('mask'), ...f.get('mrow'), ...Op.i32Add, ...f.get('j'), ...Op.i32Add];
  // Kept: the lanes' byte columns j + 4·lane below `limit`, and some of the mask's bits set.
  const keep = (maskValue: number[]): number[] => [
    ...f.get('j'), ...Op.i32x4Splat, ...Simd.lanes, ...Simd.i32x4Add, ...f.get('limit'), ...Simd.i32x4LtS,
    ...maskValue, ...f.get('bitsv'), ...Op.v128And, ...Op.v128Zero, ...Op.i32x4Eq,
    ...Op.v128AndNot,
  ];
  const scored = (xValue: number[], maskValue: number[]): number[] => [...mul(xValue, f.get('scale')), ...minusInf, ...keep(maskValue), ...Op.v128Bitselect];
  // e^(y − max) where y was kept, exactly 0 where it is −∞ (exp's clamp would leave ~1e−38).
  const expKept = (yValue: number[]): number[] => [
    ...f.set('yv', yValue),
    ...e.exp(sub(f.get('yv'), f.get('mv'))), ...f.get('yv'), ...minusInf, ...Op.f32x4Gt, ...Op.v128And,
  ];
  return [
    ...f.set('scale', [...f.get('scalars'), ...Op.v128Load32Splat(0)]),
    ...f.set('bitsv', [...f.get('bits'), ...Op.i32x4Splat]),
    ...overRows(f, [
      ...f.set('mrow', [...f.get('r'), ...f.get('maskStride'), ...Op.i32Mul]),
      // Causal: columns j ≤ r, bytes below (r + 1)·4; else all of the row.
      ...f.set('limit', [...f.get('r'), ...Op.i32Const(1), ...Op.i32Add, ...Op.i32Const(2), ...Op.i32Shl, ...f.get('cBytes'), ...f.get('causal'), ...Op.select, ...Op.i32x4Splat]),
      ...f.set('acc', minusInf),
      ...vectors(f, [...f.set('e', scored(load(f, 'x'), [...maskAt, ...Op.v128Load(0)])), ...store(f, 'y', f.get('e')), ...f.set('acc', max(f.get('acc'), f.get('e')))]),
      ...tail(f, [...f.set('e', scored(splat(f, 'x'), [...maskAt, ...Op.v128Load32Splat(0)])), ...storeLane0(f, 'y', f.get('e')), ...f.set('acc', max(f.get('acc'), f.get('e')))]),
      ...f.set('m', laneMax(f, 'acc')),
      ...f.get('m'), ...Op.f32Const(-Infinity), ...Op.f32Gt, ...Op.if,
      ...f.set('mv', [...f.get('m'), ...Op.f32x4Splat]),
      ...f.set('acc', Op.v128Zero),
      ...vectors(f, [...f.set('e', expKept(load(f, 'y'))), ...store(f, 'y', f.get('e')), ...f.set('acc', add(f.get('acc'), f.get('e')))]),
      ...tail(f, [
        ...f.set('e', expKept(splat(f, 'y'))),
        ...storeLane0(f, 'y', f.get('e')),
        ...f.set('acc', add(f.get('acc'), [...f.get('e'), ...Simd.lane0, ...Op.v128And])),
      ]),
      ...f.set('mv', [...laneSum(f, 'acc'), ...Op.f32x4Splat]),
      ...vectors(f, store(f, 'y', div(load(f, 'y'), f.get('mv')))),
      ...tail(f, storeLane0(f, 'y', div(splat(f, 'y'), f.get('mv')))),
      ...Op.else,
      ...vectors(f, store(f, 'y', Op.v128Zero)),
      ...tail(f, storeLane0(f, 'y', Op.v128Zero)),
      ...Op.end,
    ]),
  ];
});

const logSoftmaxGrad = fn(['dy', 'l', 'dx', 'cBytes'], (f, e) =>
  overRows(f, [
    ...f.set('acc', Op.v128Zero),
    ...vectors(f, f.set('acc', add(f.get('acc'), load(f, 'dy')))),
    ...tail(f, f.set('acc', add(f.get('acc'), single(f, 'dy')))),
    ...f.set('mv', [...laneSum(f, 'acc'), ...Op.f32x4Splat]),
    ...vectors(f, store(f, 'dx', sub(load(f, 'dy'), mul(e.exp(load(f, 'l')), f.get('mv'))))),
    ...tail(f, storeLane0(f, 'dx', sub(splat(f, 'dy'), mul(e.exp(splat(f, 'l')), f.get('mv'))))),
  ]),
);

/**
 * The dense softmax cross-entropy's rows, after `softmax` wrote s into g and JS put ln Σ + max into
 * stats[2r]: tsum = Σ t, loss_r = tsum·(max + ln Σ) − Σ t·z into stats[2r+1], g = (s·tsum − t)·k.
 */
const crossEntropyRows = fn(['z', 't', 'g', 'stats', 'cBytes', 'scalars'], (f) => {
  f.declare(v128, 'k', 'acc2', 'tv');
  return [
    ...f.set('k', [...f.get('scalars'), ...Op.v128Load32Splat(0)]),
    ...overRows(f, [
      ...statOfRow(f),
      ...f.set('acc', Op.v128Zero),
      ...f.set('acc2', Op.v128Zero),
      ...vectors(f, [...f.set('tv', load(f, 't')), ...f.set('acc', add(f.get('acc'), f.get('tv'))), ...f.set('acc2', add(f.get('acc2'), mul(f.get('tv'), load(f, 'z'))))]),
      ...tail(f, [...f.set('tv', single(f, 't')), ...f.set('acc', add(f.get('acc'), f.get('tv'))), ...f.set('acc2', add(f.get('acc2'), mul(f.get('tv'), single(f, 'z'))))]),
      ...f.set('total', laneSum(f, 'acc')),
      ...f.get('stat'), ...f.get('total'), ...f.get('stat'), ...Op.f32Load(0), ...Op.f32Mul, ...laneSum(f, 'acc2'), ...Simd.f32Sub, ...Op.f32Store(4),
      ...f.set('mv', [...f.get('total'), ...Op.f32x4Splat]),
      ...vectors(f, store(f, 'g', mul(sub(mul(load(f, 'g'), f.get('mv')), load(f, 't')), f.get('k')))),
      ...tail(f, storeLane0(f, 'g', mul(sub(mul(splat(f, 'g'), f.get('mv')), splat(f, 't')), f.get('k')))),
    ]),
  ];
});

/** The f32 at base + 4·index in every lane. */
const splatAt = (f: WasmFunction, base: string, index: string): number[] => [...f.get(base), ...f.get(index), ...Op.i32Const(4), ...Op.i32Mul, ...Op.i32Add, ...Op.v128Load32Splat(0)];

/**
 * The sparse softmax cross-entropy with label smoothing ε and row weights w (class weights of the
 * labels), after `softmax` wrote s into g and JS put ln Σ + max into stats[2r] and w into weights[r]:
 * of the smoothed target t' = (1 − ε)·onehot(label) + ε/K, the uniform part b = ε/K here —
 * stats[2r+1] = w·(lse − b·Σ z), g = (s − b)·w·k — and the label's part in JS (one value a row).
 * scalars: k, b.
 */
const smoothedRows = fn(['z', 'g', 'stats', 'weights', 'cBytes', 'scalars'], (f) => {
  f.declare(v128, 'k', 'b', 'w');
  return [
    ...f.set('k', [...f.get('scalars'), ...Op.v128Load32Splat(0)]),
    ...f.set('b', [...f.get('scalars'), ...Op.v128Load32Splat(4)]),
    ...overRows(f, [
      ...statOfRow(f),
      ...f.set('w', splatAt(f, 'weights', 'r')),
      ...f.set('acc', Op.v128Zero),
      ...vectors(f, f.set('acc', add(f.get('acc'), load(f, 'z')))),
      ...tail(f, f.set('acc', add(f.get('acc'), single(f, 'z')))),
      // w·(lse − b·Σz)
      ...f.get('stat'),
      ...f.get('stat'), ...Op.f32Load(0), ...f.get('b'), ...Op.f32x4ExtractLane(0), ...laneSum(f, 'acc'), ...Op.f32Mul, ...Simd.f32Sub,
      ...f.get('w'), ...Op.f32x4ExtractLane(0), ...Op.f32Mul,
      ...Op.f32Store(4),
      ...f.set('mv', mul(f.get('w'), f.get('k'))),
      ...vectors(f, store(f, 'g', mul(sub(load(f, 'g'), f.get('b')), f.get('mv')))),
      ...tail(f, storeLane0(f, 'g', mul(sub(splat(f, 'g'), f.get('b')), f.get('mv')))),
    ]),
  ];
});

/**
 * The dense softmax cross-entropy with label smoothing ε and class weights cw, after `softmax` wrote
 * s into g and JS put ln Σ + max into stats[2r]: per row the smoothed target t' = a·t + b (a = 1 − ε,
 * b = ε/K), its weight w = Σ t·cw when `weighted` (else 1), tsum = Σ t', stats[2r+1] =
 * w·(tsum·lse − Σ t'·z), g = (s·tsum − t')·w·k. scalars: k, a, b.
 */
const labelCrossEntropyRows = fn(['z', 't', 'g', 'stats', 'cw', 'weighted', 'cBytes', 'scalars'], (f) => {
  f.declare(v128, 'k', 'a', 'b', 'acc2', 'acc3', 'tv', 'w');
  /** t' of the vector at j; in the tail, lane 0 only (the others would be b). */
  const smoothed = (tv: number[]): number[] => add(mul(tv, f.get('a')), f.get('b'));
  const cwAt = [...f.get('cw'), ...f.get('j'), ...Op.i32Add];
  const sums = (raw: number[], lane0Only: boolean, zv: number[], cwv: number[]): number[] => [
    ...f.set('tv', raw),
    ...f.set('acc3', add(f.get('acc3'), mul(f.get('tv'), cwv))),
    ...f.set('tv', lane0Only ? [...smoothed(f.get('tv')), ...Simd.lane0, ...Op.v128And] : smoothed(f.get('tv'))),
    ...f.set('acc', add(f.get('acc'), f.get('tv'))),
    ...f.set('acc2', add(f.get('acc2'), mul(f.get('tv'), zv))),
  ];
  return [
    ...f.set('k', [...f.get('scalars'), ...Op.v128Load32Splat(0)]),
    ...f.set('a', [...f.get('scalars'), ...Op.v128Load32Splat(4)]),
    ...f.set('b', [...f.get('scalars'), ...Op.v128Load32Splat(8)]),
    ...overRows(f, [
      ...statOfRow(f),
      ...f.set('acc', Op.v128Zero),
      ...f.set('acc2', Op.v128Zero),
      ...f.set('acc3', Op.v128Zero),
      ...vectors(f, sums(load(f, 't'), false, load(f, 'z'), [...cwAt, ...Op.v128Load(0)])),
      ...tail(f, sums(single(f, 't'), true, single(f, 'z'), [...cwAt, ...Op.v128Load32Splat(0)])),
      ...f.set('total', laneSum(f, 'acc')),
      ...f.set('w', [...laneSum(f, 'acc3'), ...Op.f32Const(1), ...f.get('weighted'), ...Op.select, ...Op.f32x4Splat]),
      // w·(tsum·lse − Σ t'·z)
      ...f.get('stat'),
      ...f.get('total'), ...f.get('stat'), ...Op.f32Load(0), ...Op.f32Mul, ...laneSum(f, 'acc2'), ...Simd.f32Sub,
      ...f.get('w'), ...Op.f32x4ExtractLane(0), ...Op.f32Mul,
      ...Op.f32Store(4),
      ...f.set('mv', [...f.get('total'), ...Op.f32x4Splat]),
      ...f.set('w', mul(f.get('w'), f.get('k'))),
      ...vectors(f, store(f, 'g', mul(sub(mul(load(f, 'g'), f.get('mv')), smoothed(load(f, 't'))), f.get('w')))),
      ...tail(f, storeLane0(f, 'g', mul(sub(mul(splat(f, 'g'), f.get('mv')), smoothed(splat(f, 't'))), f.get('w')))),
    ]),
  ];
});

const FUNCTIONS = {
  softmax,
  sub_rows: subRows,
  softmax_grad: softmaxGrad,
  log_softmax_grad: logSoftmaxGrad,
  cross_entropy_rows: crossEntropyRows,
  smoothed_rows: smoothedRows,
  label_cross_entropy_rows: labelCrossEntropyRows,
  attention_softmax: attentionSoftmax,
  attention_softmax_grad: attentionSoftmaxGrad,
};

export type SoftmaxFunction = keyof typeof FUNCTIONS;

/** The exports, in order. */
export const SOFTMAX_FUNCTIONS = Object.keys(FUNCTIONS) as SoftmaxFunction[];

/**
 * The module over the GEMM's memory, `shared` as that one is (threads/threaded-module.ts); `fma`:
 * exp's polynomials with relaxed SIMD's multiply-add (validates only where the engine has it).
 */
export function softmaxModuleBytes(shared: boolean, fma: boolean): Uint8Array<ArrayBuffer> {
  const built = SOFTMAX_FUNCTIONS.map((n) => FUNCTIONS[n](fma));
  return moduleOfFunctions(
    built.map(({ f, code }, i) => ({ name: SOFTMAX_FUNCTIONS[i]!, type: f.type(), body: f.body(code) })),
    importedMemorySection(shared, MAX_MEMORY_PAGES),
  );
}
