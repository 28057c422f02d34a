import { MAX_MEMORY_PAGES } from '../threads/threaded-module.js';
import { i32, importedMemorySection, MAGIC_AND_VERSION, name, section, u32, vector } from '../wasm/wasm-bytes.js';

/**
 * The six optimizer updates as float32 WebAssembly SIMD loops, as module bytes. The module imports
 * its memory (`env.memory`: the executor's stored-tensor memory, stored-memory.ts) and exports one
 * function per update, all of the form
 *
 *   adam(p, g, m, v, bytes, scalars, start, end)
 *
 * where p, g and the slots are byte addresses (16-aligned), `bytes` a multiple of 16 and `scalars` the
 * byte address of the update's float32 settings (lr, beta1, beta2, epsilon, c1, c2, decay for adam: the
 * spec's `scalars`, in order, 4 bytes each). The settings travel through memory, not as f32
 * parameters, so that every argument is a small integer: a float argument would be boxed (a heap
 * number per call) on its way through the threaded call (threads/threaded-module.ts). Each
 * function updates the tiles [start, end) of the `bytes / 4` values (TILE_FLOATS a tile) in place,
 * four at a time, so that it runs on the worker pool (threads/threaded-module.ts), every value
 * updated by the same instructions on whichever thread. The formulas are those of
 * runtime/cpu/kernels/optimizers.ts (the JS reference, which also does the last 0–3 values), in
 * float32 instead of float64: see test/runtime/cpu/optimizers-simd.test.ts for the tolerance.
 */

const T = { i32: 0x7f, f32: 0x7d, v128: 0x7b, func: 0x60, empty: 0x40 } as const;
const simd = (op: number): number[] => [0xfd, ...u32(op)];
const F = {
  splat: simd(0x13),
  sqrt: simd(0xe3),
  add: simd(0xe4),
  sub: simd(0xe5),
  mul: simd(0xe6),
  div: simd(0xe7),
  load: [...simd(0x00), 4, 0],
  store: [...simd(0x0b), 4, 0],
};
/** Values per tile: 16 KiB of each array. */
export const TILE_FLOATS = 4096;
const TILE_BYTES = TILE_FLOATS * 4;

const get = (i: number): number[] => [0x20, ...u32(i)];
const set = (i: number): number[] => [0x21, ...u32(i)];

/** An expression tree in stack order: a value is the bytes that push it. */
type Expr = number[];
const bin = (op: number[]) => (a: Expr, b: Expr): Expr => [...a, ...b, ...op];
const add = bin(F.add);
const sub = bin(F.sub);
const mul = bin(F.mul);
const div = bin(F.div);
const sqrt = (a: Expr): Expr => [...a, ...F.sqrt];

interface UpdateSpec {
  /** Pointer parameters: the parameter first, then the gradient, then the slots. */
  pointers: string[];
  /** f32 settings, read in this order from the parameter block at `scalars` (after `bytes`). */
  scalars: string[];
  /** Vector constants computed once from the scalars: name → expression over splat scalars. */
  constants?: Record<string, (s: (name: string) => Expr) => Expr>;
  /**
   * The loop body: `load(ptr)` reads four values at the current index, `value(name)` a splatted
   * scalar or constant; returns the stores, as [pointer, expression] in order. A store's expression
   * may read `stored(ptr)`, the value just stored to an earlier pointer of this step.
   */
  body: (load: (ptr: string) => Expr, value: (name: string) => Expr, stored: (ptr: string) => Expr) => Array<[string, Expr]>;
}

function updateFunction(spec: UpdateSpec): { type: number[]; code: number[] } {
  const params = [...spec.pointers, 'bytes', 'scalars', 'start', 'end'];
  const types = [...spec.pointers.map(() => T.i32), T.i32, T.i32, T.i32, T.i32];
  const local = new Map(params.map((n, i) => [n, i]));
  const iLocal = params.length;
  const stopLocal = iLocal + 1;
  let next = stopLocal + 1;
  const vecLocals: string[] = [];
  const vec = (n: string): number => {
    if (!local.has(n)) {
      local.set(n, next++);
      vecLocals.push(n);
    }
    return local.get(n)!;
  };
  const code: number[] = [];
  // Load and splat every scalar (f32.load, align 4, offset 4·i) and constant once, before the loop.
  spec.scalars.forEach((s, i) => {
    code.push(...get(local.get('scalars')!), 0x2a, 2, ...u32(i * 4), ...F.splat, ...set(vec(`@${s}`)));
  });
  const splatOf = (n: string): Expr => get(local.get(`@${n}`) ?? local.get(n)!);
  for (const [n, expr] of Object.entries(spec.constants ?? {})) code.push(...expr(splatOf), ...set(vec(`@${n}`)));
  const address = (ptr: string): Expr => [...get(local.get(ptr)!), ...get(iLocal), 0x6a /* i32.add */];
  const load = (ptr: string): Expr => [...address(ptr), ...F.load];
  const stored = (ptr: string): Expr => get(vec(`new ${ptr}`));
  const stores = spec.body(load, splatOf, stored);
  const tileStart = (tile: string): Expr => [...get(local.get(tile)!), 0x41, ...i32(TILE_BYTES), 0x6c /* i32.mul */];
  // i = start · TILE_BYTES; stop = min(end · TILE_BYTES, bytes)
  code.push(...tileStart('start'), ...set(iLocal));
  code.push(...tileStart('end'), ...get(local.get('bytes')!), ...tileStart('end'), ...get(local.get('bytes')!), 0x48 /* i32.lt_s */, 0x1b /* select */, ...set(stopLocal));
  // block { loop { if (i >= stop) break; body; i += 16; continue } }
  code.push(0x02, T.empty, 0x03, T.empty);
  code.push(...get(iLocal), ...get(stopLocal), 0x4f /* i32.ge_u */, 0x0d, 1);
  for (const [ptr, expr] of stores) {
    code.push(...expr, ...set(vec(`new ${ptr}`)));
    code.push(...address(ptr), ...get(vec(`new ${ptr}`)), ...F.store);
  }
  code.push(...get(iLocal), 0x41, ...i32(16), 0x6a, ...set(iLocal), 0x0c, 0 /* br loop */, 0x0b, 0x0b);
  const locals = vector([[...u32(2), T.i32], [...u32(vecLocals.length), T.v128]]);
  const body = [...locals, ...code, 0x0b];
  return { type: [T.func, ...vector(types.map((t) => [t])), ...vector([])], code: [...u32(body.length), ...body] };
}

