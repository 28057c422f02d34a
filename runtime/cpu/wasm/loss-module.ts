import { MAX_MEMORY_PAGES } from '../threads/threaded-module.js';
import { log, mathLocals } from './activation-module.js';
import { TILE_FLOATS } from './elementwise-module.js';
import type { Emitter } from './transcendental-module.js';
import { importedMemorySection, moduleOfFunctions, Op, Type, u32 } from './wasm-bytes.js';
import { WasmFunction } from './wasm-function.js';

/**
 * The per-element losses and their gradients as float32 WebAssembly SIMD passes over an imported
 * memory (the GEMM module's: loss-simd.ts). Every export is
 *
 *   name(pred, target, grad, partials, bytes, scalars, start, end)
 *
 * over the tiles [start, end) of TILE_FLOATS values: with d = p − t and k the f32 at `scalars` (the
 * gradient's scale, 1/n), it writes grad = k·∂loss/∂p for each value and, per tile, the float32 sum of
 * its losses at partials[tile] (lanes past `bytes`, the padding of a count that is not a multiple of
 * 4, left out). The caller sums the partials in tile order, so the loss has the same bits on any
 * number of threads. The second f32 at `scalars` is huber's δ; the third to sixth the labelled
 * binary cross-entropies' smoothing and class weights (below).
 *
 * masked_<name>(pred, target, grad, partials, bytes, scalars, mask, inner, last, start, end) does the
 * same under a mask (the masked_ kernels' third input, f32): value i is kept when
 * mask[i / inner] ≠ 0 (`last` the mask's last index); a value not kept gets gradient 0 and is left
 * out of the sum. The caller's scale k is then 1/(kept values).
 *
 *   mse            loss d², gradient 2d
 *   mae            loss |d|, gradient sign d
 *   huber          |d| ≤ δ: loss ½d², gradient d; else δ(|d| − ½δ), δ·sign d
 *   bce            p and 1 − p clipped to [ε, 1 − ε], ε = 1e-7: loss −(t·ln p + (1 − t)·ln(1 − p)),
 *                  gradient (p − t)/(p(1 − p)) where the raw p is inside (ε, 1 − ε), else 0
 *   sigmoid_bce    from logits z = p: loss max(z, 0) − z·t + log1p(e^−|z|), gradient σ(z) − t
 *   kl             t and p clipped to [ε, 1]: loss t·ln(t/p), gradient −t/p where the raw p > ε, else 0
 *   ce             (cross-entropy of probabilities) p clipped to [ε, 1]: loss −t·ln p, gradient −t/p likewise
 *   labelled_bce, labelled_sigmoid_bce   bce and sigmoid_bce with label smoothing and class weights
 *
 * as runtime/cpu/kernels/losses.ts writes them, in float32 (exp and ln: transcendental-module.ts,
 * activation-module.ts): tolerances in test/runtime/cpu/loss-simd.test.ts.
 */
const i32 = Type.i32;
const v128 = Type.v128;
const TILE_BYTES = TILE_FLOATS * 4;
type Code = readonly number[];

const Simd = {
  const4: (value: number) => [0xfd, ...u32(0x0c), ...new Uint8Array(new Float32Array([value, value, value, value]).buffer)],
  lanes: [0xfd, ...u32(0x0c), ...new Uint8Array(new Int32Array([0, 4, 8, 12]).buffer)],
  f32x4Abs: [0xfd, ...u32(0xe0)],
  f32x4Neg: [0xfd, ...u32(0xe1)],
  f32x4Div: [0xfd, ...u32(0xe7)],
  f32x4Min: [0xfd, ...u32(0xe8)],
  f32x4Max: [0xfd, ...u32(0xe9)],
  f32x4Le: [0xfd, ...u32(0x45)],
  f32x4Ge: [0xfd, ...u32(0x46)],
  f32x4Eq: [0xfd, ...u32(0x41)],
  i32x4Add: [0xfd, ...u32(0xae)],
  i32x4LtS: [0xfd, ...u32(0x39)],
  f32x4Ne: [0xfd, ...u32(0x42)],
  f32x4ReplaceLane: (lane: number) => [0xfd, ...u32(0x20), lane],
} as const;
const c4 = Simd.const4;
const mul = (a: Code, b: Code): number[] => [...a, ...b, ...Op.f32x4Mul];
const add = (a: Code, b: Code): number[] => [...a, ...b, ...Op.f32x4Add];
const sub = (a: Code, b: Code): number[] => [...a, ...b, ...Op.f32x4Sub];
const div = (a: Code, b: Code): number[] => [...a, ...b, ...Simd.f32x4Div];
/** a where mask, else b. */
const select = (a: Code, b: Code, mask: Code): number[] => [...a, ...b, ...mask, ...Op.v128Bitselect];
/** sign d: 1, −1 or 0. */
const sign = (d: Code): number[] => select(c4(1), select(c4(-1), c4(0), [...d, ...c4(0), ...Op.f32x4Lt]), [...d, ...c4(0), ...Op.f32x4Gt]);

