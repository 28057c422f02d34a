import { MAX_MEMORY_PAGES } from '../threads/threaded-module.js';
import { mapFunction, type MapSpec } from './elementwise-module.js';
import { Emitter } from './transcendental-module.js';
import { importedMemorySection, moduleOfFunctions, Op, Type, u32 } from './wasm-bytes.js';
import type { WasmFunction } from './wasm-function.js';

/**
 * The activations that need exp, tanh or log — gelu, silu, softplus and their gradients, sigmoid and tanh — as
 * float32 WebAssembly SIMD passes with elementwise-module.ts's tiled loop (name(...pointers, bytes,
 * start, end): tiles of its output, so any number of threads give the same bits), over an imported
 * memory (the GEMM module's: activation-simd.ts):
 *
 *   gelu(x, y)                y = ½x·(1 + tanh u), u = √(2/π)·(x + 0.044715x³)   (the tanh form, as the JS kernel)
 *   gelu_grad(dy, x, dx)      dx = dy·(½(1 + tanh u) + ½x·(1 − tanh² u)·u')
 *   silu(x, y)                y = x·σ(x)
 *   silu_grad(dy, x, dx)      dx = dy·σ(x)·(1 + x·(1 − σ(x)))
 *   softplus(x, y)            y = max(x, 0) + log1p(e^−|x|)
 *   softplus_grad(dy, y, dx)  dx = dy·(1 − e^−y)
 *
 * exp, σ and tanh are transcendental-module.ts's; log is Cephes' logf (below); log1p(u) is
 * ln(w)·u/(w − 1) with w = 1 + u (Goldberg's correction: full relative accuracy for small u).
 * Where the JS kernels compute in float64 and round once, these round in float32 at each step: the
 * tolerances are in test/runtime/cpu/activation-simd.test.ts.
 */
type Code = readonly number[];

const Simd = {
  const4: (value: number) => [0xfd, ...u32(0x0c), ...new Uint8Array(new Float32Array([value, value, value, value]).buffer)],
  i32Const4: (value: number) => [0xfd, ...u32(0x0c), ...new Uint8Array(new Int32Array([value, value, value, value]).buffer)],
  f32x4Abs: [0xfd, ...u32(0xe0)],
  f32x4Neg: [0xfd, ...u32(0xe1)],
  f32x4Div: [0xfd, ...u32(0xe7)],
  f32x4Eq: [0xfd, ...u32(0x41)],
  f32x4ConvertI32x4S: [0xfd, ...u32(0xfa)],
  i32x4Add: [0xfd, ...u32(0xae)],
  i32x4ShrU: [0xfd, ...u32(0xad)],
} as const;

const mul = (a: Code, b: Code): number[] => [...a, ...b, ...Op.f32x4Mul];
const add = (a: Code, b: Code): number[] => [...a, ...b, ...Op.f32x4Add];
const sub = (a: Code, b: Code): number[] => [...a, ...b, ...Op.f32x4Sub];
const div = (a: Code, b: Code): number[] => [...a, ...b, ...Simd.f32x4Div];
const c4 = Simd.const4;

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** Declares the locals of the math below (once per function); its emitter. */
export function mathLocals(f: WasmFunction, fma: boolean): Emitter {
  f.declare(Type.v128, 'v', 'w', 't', 's', 'lm', 'le', 'lx', 'lz');
  return new Emitter(f, fma);
}

/**
 * ln w for w > 0 normal (Cephes logf): w = m·2^e with m in [½, 1), moved to [√½, √2) (m·2, e − 1
 * below √½), then ln(1 + x) for x = m − 1 by its degree-9 polynomial, plus e·ln 2 in two parts.
 */
export function log(f: WasmFunction, e: Emitter, w: Code): number[] {
  const g = (n: string): number[] => f.get(n);
  return [
    ...f.set('lm', w),
    // e = (bits >> 23) − 126; m = mantissa bits with the exponent of ½.
    ...f.set('le', [...g('lm'), ...Op.i32Const(23), ...Simd.i32x4ShrU, ...Simd.i32Const4(-126), ...Simd.i32x4Add]),
    ...f.set('lm', [...g('lm'), ...Simd.i32Const4(0x007fffff), ...Op.v128And, ...Simd.i32Const4(0x3f000000), ...Op.v128Or]),
    // Below √½: e − 1 (the mask's lanes are −1) and x = 2m − 1 = (m − 1) + m; else x = m − 1.
    ...f.set('lz', [...g('lm'), ...c4(Math.SQRT1_2), ...Op.f32x4Lt]),
    ...f.set('le', [...g('le'), ...g('lz'), ...Simd.i32x4Add, ...Simd.f32x4ConvertI32x4S]),
    ...f.set('lx', add(sub(g('lm'), c4(1)), [...g('lm'), ...g('lz'), ...Op.v128And])),
    ...f.set('lz', mul(g('lx'), g('lx'))),
    ...f.set('lm', mul(mul(e.horner(g('lx'), [7.0376836292e-2, -1.151461031e-1, 1.167699874e-1, -1.2420140846e-1, 1.4249322787e-1, -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1]), g('lx')), g('lz'))),
    ...f.set('lm', e.madd(g('le'), c4(-2.12194440e-4), g('lm'))),
    ...f.set('lm', e.madd(g('lz'), c4(-0.5), g('lm'))),
    ...e.madd(g('le'), c4(0.693359375), add(g('lx'), g('lm'))),
  ];
}