function adam(decoupled: boolean): UpdateSpec {
  return {
    pointers: ['p', 'g', 'm', 'v'],
    scalars: ['lr', 'beta1', 'beta2', 'epsilon', 'c1', 'c2', 'decay'],
    constants: {
      oneMinusBeta1: (s) => sub(one, s('beta1')),
      oneMinusBeta2: (s) => sub(one, s('beta2')),
      lrDecay: (s) => mul(s('lr'), s('decay')),
    },
    body: (load, s, stored) => {
      const g = load('g');
      const m = add(mul(s('beta1'), load('m')), mul(s('oneMinusBeta1'), g));
      const v = add(mul(s('beta2'), load('v')), mul(mul(s('oneMinusBeta2'), g), g));
      const p0 = decoupled ? sub(load('p'), mul(s('lrDecay'), load('p'))) : load('p');
      const step = div(mul(s('lr'), div(stored('m'), s('c1'))), add(sqrt(div(stored('v'), s('c2'))), s('epsilon')));
      return [['m', m], ['v', v], ['p', sub(p0, step)]];
    },
  };
}

/** f32x4 of 1.0 (v128.const). */
const one: Expr = [...simd(0x0c), ...[0, 1, 2, 3].flatMap(() => [0x00, 0x00, 0x80, 0x3f])];

const UPDATES = {
  gd: {
    pointers: ['p', 'g'],
    scalars: ['lr'],
    body: (load, s) => [['p', sub(load('p'), mul(s('lr'), load('g')))]],
  },
  sgd: {
    pointers: ['p', 'g', 'v'],
    scalars: ['lr', 'momentum'],
    body: (load, s, stored) => [
      ['v', sub(mul(s('momentum'), load('v')), mul(s('lr'), load('g')))],
      ['p', add(load('p'), stored('v'))],
    ],
  },
  nesterov: {
    pointers: ['p', 'g', 'v'],
    scalars: ['lr', 'momentum'],
    body: (load, s, stored) => [
      ['v', sub(mul(s('momentum'), load('v')), mul(s('lr'), load('g')))],
      ['p', add(load('p'), sub(mul(s('momentum'), stored('v')), mul(s('lr'), load('g'))))],
    ],
  },
  adam: adam(false),
  adamw: adam(true),
  adagrad: {
    pointers: ['p', 'g', 'a'],
    scalars: ['lr', 'epsilon'],
    body: (load, s, stored) => [
      ['a', add(load('a'), mul(load('g'), load('g')))],
      ['p', sub(load('p'), div(mul(s('lr'), load('g')), add(sqrt(stored('a')), s('epsilon'))))],
    ],
  },
  rmsprop: {
    pointers: ['p', 'g', 'ms', 'mom'],
    scalars: ['lr', 'rho', 'epsilon', 'momentum'],
    constants: { oneMinusRho: (s) => sub(one, s('rho')) },
    body: (load, s, stored) => [
      ['ms', add(mul(s('rho'), load('ms')), mul(mul(s('oneMinusRho'), load('g')), load('g')))],
      ['mom', add(mul(s('momentum'), load('mom')), div(mul(s('lr'), load('g')), add(sqrt(stored('ms')), s('epsilon'))))],
      ['p', sub(load('p'), stored('mom'))],
    ],
  },
} satisfies Record<string, UpdateSpec>;

export type OptimizerUpdate = keyof typeof UPDATES;

/** The most settings an update reads from its parameter block (adam's seven). */
export const MAX_UPDATE_SCALARS = Math.max(...Object.values(UPDATES).map((u: UpdateSpec) => u.scalars.length));
export const OPTIMIZER_UPDATES = Object.keys(UPDATES) as OptimizerUpdate[];

/** The module over an imported memory, shared or not (threads/threaded-module.ts). */
export function optimizerModuleBytes(shared = false): Uint8Array<ArrayBuffer> {
  const functions = OPTIMIZER_UPDATES.map((n) => updateFunction(UPDATES[n]!));
  return new Uint8Array([
    ...MAGIC_AND_VERSION,
    ...section(1, vector(functions.map((f) => f.type))),
    ...importedMemorySection(shared, MAX_MEMORY_PAGES),
    ...section(3, vector(functions.map((_, i) => u32(i)))),
    ...section(7, vector(OPTIMIZER_UPDATES.map((n, i) => [...name(n), 0x00, ...u32(i)]))),
    ...section(10, vector(functions.map((f) => f.code))),
  ]);
}