/** The loss and the unscaled gradient of four values: sets `l` and `dl` from `p`, `t` and `d` = p − t. */
type Body = (f: WasmFunction, e: Emitter) => number[];

/** log1p(u) = w = 1 ? u : ln w · u/(w − 1), w = 1 + u (as softplus in activation-module.ts). */
function log1p(f: WasmFunction, e: Emitter, u: string): number[] {
  return [
    ...f.set('w1', add(c4(1), f.get(u))),
    ...select(f.get(u), div(mul(log(f, e, f.get('w1')), f.get(u)), sub(f.get('w1'), c4(1))), [...f.get('w1'), ...c4(1), ...Simd.f32x4Eq]),
  ];
}

const BASE_BODIES = {
  mse: (f) => [...f.set('l', mul(f.get('d'), f.get('d'))), ...f.set('dl', mul(c4(2), f.get('d')))],
  mae: (f) => [...f.set('l', [...f.get('d'), ...Simd.f32x4Abs]), ...f.set('dl', sign(f.get('d')))],
  huber: (f) => {
    const abs = [...f.get('d'), ...Simd.f32x4Abs];
    const inside = [...abs, ...f.get('delta'), ...Simd.f32x4Le];
    return [
      ...f.set('l', select(mul(mul(c4(0.5), f.get('d')), f.get('d')), mul(f.get('delta'), sub(abs, mul(c4(0.5), f.get('delta')))), inside)),
      ...f.set('dl', select(f.get('d'), mul(f.get('delta'), sign(f.get('d'))), inside)),
    ];
  },
  bce: (f, e) => {
    const EPS = 1e-7;
    return [
      ...f.set('q', [...f.get('p'), ...c4(EPS), ...Simd.f32x4Max, ...c4(1 - EPS), ...Simd.f32x4Min]),
      // 1 − p clipped on its own (u): 1 − f32(1 − ε) is 1.19e-7, not the JS kernel's 1e-7.
      ...f.set('u', [...c4(1), ...f.get('p'), ...Op.f32x4Sub, ...c4(EPS), ...Simd.f32x4Max, ...c4(1 - EPS), ...Simd.f32x4Min]),
      ...f.set('l', [...mul(f.get('t'), log(f, e, f.get('q'))), ...mul(sub(c4(1), f.get('t')), log(f, e, f.get('u'))), ...Op.f32x4Add, ...Simd.f32x4Neg]),
      // inside: ε < p < 1 − ε in float64, the JS kernel's test: for a float32 p, p > f32(ε) and
      // p ≤ f32(1 − ε) (the float32 just below 1 − ε). A NaN p is outside: gradient 0.
      ...f.set('dl', select(
        div(sub(f.get('q'), f.get('t')), mul(f.get('q'), f.get('u'))),
        c4(0),
        [...f.get('p'), ...c4(EPS), ...Op.f32x4Gt, ...f.get('p'), ...c4(1 - EPS), ...Simd.f32x4Le, ...Op.v128And],
      )),
    ];
  },
  sigmoid_bce: (f, e) => [
    // u = e^−|z|; σ(z) = 1/(1 + u) for z ≥ 0, u/(1 + u) below (no overflow either way).
    ...f.set('u', e.exp([...f.get('p'), ...Simd.f32x4Abs, ...Simd.f32x4Neg])),
    ...f.set('q', div(select(c4(1), f.get('u'), [...f.get('p'), ...c4(0), ...Simd.f32x4Ge]), add(c4(1), f.get('u')))),
    ...f.set('l', add(sub([...f.get('p'), ...c4(0), ...Op.f32x4Pmax], mul(f.get('p'), f.get('t'))), log1p(f, e, 'u'))),
    ...f.set('dl', sub(f.get('q'), f.get('t'))),
  ],
  // The class losses (their caller scales by 1/rows, not 1/values): p and t clipped to [ε, 1]; the
  // gradient is 0 where the raw p is not above ε (p ≥ f32(ε), the float32 just above ε).
  kl: (f, e) => [
    ...f.set('q', [...f.get('t'), ...c4(1e-7), ...Simd.f32x4Max, ...c4(1), ...Simd.f32x4Min]),
    ...f.set('u', [...f.get('p'), ...c4(1e-7), ...Simd.f32x4Max, ...c4(1), ...Simd.f32x4Min]),
    ...f.set('w1', div(f.get('q'), f.get('u'))),
    ...f.set('l', mul(f.get('q'), log(f, e, f.get('w1')))),
    ...f.set('dl', select([...f.get('w1'), ...Simd.f32x4Neg], c4(0), [...f.get('p'), ...c4(1e-7), ...Simd.f32x4Ge])),
  ],
  ce: (f, e) => [
    ...f.set('u', [...f.get('p'), ...c4(1e-7), ...Simd.f32x4Max, ...c4(1), ...Simd.f32x4Min]),
    ...f.set('l', [...mul(f.get('t'), log(f, e, f.get('u'))), ...Simd.f32x4Neg]),
    ...f.set('dl', select([...div(f.get('t'), f.get('u')), ...Simd.f32x4Neg], c4(0), [...f.get('p'), ...c4(1e-7), ...Simd.f32x4Ge])),
  ],
} satisfies Record<string, Body>;

