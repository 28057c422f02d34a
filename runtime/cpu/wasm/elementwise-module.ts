import { MAX_MEMORY_PAGES } from '../threads/threaded-module.js';
import { importedMemorySection, moduleOfFunctions, Op, Type, u32 } from './wasm-bytes.js';
import { WasmFunction } from './wasm-function.js';

/**
 * Element-wise kernels (activations, their gradients, the equal-shape binaries) as float32
 * WebAssembly SIMD loops, module bytes over an imported memory (the GEMM module's:
 * elementwise-simd.ts). Every export has the form
 *
 *   name(...pointers, bytes, [scalars,] start, end)
 *
 * with byte addresses, `bytes` a multiple of 16, `scalars` (for the kernels that take settings) the
 * byte address of their float32 values (4 bytes each, in order: alpha, factor), and computes the tiles [start, end) of its output,
 * a tile being TILE_BYTES of it: so it runs through `parallelFor` on any number of threads, each
 * value computed by the same instructions whichever thread computes it. The settings travel through
 * memory, not as f32 parameters, so that every argument is a small integer: a float argument would be
 * boxed (a heap number per call) on its way through the threaded call (threads/threaded-module.ts).
 *
 *   relu(x, y)                       y = x < 0 ? 0 : x (f32x4.pmax: −0 and NaN kept, as the JS loop)
 *   relu_grad(dy, y, dx)             dx = y > 0 ? dy : dy·0
 *   leaky_relu_grad(dy, y, dx, a)    dx = dy · (y > 0 ? 1 : a)
 *   elu_grad(dy, y, dx, a)           dx = y > 0 ? dy : dy·(y + a)
 *   sigmoid_grad(dy, y, dx)          dx = dy · (y·(1 − y))
 *   tanh_grad(dy, y, dx)             dx = dy · ((1 − y)·(1 + y))   (1 − y² without its cancellation near |y| = 1)
 *   add, sub, mul, div(a, b, y)      y = a ∘ b
 *   scale(x, y, factor)              y = factor · x
 *
 * and the binaries with a repeating second operand (a bias over the channels-last axis, a scalar):
 *
 *   add_rows, sub_rows, mul_rows, div_rows(a, b, y, bytes, period, start, end)
 *                                    y[i] = a[i] ∘ b[i mod period/4], `period` a multiple of 16
 *                                    (elementwise-simd.ts repeats a shorter b 4 times in scratch)
 *
 * relu, relu_grad and the binaries give the JS kernels' bits (a float64 operation on two float32
 * values rounds to the float32 result); the others round in float32 where the JS kernels round
 * once from float64: the tolerances are in test/runtime/cpu/elementwise-simd.test.ts.
 */
const i32 = Type.i32;

/** Floats per tile: 16 KiB of output, a few microseconds of work, many tiles for a large tensor. */
export const TILE_FLOATS = 4096;
const TILE_BYTES = TILE_FLOATS * 4;

const Simd = {
  const4: (value: number) => [0xfd, ...u32(0x0c), ...new Uint8Array(new Float32Array([value, value, value, value]).buffer)],
  f32x4Div: [0xfd, ...u32(0xe7)],
} as const;

type Code = readonly number[];

export interface MapSpec {
  /** Pointer parameters, the output last. */
  pointers: readonly string[];
  /** f32 settings read from the block at `scalars` (after `bytes`), splatted once into v128 locals. */
  scalars?: readonly string[];
  /** The output's four values, from `load(pointer)` (four values at the current offset) and `s(scalar)`. */
  value: (load: (pointer: string) => Code, s: (scalar: string) => Code, f: WasmFunction) => Code;
}

export function mapFunction(spec: MapSpec): { f: WasmFunction; code: number[] } {
  const scalars = spec.scalars ?? [];
  const f = new WasmFunction([
    ...spec.pointers.map((p) => [p, i32] as const),
    ['bytes', i32],
    ...(scalars.length > 0 ? [['scalars', i32] as const] : []),
    ['start', i32],
    ['end', i32],
  ]);
  f.declare(i32, 'j', 'stop');
  f.declare(Type.v128, ...scalars.map((s) => `${s}4`));
  const load = (pointer: string): Code => [...f.get(pointer), ...f.get('j'), ...Op.i32Add, ...Op.v128Load(0)];
  const output = spec.pointers[spec.pointers.length - 1]!;
  const stop = [...f.get('end'), ...Op.i32Const(TILE_BYTES), ...Op.i32Mul];
  const code = [
    // f32.load (align 4, offset 4·i) of each setting, splatted
    ...scalars.flatMap((s, i) => f.set(`${s}4`, [...f.get('scalars'), 0x2a, 2, ...u32(i * 4), ...Op.f32x4Splat])),
    // stop = min(end · TILE_BYTES, bytes)
    ...f.set('stop', [...stop, ...f.get('bytes'), ...stop, ...f.get('bytes'), ...Op.i32LtS, ...Op.select]),
    ...f.for('j', [...f.get('start'), ...Op.i32Const(TILE_BYTES), ...Op.i32Mul], f.get('stop'), Op.i32Const(16), [
      ...f.get(output), ...f.get('j'), ...Op.i32Add,
      ...spec.value(load, (s) => f.get(`${s}4`), f),
      ...Op.v128Store(0),
    ]),
  ];
  return { f, code };
}

