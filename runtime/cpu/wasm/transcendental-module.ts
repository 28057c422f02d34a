import { importedMemorySection, moduleOfFunctions, Op, Type, u32 } from './wasm-bytes.js';
import { WasmFunction } from './wasm-function.js';

/**
 * Float32 exp, sigmoid and tanh in WebAssembly SIMD, four lanes at a time, and the recurrent cells
 * built from them. The module imports a memory (the GEMM's for the scans: recurrent-steps.ts; one of
 * its own for sigmoid and tanh: transcendental-simd.ts) and exports, with byte
 * addresses and byte counts that are multiples of 16:
 *
 *   add_rows(dst, dstStride, a, aStride, b, bStride, rows, bytes)   dst = a + b, row by row
 *   exp(x, y, bytes), sigmoid(x, y, bytes), tanh(x, y, bytes)     y = f(x), lane-wise
 *   lstm_cells(base, rows, uBytes)   per row of 6u floats [i f g o c h]: the first four hold the gates'
 *                                    pre-activations, c the previous cell state; all six are replaced
 *                                    by the step's values (the layout of the scan's `saved`)
 *   gru_cells(base, rows, uBytes)    per row of 5u floats [r z n hn h]: pre-activations of r and z, the
 *                                    input part of n, w_hh·h for n, the previous h; replaced likewise
 *
 * exp: x clamped to [−87, 88] (so 2ⁿ stays a normal float), n = round(x·log₂e), r = x − n·ln2 in two
 * parts (Cody–Waite), eʳ by Cephes' degree-6 polynomial on [−ln2/2, ln2/2], and 2ⁿ put into the
 * exponent bits. sigmoid = 1/(1 + e^−x). tanh: Eigen's rational 13/6 approximation on [−7.9, 7.9]
 * (beyond it tanh is ±1 in float32). The measured errors are in test/runtime/cpu/transcendental-simd.test.ts.
 * `fma` uses relaxed SIMD's multiply-add for the polynomials (validate it first), else mul + add.
 * The clamps are f32x4.pmin/pmax, one instruction each on x86, where f32x4.min/max are a sequence of
 * about eight (for their NaN and ±0 rules, which a clamp to nonzero constants does not need: a NaN
 * first operand passes through both kinds); with 2ⁿ made without a float → int conversion this made
 * exp 3× faster (7.9 → 2.6 ns a vector on the Zen 5 host), sigmoid 2.7× and tanh 2×, with the same bits.
 */
const i32 = Type.i32;
const v128 = Type.v128;

/** The SIMD instructions only this module needs (the rest are wasm-bytes.ts's). */
export const Simd = {
  const4: (value: number) => [0xfd, ...u32(0x0c), ...new Uint8Array(new Float32Array([value, value, value, value]).buffer)],
  i32Const4: (value: number) => [0xfd, ...u32(0x0c), ...new Uint8Array(new Int32Array([value, value, value, value]).buffer)],
  f32x4Div: [0xfd, ...u32(0xe7)],
  f32x4Nearest: [0xfd, ...u32(0x6a)],
  f32x4Le: [0xfd, ...u32(0x45)],
  f32x4Ge: [0xfd, ...u32(0x46)],
  i32x4Shl: [0xfd, ...u32(0xab)],
} as const;

export type Code = readonly number[];

/** Emits code with the multiply-add of the chosen kind. */
export class Emitter {
  constructor(readonly f: WasmFunction, readonly fma: boolean) {
    f.declare(v128, 'ex', 'en', 'ep', 'tx', 'tx2', 'tp', 'tr');
  }

  /** a·b + c. */
  madd(a: Code, b: Code, c: Code): number[] {
    return this.fma ? [...a, ...b, ...c, ...Op.f32x4RelaxedMadd] : [...a, ...b, ...Op.f32x4Mul, ...c, ...Op.f32x4Add];
  }

  /** Horner's rule in `x` over coefficients from the highest power down. */
  horner(x: Code, coefficients: readonly number[]): number[] {
    let code: number[] = Simd.const4(coefficients[0]!);
    for (const c of coefficients.slice(1)) code = this.madd(code, x, Simd.const4(c));
    return code;
  }