/**
 * A binary cross-entropy with label smoothing ε and class weights [w0, w1]: the body on the smoothed
 * target t' = (1 − ε)·t + ε/2, its loss and gradient times w = w1·t + w0·(1 − t) of the raw t (w0 =
 * w1 = 1 without class weights). The scalars' third to sixth floats: 1 − ε, ε/2, w0, w1.
 */
function labelled(body: Body): Body {
  return (f, e) => [
    ...f.set('cw', add(mul(f.get('w1v'), f.get('t')), mul(f.get('w0v'), sub(c4(1), f.get('t'))))),
    ...f.set('t', add(mul(f.get('t'), f.get('sa')), f.get('sb'))),
    ...body(f, e),
    ...f.set('l', mul(f.get('l'), f.get('cw'))),
    ...f.set('dl', mul(f.get('dl'), f.get('cw'))),
  ];
}

const BODIES = { ...BASE_BODIES, labelled_bce: labelled(BASE_BODIES.bce), labelled_sigmoid_bce: labelled(BASE_BODIES.sigmoid_bce) } satisfies Record<string, Body>;

/**
 * The mask's lanes for the four values at byte j: mask[min((j/4 + lane) / inner, last)] (the
 * padding lanes past the end read the last entry; they are left out of the sums anyway).
 */
function maskLanes(f: WasmFunction): number[] {
  return [
    ...f.set('m', Op.v128Zero),
    ...[0, 1, 2, 3].flatMap((lane) => [
      ...f.set('row', [...f.get('j'), ...Op.i32Const(4), ...Op.i32DivU, ...Op.i32Const(lane), ...Op.i32Add, ...f.get('inner'), ...Op.i32DivU]),
      ...f.set('row', [...f.get('row'), ...f.get('last'), ...f.get('row'), ...f.get('last'), ...Op.i32LtU, ...Op.select]),
      ...f.set('m', [...f.get('m'), ...f.get('mask'), ...f.get('row'), ...Op.i32Const(4), ...Op.i32Mul, ...Op.i32Add, ...Op.f32Load(0), ...Simd.f32x4ReplaceLane(lane)]),
    ]),
    // Kept lanes: a mask entry that is not 0 (a NaN entry counts, as the JS kernel's `=== 0` test).
    ...f.set('m', [...f.get('m'), ...c4(0), ...Simd.f32x4Ne]),
  ];
}

