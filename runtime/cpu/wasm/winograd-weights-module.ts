import { NR } from './sgemm-module.js';
import { Op, Type } from './wasm-bytes.js';
import { WasmFunction } from './wasm-function.js';
import { doWhileBelow } from './winograd-module.js';

/**
 * The weight sides of Winograd F(2×2, 3×3) (winograd-module.ts), as functions of the GEMM's module,
 * vectorised over 4 channels or filters and split over threads like any kernel (parallelFor):
 *
 *   winograd_weights(w, u, channels, filters, nPanels, start, end)          filters [start, end)
 *   winograd_weights_flipped(w, u, channels, filters, nPanels, start, end)  channels [start, end)
 *   winograd_untransform(dU, dw, channels, filters, ldc, start, end)        channels [start, end)
 *
 * `winograd_weights`: U_ξ(c, f) = (G·g·Gᵀ)(i, j), ξ = 4i + j, g = w[f, ·, ·, c] (w [F, 3, 3, C]), as
 * unblocked panels of 8 filters: element (c, s) of panel q at u + (ξ·nPanels·C·8 + q·C·8 + c·8 + s)·4.
 * `_flipped`, for an input gradient (conv-winograd.ts's gradInputGeometry): g = w[c, 2 − ·, 2 − ·, f]
 * of the forward's w [C', 3, 3, F'] (C' = channels, F' = filters here). The caller zeroes the panel
 * columns past F. `winograd_untransform`: dw[f, ky, kx, c] = (Gᵀ·dU(c, f)·G)(ky, kx), dU_ξ(c, f) at
 * dU + (ξ·C·ldc + c·ldc + f)·4 (winograd-grad-module.ts's product).
 *
 * They run every training step (the weights change every step): in JS they were 8.5% of VGG-11's.
 */
const WEIGHT_PARAMS = ['w', 'u', 'channels', 'filters', 'nPanels', 'start', 'end'] as const;
const UNTRANSFORM_PARAMS = ['dU', 'dw', 'channels', 'filters', 'ldc', 'start', 'end'] as const;

export const WINOGRAD_WEIGHTS = 'winograd_weights';
export const WINOGRAD_WEIGHTS_FLIPPED = 'winograd_weights_flipped';
export const WINOGRAD_UNTRANSFORM = 'winograd_untransform';

function newFunction(params: readonly string[]): WasmFunction {
  const f = new WasmFunction(params.map((p) => [p, Type.i32] as const));
  f.declare(Type.i32, 'a', 'b', 'p', 'stride', 'o0', 'o1', 'o2', 'o3');
  f.declare(Type.v128, 'half', ...Array.from({ length: 16 }, (_, i) => `g${i}`), ...Array.from({ length: 13 }, (_, i) => `t${i}`));
  return f;
}

/** The type of all three: seven i32. */
export const WINOGRAD_WEIGHTS_TYPE = newFunction(WEIGHT_PARAMS).type();

/** Pushes x + y, x − y, x·½ and the like over v128 locals. */
function arithmetic(f: WasmFunction) {
  const g = (n: string): number[] => f.get(n);
  const add = (a: number[], b: number[]): number[] => [...a, ...b, ...Op.f32x4Add];
  const sub = (a: number[], b: number[]): number[] => [...a, ...b, ...Op.f32x4Sub];
  const halve = (a: number[]): number[] => [...a, ...g('half'), ...Op.f32x4Mul];
  return { g, add, sub, halve };
}

/**
 * U = G·k·Gᵀ of the 9 vectors g0..g8 (k(ky, kx) = g(3ky + kx)): t(i, kx) = rows of G over ky into
 * t(3i + kx), then `store(ξ, value)` for U(i, j) = (t(i,0), (t(i,0) + t(i,1) + t(i,2))·½, (t(i,0) − t(i,1) + t(i,2))·½, t(i,2)).
 */
function kernelTransform(f: WasmFunction, store: (xi: number, value: number[]) => number[]): number[] {
  const { g, add, sub, halve } = arithmetic(f);
  const code: number[] = [];
  for (let kx = 0; kx < 3; kx++) {
    const [k0, k1, k2] = [g(`g${kx}`), g(`g${3 + kx}`), g(`g${6 + kx}`)];
    code.push(...f.set(`t${kx}`, k0), ...f.set(`t${3 + kx}`, halve(add(add(k0, k1), k2))));
    code.push(...f.set(`t${6 + kx}`, halve(add(sub(k0, k1), k2))), ...f.set(`t${9 + kx}`, k2));
  }
  for (let i = 0; i < 4; i++) {
    const [a, b, c] = [g(`t${3 * i}`), g(`t${3 * i + 1}`), g(`t${3 * i + 2}`)];
    const values = [a, halve(add(add(a, b), c)), halve(add(sub(a, b), c)), c];
    for (let j = 0; j < 4; j++) code.push(...store(4 * i + j, values[j]!));
  }
  return code;
}