  exp(x: Code): number[] {
    const f = this.f;
    return [
      ...f.set('ex', [...x, ...Simd.const4(-87), ...Op.f32x4Pmax, ...Simd.const4(88), ...Op.f32x4Pmin]),
      ...f.set('en', [...f.get('ex'), ...Simd.const4(Math.LOG2E), ...Op.f32x4Mul, ...Simd.f32x4Nearest]),
      // r = x − n·ln2, ln2 split as 0.693359375 (exact in few bits) − 2.12194440e−4.
      ...f.set('ex', this.madd(f.get('en'), Simd.const4(-0.693359375), f.get('ex'))),
      ...f.set('ex', this.madd(f.get('en'), Simd.const4(2.12194440e-4), f.get('ex'))),
      // eʳ ≈ 1 + r + r²·P(r) (Cephes expf).
      ...f.set('ep', this.horner(f.get('ex'), [1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1])),
      ...f.set('ep', this.madd([...f.get('ep'), ...f.get('ex'), ...Op.f32x4Mul], f.get('ex'), [...f.get('ex'), ...Simd.const4(1), ...Op.f32x4Add])),
      // 2ⁿ: (n + 127) << 23 as float bits, made without a float → int conversion: n + (1.5·2²³ + 127)
      // is exact (an integer in [2²³, 2²⁴)) and its low mantissa bits are n + 127 ∈ [1, 254], which
      // the shift moves into the exponent, dropping the rest.
      ...f.get('ep'),
      ...f.get('en'), ...Simd.const4(12583039), ...Op.f32x4Add, ...Op.i32Const(23), ...Simd.i32x4Shl,
      ...Op.f32x4Mul,
    ];
  }

  sigmoid(x: Code): number[] {
    return [...Simd.const4(1), ...Simd.const4(1), ...this.exp([...Simd.const4(0), ...x, ...Op.f32x4Sub]), ...Op.f32x4Add, ...Simd.f32x4Div];
  }

  tanh(x: Code): number[] {
    const f = this.f;
    const clamp = 7.90531110763549805;
    return [
      ...f.set('tx', [...x, ...Simd.const4(-clamp), ...Op.f32x4Pmax, ...Simd.const4(clamp), ...Op.f32x4Pmin]),
      ...f.set('tx2', [...f.get('tx'), ...f.get('tx'), ...Op.f32x4Mul]),
      ...f.set('tp', this.horner(f.get('tx2'), [-2.76076847742355e-16, 2.00018790482477e-13, -8.60467152213735e-11, 5.12229709037114e-8, 1.48572235717979e-5, 6.37261928875436e-4, 4.89352455891786e-3])),
      ...f.get('tp'), ...f.get('tx'), ...Op.f32x4Mul,
      ...this.horner(f.get('tx2'), [1.19825839466702e-6, 1.18534705686654e-4, 2.26843463243900e-3, 4.89352518554385e-3]),
      ...Simd.f32x4Div,
      ...(this.fma ? this.saturate() : []),
    ];
  }

  /**
   * The tanh on the stack, ±1 where `tx` is at the clamp. With mul + add the rational rounds to exactly
   * ±1 there; fused it gives ±0.99999976 (Eigen moves the clamp to 7.9988 for FMA, but relaxed SIMD's
   * multiply-add may be either, and the unfused one then gives ±0.99999982), so saturate explicitly.
   */
  private saturate(): number[] {
    const f = this.f;
    const clamp = 7.90531110763549805;
    return [
      // Takes the tanh off the stack.
      ...f.set('tr', []),
      ...f.set('tr', [...Simd.const4(1), ...f.get('tr'), ...f.get('tx'), ...Simd.const4(clamp), ...Simd.f32x4Ge, ...Op.v128Bitselect]),
      ...Simd.const4(-1), ...f.get('tr'), ...f.get('tx'), ...Simd.const4(-clamp), ...Simd.f32x4Le, ...Op.v128Bitselect,
    ];
  }
}

