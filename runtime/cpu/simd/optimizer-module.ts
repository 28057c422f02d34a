import { MAX_MEMORY_PAGES } from '../threads/threaded-module.js';
import { KC } from '../kernels/gemm-pack.js';
import { transpose4x4 } from '../wasm/sgemm-pack-vector.js';
import { i32, importedMemorySection, moduleOfFunctions, Op, u32, vector } from '../wasm/wasm-bytes.js';

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
 *
 * Each update also has a `<name>_packed` export for a weight that a product reads transposed from a
 * resident packed copy: the same instructions per value, and the new values written to the copy
 * too (`packedUpdateFunction`; test/runtime/cpu/optimizers-packed.test.ts).
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

/**
 * The parts of an update's function shared by its two loops: locals by name (parameters first, then
 * `i32s`, then the v128 values the body needs), the prelude that splats the settings and constants,
 * and `step()`, the body's loads and stores at byte offset `i` of every pointer, which leaves the
 * parameter's new value in `newParam`.
 */
function updateBuilder(spec: UpdateSpec, params: readonly string[], i32s: readonly string[], v128s: readonly string[] = []) {
  const local = new Map([...params, ...i32s].map((n, i) => [n, i]));
  let next = local.size;
  const vecLocals: string[] = [];
  const vec = (n: string): number => {
    if (!local.has(n)) {
      local.set(n, next++);
      vecLocals.push(n);
    }
    return local.get(n)!;
  };
  for (const n of v128s) vec(n);
  const splatOf = (n: string): Expr => get(local.get(`@${n}`) ?? local.get(n)!);
  const prelude: number[] = [];
  // Load and splat every scalar (f32.load, align 4, offset 4·i) and constant once, before the loop.
  spec.scalars.forEach((s, i) => {
    prelude.push(...get(local.get('scalars')!), 0x2a, 2, ...u32(i * 4), ...F.splat, ...set(vec(`@${s}`)));
  });
  for (const [n, expr] of Object.entries(spec.constants ?? {})) prelude.push(...expr(splatOf), ...set(vec(`@${n}`)));
  const iLocal = local.get('i')!;
  const address = (ptr: string): Expr => [...get(local.get(ptr)!), ...get(iLocal), 0x6a /* i32.add */];
  const load = (ptr: string): Expr => [...address(ptr), ...F.load];
  const stored = (ptr: string): Expr => get(vec(`new ${ptr}`));
  const stores = spec.body(load, splatOf, stored);
  const step: number[] = [];
  for (const [ptr, expr] of stores) {
    step.push(...expr, ...set(vec(`new ${ptr}`)));
    step.push(...address(ptr), ...get(vec(`new ${ptr}`)), ...F.store);
  }
  const at = (n: string): number => local.get(n)!;
  const body = (code: number[]): number[] => {
    const bytes = [...vector([[...u32(i32s.length), T.i32], [...u32(vecLocals.length), T.v128]]), ...prelude, ...code, 0x0b];
    return [...u32(bytes.length), ...bytes];
  };
  const type = [T.func, ...vector(params.map(() => [T.i32])), ...vector([])];
  return { at, step, newParam: get(vec('new p')), body, type };
}

function updateFunction(spec: UpdateSpec): { type: number[]; code: number[] } {
  const b = updateBuilder(spec, [...spec.pointers, 'bytes', 'scalars', 'start', 'end'], ['i', 'stop']);
  const tileStart = (tile: string): Expr => [...get(b.at(tile)), 0x41, ...i32(TILE_BYTES), 0x6c /* i32.mul */];
  const code: number[] = [];
  // i = start · TILE_BYTES; stop = min(end · TILE_BYTES, bytes)
  code.push(...tileStart('start'), ...set(b.at('i')));
  code.push(...tileStart('end'), ...get(b.at('bytes')), ...tileStart('end'), ...get(b.at('bytes')), 0x48 /* i32.lt_s */, 0x1b /* select */, ...set(b.at('stop')));
  // block { loop { if (i >= stop) break; body; i += 16; continue } }
  code.push(0x02, T.empty, 0x03, T.empty);
  code.push(...get(b.at('i')), ...get(b.at('stop')), 0x4f /* i32.ge_u */, 0x0d, 1);
  code.push(...b.step);
  code.push(...get(b.at('i')), 0x41, ...i32(16), 0x6a, ...set(b.at('i')), 0x0c, 0 /* br loop */, 0x0b, 0x0b);
  return { type: b.type, code: b.body(code) };
}

/** Panels of 8 rows per tile of the packing updates: 32 rows of each array. */
export const PACKED_PANELS_PER_TILE = 4;

/**
 * The update of a weight [n, k] (row-major, k a multiple of 4) that also writes the weight's copy
 * packed for x·Wᵀ (pack_bt's layout, sgemm-pack-vector.ts: blocks of KC steps of k, panels of 8 rows,
 * each step's 8 values contiguous) while the new values are in registers — one pass over the weight
 * instead of the update's and then pack_bt's, which reads back from memory what the update wrote:
 *
 *   adam_packed(p, g, m, v, scalars, k, dst, nPanels, whole, start, end)
 *
 * `dst` is the copy's byte address, nPanels = ⌈n / 8⌉ its panels, `whole` = ⌊n / 8⌋ the panels this
 * updates: tiles of PACKED_PANELS_PER_TILE panels, [start, end). The caller updates the rows of a
 * ragged last panel with the plain loop and packs that panel with pack_bt. Each value goes through
 * the plain loop's instructions (`step`), so the parameter and slots are the same bits as that
 * loop's, and the copy holds those bits, moved by the transposes pack_bt does.
 */