/** Pushes U_0's address of element (channel, filter), locals of those names: u + ((filter >> 3)·C·8 + channel·8 + (filter & 7))·4. */
function panelAt(f: WasmFunction, filter: string, channel: string): number[] {
  const g = (n: string): number[] => f.get(n);
  return [
    ...g('u'), ...g(filter), ...Op.i32Const(3), ...Op.i32ShrU, ...g('channels'), ...Op.i32Mul, ...g(channel), ...Op.i32Add, ...Op.i32Const(3), ...Op.i32Shl,
    ...g(filter), ...Op.i32Const(7), ...Op.i32And, ...Op.i32Add, ...Op.i32Const(2), ...Op.i32Shl, ...Op.i32Add,
  ];
}

/** winograd_weights: per filter f and run of 4 channels c, the 9 taps' vectors, U stored lane by lane (lane l = channel c + l, rows 8 floats apart). */
export function winogradWeightsBody(): number[] {
  const f = newFunction(WEIGHT_PARAMS);
  const { g } = arithmetic(f);
  const perRun: number[] = [];
  // a = w + (f·9·C + c)·4: tap t at + t·C·4.
  for (let t = 0; t < 9; t++) perRun.push(...f.set(`g${t}`, [...g('a'), ...g('b'), ...Op.i32Add, ...Op.v128Load(0)]), ...f.bump('b', [...g('channels'), ...Op.i32Const(2), ...Op.i32Shl]));
  // U_0's element (c, f), then + stride per ξ.
  perRun.push(...f.set('p', panelAt(f, 'start', 'o0')));
  perRun.push(...kernelTransform(f, (xi, value) => {
    const code = [...f.set('t12', value)];
    for (let lane = 0; lane < 4; lane++) code.push(...g('p'), ...g('t12'), ...Op.v128Store32Lane(32 * lane, lane));
    return xi < 15 ? [...code, ...f.bump('p', g('stride'))] : code;
  }));
  perRun.push(...f.bump('a', Op.i32Const(16)));
  const perFilter = [
    ...f.set('a', [...g('w'), ...g('start'), ...Op.i32Const(9), ...Op.i32Mul, ...g('channels'), ...Op.i32Mul, ...Op.i32Const(2), ...Op.i32Shl, ...Op.i32Add]),
    ...f.set('o0', Op.i32Const(0)),
    ...doWhileBelow(f, 'o0', Op.i32Const(4), g('channels'), [...f.set('b', Op.i32Const(0)), ...perRun]),
  ];
  return body(f, perFilter);
}

/** winograd_weights_flipped: per channel c of U (a filter of w) and run of 4 filters, w's taps reversed; U stored as whole vectors (4 filters of a panel row). */
export function winogradWeightsFlippedBody(): number[] {
  const f = newFunction(WEIGHT_PARAMS);
  const { g } = arithmetic(f);
  const perRun: number[] = [];
  // Tap t of U is w's tap 8 − t: a = w + ((c·9 + 8)·F + f)·4, tap t at − t·F·4.
  for (let t = 0; t < 9; t++) perRun.push(...f.set(`g${t}`, [...g('a'), ...g('b'), ...Op.i32Sub, ...Op.v128Load(0)]), ...f.bump('b', [...g('filters'), ...Op.i32Const(2), ...Op.i32Shl]));
  // U_0's element (c, f) for the run's first filter f = o0, then + stride per ξ.
  perRun.push(...f.set('p', panelAt(f, 'o0', 'start')));
  perRun.push(...kernelTransform(f, (xi, value) => [...g('p'), ...value, ...Op.v128Store(0), ...(xi < 15 ? f.bump('p', g('stride')) : [])]));
  perRun.push(...f.bump('a', Op.i32Const(16)));
  const perChannel = [
    ...f.set('a', [...g('w'), ...g('start'), ...Op.i32Const(9), ...Op.i32Mul, ...Op.i32Const(8), ...Op.i32Add, ...g('filters'), ...Op.i32Mul, ...Op.i32Const(2), ...Op.i32Shl, ...Op.i32Add]),
    ...f.set('o0', Op.i32Const(0)),
    ...doWhileBelow(f, 'o0', Op.i32Const(4), g('filters'), [...f.set('b', Op.i32Const(0)), ...perRun]),
  ];
  return body(f, perChannel);
}