export type Build = (e: Emitter, f: WasmFunction) => number[];

export function fn(params: string[], build: Build): (fma: boolean) => { f: WasmFunction; code: number[] } {
  return (fma) => {
    const f = new WasmFunction(params.map((p) => [p, i32] as const));
    f.declare(i32, 'j', 'r', 'row', 'a', 'u2', 'u3', 'u4', 'u5', 'stride');
    return { f, code: build(new Emitter(f, fma), f) };
  };
}

/** y[j] = act(x[j]) over `bytes`. */
const pass = (act: (e: Emitter, x: Code) => number[]): Build => (e, f) =>
  f.for('j', Op.i32Const(0), f.get('bytes'), Op.i32Const(16), [
    ...f.get('y'), ...f.get('j'), ...Op.i32Add,
    ...act(e, [...f.get('x'), ...f.get('j'), ...Op.i32Add, ...Op.v128Load(0)]),
    ...Op.v128Store(0),
  ]);

/**
 * For each row of `slots`·uBytes bytes from `base`, the passes in order, each a loop over j in
 * [0, its span of unit slots · uBytes) by 16 bytes with `a` = row + j. A cell is several short passes
 * over the row rather than one loop doing it all per vector: one vector's three sigmoids and two tanh
 * in one iteration leave the core less room to overlap one vector's chains with the next's; as
 * passes the LSTM's cells ran 15% faster (43 → 37 µs over 32 × 128 units, before exp's clamps
 * changed above). Each value is computed by the same instructions, so the same bits.
 */
function cells(f: WasmFunction, slots: number, passes: ReadonlyArray<{ span: 1 | 2; body: number[] }>): number[] {
  const times = (k: number): number[] => [...f.get('uBytes'), ...Op.i32Const(k), ...Op.i32Mul];
  return [
    ...f.set('u2', times(2)), ...f.set('u3', times(3)), ...f.set('u4', times(4)), ...f.set('u5', times(5)),
    ...f.set('stride', times(slots)),
    ...f.set('row', f.get('base')),
    ...f.for('r', Op.i32Const(0), f.get('rows'), Op.i32Const(1), [
      ...passes.flatMap(({ span, body }) =>
        f.for('j', Op.i32Const(0), f.get(span === 1 ? 'uBytes' : 'u2'), Op.i32Const(16), [...f.set('a', [...f.get('row'), ...f.get('j'), ...Op.i32Add]), ...body]),
      ),
      ...f.bump('row', f.get('stride')),
    ]),
  ];
}

/** The address of slot k (0..5) of the current unit vector. */
const slot = (f: WasmFunction, k: number): number[] => (k === 0 ? f.get('a') : [...f.get('a'), ...f.get(k === 1 ? 'uBytes' : `u${k}`), ...Op.i32Add]);
const read = (f: WasmFunction, k: number): number[] => [...slot(f, k), ...Op.v128Load(0)];
const write = (f: WasmFunction, k: number, value: Code): number[] => [...slot(f, k), ...value, ...Op.v128Store(0)];

/** dst[r] = a[r] + b[r] over `bytes` of each of `rows` rows (strides in bytes; 0 repeats a row). */
export const addRows: Build = (_e, f) => {
  f.declare(i32, 'pd', 'pa', 'pb');
  const at = (base: string, stride: string): number[] => [...f.get(base), ...f.get('r'), ...f.get(stride), ...Op.i32Mul, ...Op.i32Add];
  return f.for('r', Op.i32Const(0), f.get('rows'), Op.i32Const(1), [
    ...f.set('pd', at('dst', 'dstStride')), ...f.set('pa', at('a', 'aStride')), ...f.set('pb', at('b', 'bStride')),
    ...f.for('j', Op.i32Const(0), f.get('bytes'), Op.i32Const(16), [
      ...f.get('pd'), ...f.get('j'), ...Op.i32Add,
      ...f.get('pa'), ...f.get('j'), ...Op.i32Add, ...Op.v128Load(0),
      ...f.get('pb'), ...f.get('j'), ...Op.i32Add, ...Op.v128Load(0),
      ...Op.f32x4Add, ...Op.v128Store(0),
    ]),
  ]);
};