function packedUpdateFunction(spec: UpdateSpec): { type: number[]; code: number[] } {
  const params = [...spec.pointers, 'scalars', 'k', 'dst', 'nPanels', 'whole', 'start', 'end'];
  const rows = ['row0', 'row1', 'row2', 'row3'];
  const ts = ['t0', 't1', 't2', 't3'];
  const b = updateBuilder(spec, params, ['i', 'q', 'qEnd', 'k0', 'kc', 'kk', 'base', 'rowBytes', 'off'], [...rows, ...ts]);
  const g = (n: string): number[] => get(b.at(n));
  const s = (n: string, value: number[]): number[] => [...value, ...set(b.at(n))];
  const c = Op.i32Const;
  const minOf = (x: number[], y: number[]): number[] => [...x, ...y, ...x, ...y, ...Op.i32LtS, ...Op.select];
  /** for (name = from; name < to; name += by) body */
  const loop = (name: string, from: number[], to: number[], by: number[], body: number[]): number[] => [
    ...s(name, from), ...Op.block, ...Op.loop, ...g(name), ...to, ...Op.i32GeS, ...Op.brIf(1),
    ...body, ...s(name, [...g(name), ...by, ...Op.i32Add]), ...Op.br(0), ...Op.end, ...Op.end,
  ];
  // Four k steps of 8 rows: rows 4h..4h+3 updated, then transposed into the half h of 4 packed rows.
  const steps: number[] = [...s('off', [...g('q'), ...c(3), ...Op.i32Shl, ...g('rowBytes'), ...Op.i32Mul, ...g('k0'), ...g('kk'), ...Op.i32Add, ...c(2), ...Op.i32Shl, ...Op.i32Add])];
  for (let h = 0; h < 2; h++) {
    for (let r = 0; r < 4; r++) {
      steps.push(...s('i', [...g('off'), ...g('rowBytes'), ...c(4 * h + r), ...Op.i32Mul, ...Op.i32Add]));
      steps.push(...b.step, ...s(rows[r]!, b.newParam));
    }
    const dp = [...g('base'), ...g('kk'), ...c(5), ...Op.i32Shl, ...Op.i32Add];
    const t = [g('t0'), g('t1'), g('t2'), g('t3')] as const;
    steps.push(...transpose4x4((r) => g(rows[r]!), t, (i, value) => s(ts[i]!, value), (j, value) => [...dp, ...value, ...Op.v128Store(32 * j + 16 * h)]));
  }
  const block = [
    ...s('kc', minOf(c(KC), [...g('k'), ...g('k0'), ...Op.i32Sub])),
    // The block's panel q: dst + (k0·nPanels + q·kc)·32 bytes.
    ...s('base', [...g('dst'), ...g('k0'), ...g('nPanels'), ...Op.i32Mul, ...g('q'), ...g('kc'), ...Op.i32Mul, ...Op.i32Add, ...c(5), ...Op.i32Shl, ...Op.i32Add]),
    ...loop('kk', c(0), g('kc'), c(4), steps),
  ];
  const code = [
    ...s('rowBytes', [...g('k'), ...c(2), ...Op.i32Shl]),
    ...s('qEnd', minOf([...g('end'), ...c(PACKED_PANELS_PER_TILE), ...Op.i32Mul], g('whole'))),
    ...loop('q', [...g('start'), ...c(PACKED_PANELS_PER_TILE), ...Op.i32Mul], g('qEnd'), c(1), loop('k0', c(0), g('k'), c(KC), block)),
  ];
  return { type: b.type, code: b.body(code) };
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
const OPTIMIZER_UPDATES = Object.keys(UPDATES) as OptimizerUpdate[];

/**
 * The export of each update that also writes the weight's packed copy (`packedUpdateFunction`): names
 * made once, since a template string per update call would be a string allocated per training step.
 */
export const PACKED_NAMES = Object.fromEntries(OPTIMIZER_UPDATES.map((update) => [update, `${update}_packed`])) as Readonly<Record<OptimizerUpdate, string>>;

/** The module's exports: every update, then every update that also packs. */
export const OPTIMIZER_FUNCTIONS: readonly string[] = [...OPTIMIZER_UPDATES, ...OPTIMIZER_UPDATES.map((update) => PACKED_NAMES[update])];

/** The module over an imported memory, shared or not (threads/threaded-module.ts). */
export function optimizerModuleBytes(shared = false): Uint8Array<ArrayBuffer> {
  const functions = [...OPTIMIZER_UPDATES.map((n) => updateFunction(UPDATES[n]!)), ...OPTIMIZER_UPDATES.map((n) => packedUpdateFunction(UPDATES[n]!))];
  return moduleOfFunctions(
    functions.map((f, i) => ({ name: OPTIMIZER_FUNCTIONS[i]!, type: f.type, body: f.code })),
    importedMemorySection(shared, MAX_MEMORY_PAGES),
  );
}