const mul = (a: Code, b: Code): number[] => [...a, ...b, ...Op.f32x4Mul];
const sub = (a: Code, b: Code): number[] => [...a, ...b, ...Op.f32x4Sub];
const add = (a: Code, b: Code): number[] => [...a, ...b, ...Op.f32x4Add];
/** Lanes of `a` where y > 0, of `b` elsewhere (a NaN y takes `b`, as the JS ternary does). */
const wherePositive = (y: Code, a: Code, b: Code): number[] => [...a, ...b, ...y, ...Simd.const4(0), ...Op.f32x4Gt, ...Op.v128Bitselect];

const binary = (op: Code): MapSpec => ({ pointers: ['a', 'b', 'y'], value: (load) => [...load('a'), ...load('b'), ...op] });

const BINARIES = { add: Op.f32x4Add, sub: Op.f32x4Sub, mul: Op.f32x4Mul, div: Simd.f32x4Div } satisfies Record<string, Code>;

const FUNCTIONS = {
  relu: { pointers: ['x', 'y'], value: (load) => [...load('x'), ...Simd.const4(0), ...Op.f32x4Pmax] },
  relu_grad: { pointers: ['dy', 'y', 'dx'], value: (load) => wherePositive(load('y'), load('dy'), mul(load('dy'), Simd.const4(0))) },
  leaky_relu_grad: {
    pointers: ['dy', 'y', 'dx'],
    scalars: ['alpha'],
    value: (load, s) => mul(load('dy'), wherePositive(load('y'), Simd.const4(1), s('alpha'))),
  },
  elu_grad: {
    pointers: ['dy', 'y', 'dx'],
    scalars: ['alpha'],
    value: (load, s) => mul(load('dy'), wherePositive(load('y'), Simd.const4(1), add(load('y'), s('alpha')))),
  },
  sigmoid_grad: { pointers: ['dy', 'y', 'dx'], value: (load) => mul(load('dy'), mul(load('y'), sub(Simd.const4(1), load('y')))) },
  tanh_grad: { pointers: ['dy', 'y', 'dx'], value: (load) => mul(load('dy'), mul(sub(Simd.const4(1), load('y')), add(Simd.const4(1), load('y')))) },
  add: binary(BINARIES.add),
  sub: binary(BINARIES.sub),
  mul: binary(BINARIES.mul),
  div: binary(BINARIES.div),
  scale: { pointers: ['x', 'y'], scalars: ['factor'], value: (load, s) => mul(s('factor'), load('x')) },
} satisfies Record<string, MapSpec>;

/**
 * `<op>_rows`: y = a ∘ b over the tiles [start, end), b read at byte k = j mod period, which steps
 * with j and wraps to 0 at `period` (one remainder per tile, none per value).
 */
function rowsFunction(op: Code): { f: WasmFunction; code: number[] } {
  const f = new WasmFunction(['a', 'b', 'y', 'bytes', 'period', 'start', 'end'].map((p) => [p, i32] as const));
  f.declare(i32, 'j', 'k', 'stop');
  const at = (pointer: string, offset: string): number[] => [...f.get(pointer), ...f.get(offset), ...Op.i32Add];
  const stop = [...f.get('end'), ...Op.i32Const(TILE_BYTES), ...Op.i32Mul];
  const first = [...f.get('start'), ...Op.i32Const(TILE_BYTES), ...Op.i32Mul];
  const code = [
    ...f.set('stop', [...stop, ...f.get('bytes'), ...stop, ...f.get('bytes'), ...Op.i32LtS, ...Op.select]),
    ...f.set('k', [...first, ...f.get('period'), ...Op.i32RemU]),
    ...f.for('j', first, f.get('stop'), Op.i32Const(16), [
      ...at('y', 'j'),
      ...at('a', 'j'), ...Op.v128Load(0),
      ...at('b', 'k'), ...Op.v128Load(0),
      ...op,
      ...Op.v128Store(0),
      // k = k + 16, or 0 at the period's end
      ...f.set('k', [...f.get('k'), ...Op.i32Const(16), ...Op.i32Add]),
      ...f.set('k', [...Op.i32Const(0), ...f.get('k'), ...f.get('k'), ...f.get('period'), ...Op.i32Eq, ...Op.select]),
    ]),
  ];
  return { f, code };
}

const ROWS = { add_rows: BINARIES.add, sub_rows: BINARIES.sub, mul_rows: BINARIES.mul, div_rows: BINARIES.div } satisfies Record<`${keyof typeof BINARIES}_rows`, Code>;

export type ElementwiseFunction = keyof typeof FUNCTIONS | keyof typeof ROWS;

/** The exports, in order. */
export const ELEMENTWISE_FUNCTIONS = [...Object.keys(FUNCTIONS), ...Object.keys(ROWS)] as ElementwiseFunction[];

/** The module over the GEMM's memory, `shared` as that one is (threads/threaded-module.ts). */
export function elementwiseModuleBytes(shared = false): Uint8Array<ArrayBuffer> {
  const built = ELEMENTWISE_FUNCTIONS.map((n) => (n in ROWS ? rowsFunction(ROWS[n as keyof typeof ROWS]) : mapFunction(FUNCTIONS[n as keyof typeof FUNCTIONS])));
  return moduleOfFunctions(
    built.map(({ f, code }, i) => ({ name: ELEMENTWISE_FUNCTIONS[i]!, type: f.type(), body: f.body(code) })),
    importedMemorySection(shared, MAX_MEMORY_PAGES),
  );
}