type Build = (load: (pointer: string) => Code, f: WasmFunction, e: Emitter) => number[];

function spec(pointers: string[], value: Build, fma: boolean): MapSpec {
  let emitter: Emitter | null = null;
  return {
    pointers,
    value: (load, _s, f) => {
      emitter ??= mathLocals(f, fma);
      return value(load, f, emitter);
    },
  };
}

/**
 * gelu's tanh through σ, whose float32 keeps its relative accuracy where 1 + tanh cancels (x ≪ 0):
 * with u = √(2/π)·(x + 0.044715x³), ½(1 + tanh u) = σ(2u) = s = 1/(1 + w), w = e^−2u, and
 * 1 − s = w·s. From v = x, sets w and s.
 */
const geluSigma = (f: WasmFunction, e: Emitter): number[] => [
  ...f.set('w', e.exp(mul(c4(-2 * SQRT_2_OVER_PI), e.madd(mul(mul(c4(0.044715), f.get('v')), f.get('v')), f.get('v'), f.get('v'))))),
  ...f.set('s', div(c4(1), add(c4(1), f.get('w')))),
];

const FUNCTIONS = {
  gelu: (fma: boolean) => spec(['x', 'y'], (load, f, e) => [...f.set('v', load('x')), ...geluSigma(f, e), ...mul(f.get('v'), f.get('s'))], fma),
  // d/dx x·σ(2u) = s + x·2s(1 − s)·u', u' = √(2/π)·(1 + 3·0.044715x²).
  gelu_grad: (fma: boolean) =>
    spec(['dy', 'x', 'dx'], (load, f, e) => [
      ...f.set('v', load('x')),
      ...geluSigma(f, e),
      ...f.set('t', mul(mul(f.get('s'), f.get('w')), f.get('s'))),
      ...mul(load('dy'), e.madd(mul(mul(c4(2 * SQRT_2_OVER_PI), f.get('v')), f.get('t')), e.madd(mul(c4(3 * 0.044715), f.get('v')), f.get('v'), c4(1)), f.get('s'))),
    ], fma),
  silu: (fma: boolean) => spec(['x', 'y'], (load, f, e) => [...f.set('v', load('x')), ...mul(f.get('v'), e.sigmoid(f.get('v')))], fma),
  // 1 − σ(x) as w·σ(x), w = e^−x: no cancellation where σ(x) is near 1.
  silu_grad: (fma: boolean) =>
    spec(['dy', 'x', 'dx'], (load, f, e) => [
      ...f.set('v', load('x')),
      ...f.set('w', e.exp([...f.get('v'), ...Simd.f32x4Neg])),
      ...f.set('s', div(c4(1), add(c4(1), f.get('w')))),
      ...mul(load('dy'), mul(f.get('s'), e.madd(f.get('v'), mul(f.get('w'), f.get('s')), c4(1)))),
    ], fma),
  softplus: (fma: boolean) =>
    spec(['x', 'y'], (load, f, e) => [
      ...f.set('v', load('x')),
      // u = e^−|x| in s, w = 1 + u; log1p(u) = w = 1 ? u : ln w · u / (w − 1).
      ...f.set('s', e.exp([...f.get('v'), ...Simd.f32x4Abs, ...Simd.f32x4Neg])),
      ...f.set('w', add(c4(1), f.get('s'))),
      ...f.set('t', div(mul(log(f, e, f.get('w')), f.get('s')), sub(f.get('w'), c4(1)))),
      ...f.set('t', [...f.get('s'), ...f.get('t'), ...f.get('w'), ...c4(1), ...Simd.f32x4Eq, ...Op.v128Bitselect]),
      ...add([...f.get('v'), ...c4(0), ...Op.f32x4Pmax], f.get('t')),
    ], fma),
  softplus_grad: (fma: boolean) =>
    spec(['dy', 'y', 'dx'], (load, _f, e) => mul(load('dy'), sub(c4(1), e.exp([...load('y'), ...Simd.f32x4Neg]))), fma),
  sigmoid: (fma: boolean) => spec(['x', 'y'], (load, _f, e) => e.sigmoid(load('x')), fma),
  tanh: (fma: boolean) => spec(['x', 'y'], (load, _f, e) => e.tanh(load('x')), fma),
};

export type ActivationFunction = keyof typeof FUNCTIONS;

/** The exports, in order. */
export const ACTIVATION_FUNCTIONS = Object.keys(FUNCTIONS) as ActivationFunction[];

/** The module over the GEMM's memory, `shared` as that one is; `fma` as in transcendental-module.ts. */
export function activationModuleBytes(shared: boolean, fma: boolean): Uint8Array<ArrayBuffer> {
  const built = ACTIVATION_FUNCTIONS.map((n) => mapFunction(FUNCTIONS[n](fma)));
  return moduleOfFunctions(
    built.map(({ f, code }, i) => ({ name: ACTIVATION_FUNCTIONS[i]!, type: f.type(), body: f.body(code) })),
    importedMemorySection(shared, MAX_MEMORY_PAGES),
  );
}