/** The loop over [start, end) (its index is `start` itself) around `perUnit`, with half and U's ξ stride (nPanels·C·32 bytes) set. */
function body(f: WasmFunction, perUnit: number[]): number[] {
  const g = (n: string): number[] => f.get(n);
  return f.body([
    ...f.set('half', [...Op.f32Const(0.5), ...Op.f32x4Splat]),
    ...f.set('stride', [...g('nPanels'), ...g('channels'), ...Op.i32Mul, ...Op.i32Const(5), ...Op.i32Shl]),
    ...Op.block, ...g('start'), ...g('end'), ...Op.i32GeU, ...Op.brIf(0),
    ...doWhileBelow(f, 'start', Op.i32Const(1), g('end'), perUnit),
    ...Op.end,
  ]);
}

/**
 * winograd_untransform: per channel c and run of 4 filters f, the 16 vectors dU_ξ(c, f..f+3); r = Gᵀ·dU
 * (rows (1, ½, ½, 0), (0, ½, −½, 0), (0, ½, ½, 1) over i), then dw(ky, ·) = r(ky, ·)·G, stored lane by
 * lane: lane l to dw[f + l, ky, kx, c], 9·C floats apart.
 */
export function winogradUntransformBody(): number[] {
  const f = newFunction(UNTRANSFORM_PARAMS);
  const { g, add, sub, halve } = arithmetic(f);
  const perRun: number[] = [];
  // p = dU + (c·ldc + f)·4, + C·ldc·4 per ξ: dU(i, j) into g(4i + j).
  perRun.push(...f.set('p', [...g('dU'), ...g('start'), ...g('ldc'), ...Op.i32Mul, ...g('o0'), ...Op.i32Add, ...Op.i32Const(2), ...Op.i32Shl, ...Op.i32Add]));
  for (let xi = 0; xi < 16; xi++) perRun.push(...f.set(`g${xi}`, [...g('p'), ...Op.v128Load(0)]), ...(xi < 15 ? f.bump('p', g('stride')) : []));
  for (let j = 0; j < 4; j++) {
    const [d0, d1, d2, d3] = [g(`g${j}`), g(`g${4 + j}`), g(`g${8 + j}`), g(`g${12 + j}`)];
    perRun.push(...f.set(`t${j}`, add(d0, halve(add(d1, d2)))), ...f.set(`t${4 + j}`, halve(sub(d1, d2))), ...f.set(`t${8 + j}`, add(halve(add(d1, d2)), d3)));
  }
  // Lane l goes to b + l·9·C·4 (b = dw + (f·9·C + c)·4), tap t at + t·C·4.
  perRun.push(...f.set('b', [...g('dw'), ...g('o0'), ...Op.i32Const(9), ...Op.i32Mul, ...g('channels'), ...Op.i32Mul, ...g('start'), ...Op.i32Add, ...Op.i32Const(2), ...Op.i32Shl, ...Op.i32Add]));
  perRun.push(...f.set('a', [...g('channels'), ...Op.i32Const(36), ...Op.i32Mul]));
  for (let ky = 0; ky < 3; ky++) {
    const [e0, e1, e2, e3] = [g(`t${4 * ky}`), g(`t${4 * ky + 1}`), g(`t${4 * ky + 2}`), g(`t${4 * ky + 3}`)];
    const outs = [add(e0, halve(add(e1, e2))), halve(sub(e1, e2)), add(halve(add(e1, e2)), e3)];
    for (let kx = 0; kx < 3; kx++) {
      perRun.push(...f.set('t12', outs[kx]!));
      for (let lane = 0; lane < 4; lane++) {
        perRun.push(...g('b'), ...(lane > 0 ? [...g('a'), ...Op.i32Const(lane), ...Op.i32Mul, ...Op.i32Add] : []), ...g('t12'), ...Op.v128Store32Lane(0, lane));
      }
      perRun.push(...f.bump('b', [...g('channels'), ...Op.i32Const(2), ...Op.i32Shl]));
    }
  }
  const perChannel = [...f.set('o0', Op.i32Const(0)), ...doWhileBelow(f, 'o0', Op.i32Const(4), g('filters'), perRun)];
  return f.body([
    ...f.set('half', [...Op.f32Const(0.5), ...Op.f32x4Splat]),
    ...f.set('stride', [...g('channels'), ...g('ldc'), ...Op.i32Mul, ...Op.i32Const(2), ...Op.i32Shl]),
    ...Op.block, ...g('start'), ...g('end'), ...Op.i32GeU, ...Op.brIf(0),
    ...doWhileBelow(f, 'start', Op.i32Const(1), g('end'), perChannel),
    ...Op.end,
  ]);
}