function lossFunction(body: Body, fma: boolean, masked: boolean): { f: WasmFunction; code: number[] } {
  const names = ['pred', 'target', 'grad', 'partials', 'bytes', 'scalars', ...(masked ? ['mask', 'inner', 'last'] : []), 'start', 'end'];
  const f = new WasmFunction(names.map((n) => [n, i32] as const));
  f.declare(i32, 'tile', 'j', 'stop', 'row');
  f.declare(v128, 'k', 'delta', 'acc', 'p', 't', 'd', 'l', 'dl', 'q', 'u', 'w1', 'm', 'cw', 'sa', 'sb', 'w0v', 'w1v');
  const e = mathLocals(f, fma);
  const at = (base: string): number[] => [...f.get(base), ...f.get('j'), ...Op.i32Add];
  const tileEnd = [...f.get('tile'), ...Op.i32Const(1), ...Op.i32Add, ...Op.i32Const(TILE_BYTES), ...Op.i32Mul];
  const code = [
    ...f.set('k', [...f.get('scalars'), ...Op.v128Load32Splat(0)]),
    ...f.set('delta', [...f.get('scalars'), ...Op.v128Load32Splat(4)]),
    ...f.set('sa', [...f.get('scalars'), ...Op.v128Load32Splat(8)]),
    ...f.set('sb', [...f.get('scalars'), ...Op.v128Load32Splat(12)]),
    ...f.set('w0v', [...f.get('scalars'), ...Op.v128Load32Splat(16)]),
    ...f.set('w1v', [...f.get('scalars'), ...Op.v128Load32Splat(20)]),
    ...f.for('tile', f.get('start'), f.get('end'), Op.i32Const(1), [
      ...f.set('acc', Op.v128Zero),
      // stop = min((tile + 1)·TILE_BYTES, bytes rounded up to 16)
      ...f.set('stop', [...f.get('bytes'), ...Op.i32Const(15), ...Op.i32Add, ...Op.i32Const(-16), ...Op.i32And]),
      ...f.set('stop', [...tileEnd, ...f.get('stop'), ...tileEnd, ...f.get('stop'), ...Op.i32LtS, ...Op.select]),
      ...f.for('j', [...f.get('tile'), ...Op.i32Const(TILE_BYTES), ...Op.i32Mul], f.get('stop'), Op.i32Const(16), [
        ...f.set('p', [...at('pred'), ...Op.v128Load(0)]),
        ...f.set('t', [...at('target'), ...Op.v128Load(0)]),
        ...f.set('d', sub(f.get('p'), f.get('t'))),
        ...body(f, e),
        ...(masked ? maskLanes(f) : []),
        // A masked value's gradient is 0 and its loss left out, whatever it is (NaN included).
        ...at('grad'), ...(masked ? select(mul(f.get('dl'), f.get('k')), c4(0), f.get('m')) : mul(f.get('dl'), f.get('k'))), ...Op.v128Store(0),
        // Lanes at byte j + 4i < bytes count.
        ...f.set('acc', add(f.get('acc'), [
          ...f.get('l'), ...f.get('j'), ...Op.i32x4Splat, ...Simd.lanes, ...Simd.i32x4Add, ...f.get('bytes'), ...Op.i32x4Splat, ...Simd.i32x4LtS, ...Op.v128And,
          ...(masked ? [...f.get('m'), ...Op.v128And] : []),
        ])),
      ]),
      ...f.get('partials'), ...f.get('tile'), ...Op.i32Const(4), ...Op.i32Mul, ...Op.i32Add,
      ...[0, 1, 2, 3].flatMap((lane) => [...f.get('acc'), ...Op.f32x4ExtractLane(lane), ...(lane > 0 ? Op.f32Add : [])]),
      ...Op.f32Store(0),
    ]),
  ];
  return { f, code };
}

type Loss = keyof typeof BODIES;
const LOSSES = Object.keys(BODIES) as Loss[];

export type LossFunction = Loss | `masked_${Loss}`;

/** The exports, in order: each loss, then each with a mask. */
export const LOSS_FUNCTIONS: LossFunction[] = [...LOSSES, ...LOSSES.map((n) => `masked_${n}` as const)];

/** The module over the GEMM's memory, `shared` as that one is; `fma` as in transcendental-module.ts. */
export function lossModuleBytes(shared: boolean, fma: boolean): Uint8Array<ArrayBuffer> {
  const built = [...LOSSES.map((n) => lossFunction(BODIES[n], fma, false)), ...LOSSES.map((n) => lossFunction(BODIES[n], fma, true))];
  return moduleOfFunctions(
    built.map(({ f, code }, i) => ({ name: LOSS_FUNCTIONS[i]!, type: f.type(), body: f.body(code) })),
    importedMemorySection(shared, MAX_MEMORY_PAGES),
  );
}