const FUNCTIONS = {
  add_rows: fn(['dst', 'dstStride', 'a', 'aStride', 'b', 'bStride', 'rows', 'bytes'], addRows),
  exp: fn(['x', 'y', 'bytes'], pass((e, x) => e.exp(x))),
  sigmoid: fn(['x', 'y', 'bytes'], pass((e, x) => e.sigmoid(x))),
  tanh: fn(['x', 'y', 'bytes'], pass((e, x) => e.tanh(x))),
  lstm_cells: fn(['base', 'rows', 'uBytes'], (e, f) => {
    f.declare(v128, 'c');
    return cells(f, 6, [
      // i and f (adjacent slots, one pass), then g and o, then c = f·c + i·g and h = o·tanh(c).
      { span: 2, body: write(f, 0, e.sigmoid(read(f, 0))) },
      { span: 1, body: [...write(f, 2, e.tanh(read(f, 2))), ...write(f, 3, e.sigmoid(read(f, 3)))] },
      {
        span: 1,
        body: [
          ...f.set('c', [...read(f, 1), ...read(f, 4), ...Op.f32x4Mul, ...read(f, 0), ...read(f, 2), ...Op.f32x4Mul, ...Op.f32x4Add]),
          ...write(f, 4, f.get('c')),
          ...write(f, 5, [...read(f, 3), ...e.tanh(f.get('c')), ...Op.f32x4Mul]),
        ],
      },
    ]);
  }),
  gru_cells: fn(['base', 'rows', 'uBytes'], (e, f) => {
    f.declare(v128, 'z', 'n');
    return cells(f, 5, [
      // r and z (adjacent slots, one pass), then n = tanh(xw_n + r·hn) and the new h.
      { span: 2, body: write(f, 0, e.sigmoid(read(f, 0))) },
      {
        span: 1,
        body: [
          ...f.set('z', read(f, 1)),
          ...f.set('n', e.tanh([...read(f, 2), ...read(f, 0), ...read(f, 3), ...Op.f32x4Mul, ...Op.f32x4Add])), ...write(f, 2, f.get('n')),
          // h = (1 − z)·n + z·h_{t−1}, as the JS cell writes it.
          ...write(f, 4, [...Simd.const4(1), ...f.get('z'), ...Op.f32x4Sub, ...f.get('n'), ...Op.f32x4Mul, ...f.get('z'), ...read(f, 4), ...Op.f32x4Mul, ...Op.f32x4Add]),
        ],
      },
    ]);
  }),
};

export type TranscendentalFunction = keyof typeof FUNCTIONS;
export const TRANSCENDENTAL_FUNCTIONS = Object.keys(FUNCTIONS) as TranscendentalFunction[];

/** The module over an imported memory of at most `maxPages` pages, `shared` or not (the GEMM's: recurrent-steps.ts). */
export function transcendentalModuleBytes(fma: boolean, maxPages: number, shared = false): Uint8Array<ArrayBuffer> {
  const built = Object.entries(FUNCTIONS).map(([n, make]) => ({ n, ...make(fma) }));
  return moduleOfFunctions(
    built.map(({ n, f, code }) => ({ name: n, type: f.type(), body: f.body(code) })),
    importedMemorySection(shared, maxPages),
  );
}

/**
 * The bytes of a module whose Emitter code may use relaxed SIMD's multiply-add: built with it where
 * the engine validates that, else with plain multiply and add (for `overGemmMemory`'s builders).
 */
export function withFmaWhereValid(build: (shared: boolean, fma: boolean) => Uint8Array<ArrayBuffer>): (shared: boolean) => Uint8Array<ArrayBuffer> {
  return (shared) => {
    const fused = build(shared, true);
    return WebAssembly.validate(fused) ? fused : build(shared, false);
  };
}
