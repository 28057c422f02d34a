import { MAGIC_AND_VERSION, name, Op, section, Type, u32, vector } from './wasm-bytes.js';

/**
 * The WebAssembly SIMD micro-kernel loop of the CPU matmul, as module bytes. It exports its memory
 * and one function:
 *
 *   panels(pa, pb, c, mPanels, nPanels, kc, ldc)
 *
 * For every panel q of B (4 columns) and panel p of A (4 rows), both packed k-major in float64 exactly
 * as runtime/cpu/kernels/matmul.ts packs them, it sums the 4×4 tile over kc steps in eight f64x2
 * accumulators and adds it into C, a float64 row-major buffer with a row stride of `ldc` bytes. All
 * pointers are byte addresses in the module's memory.
 *
 * Float64 keeps the results those of the JS kernel, which also accumulates in doubles (JS numbers):
 * the same products summed in the same order, so both agree to the bit within one block of k. Each k
 * step: two loads of B, four splat loads of A, eight f64x2 multiplies and eight adds; the loops keep
 * everything in the 11 vector locals, which V8 holds in registers.
 */
const params = ['pa', 'pb', 'c', 'mPanels', 'nPanels', 'kc', 'ldc'] as const;
const i32Locals = ['q', 'p', 'kk', 'ap', 'bp', 'cp'] as const;
const v128Locals = ['acc00', 'acc01', 'acc10', 'acc11', 'acc20', 'acc21', 'acc30', 'acc31', 'b0', 'b1', 'splat'] as const;
type Local = (typeof params)[number] | (typeof i32Locals)[number] | (typeof v128Locals)[number];
const index = new Map<Local, number>([...params, ...i32Locals, ...v128Locals].map((n, i) => [n, i]));
const get = (local: Local): number[] => Op.localGet(index.get(local)!);
const set = (local: Local): number[] => Op.localSet(index.get(local)!);
const tee = (local: Local): number[] => Op.localTee(index.get(local)!);
const acc = (row: number, half: number): Local => `acc${row}${half}` as Local;

/** One k step of the 4×4 tile: acc[r][h] += splat(A[r]) · B[h]. */
function kStep(): number[] {
  const code = [...get('bp'), ...Op.v128Load(0), ...set('b0'), ...get('bp'), ...Op.v128Load(16), ...set('b1')];
  for (let r = 0; r < 4; r++) {
    code.push(...get('ap'), ...Op.v128Load64Splat(8 * r), ...set('splat'));
    for (let h = 0; h < 2; h++) {
      code.push(...get(acc(r, h)), ...get('splat'), ...get(h === 0 ? 'b0' : 'b1'), ...Op.f64x2Mul, ...Op.f64x2Add, ...set(acc(r, h)));
    }
  }
  code.push(...get('ap'), ...Op.i32Const(32), ...Op.i32Add, ...set('ap'));
  code.push(...get('bp'), ...Op.i32Const(32), ...Op.i32Add, ...set('bp'));
  return code;
}

/** C[4p + r, 4q .. 4q+3] += acc[r]: cp walks down the tile's rows. */
function storeTile(): number[] {
  const code = [...get('c'), ...get('p'), ...get('ldc'), ...Op.i32Mul, ...Op.i32Const(2), ...Op.i32Shl, ...Op.i32Add];
  code.push(...get('q'), ...Op.i32Const(5), ...Op.i32Shl, ...Op.i32Add, ...set('cp'));
  for (let r = 0; r < 4; r++) {
    for (let h = 0; h < 2; h++) code.push(...get('cp'), ...get('cp'), ...Op.v128Load(16 * h), ...get(acc(r, h)), ...Op.f64x2Add, ...Op.v128Store(16 * h));
    code.push(...get('cp'), ...get('ldc'), ...Op.i32Add, ...set('cp'));
  }
  return code;
}

/** panelBase = base + panel · kc · 32 bytes (4 doubles per k step). */
function panelStart(base: Local, panel: Local, target: Local): number[] {
  return [...get(base), ...get(panel), ...get('kc'), ...Op.i32Mul, ...Op.i32Const(5), ...Op.i32Shl, ...Op.i32Add, ...set(target)];
}

/** `counter += 1; continue the enclosing loop while counter < limit`. */
function nextWhileBelow(counter: Local, limit: Local): number[] {
  return [...get(counter), ...Op.i32Const(1), ...Op.i32Add, ...tee(counter), ...get(limit), ...Op.i32LtU, ...Op.brIf(0)];
}

function body(): number[] {
  const code: number[] = [...Op.i32Const(0), ...set('q'), ...Op.loop];
  code.push(...Op.i32Const(0), ...set('p'), ...Op.loop);
  for (let r = 0; r < 4; r++) for (let h = 0; h < 2; h++) code.push(...Op.v128Zero, ...set(acc(r, h)));
  code.push(...panelStart('pa', 'p', 'ap'), ...panelStart('pb', 'q', 'bp'), ...get('kc'), ...set('kk'));
  code.push(...Op.loop, ...kStep(), ...get('kk'), ...Op.i32Const(1), ...Op.i32Sub, ...tee('kk'), ...Op.brIf(0), ...Op.end);
  code.push(...storeTile(), ...nextWhileBelow('p', 'mPanels'), ...Op.end);
  code.push(...nextWhileBelow('q', 'nPanels'), ...Op.end, ...Op.end);
  const locals = vector([[...u32(i32Locals.length), Type.i32], [...u32(v128Locals.length), Type.v128]]);
  return [...locals, ...code];
}

export function matmulModuleBytes(): Uint8Array<ArrayBuffer> {
  const funcType = [Type.func, ...vector(params.map(() => [Type.i32])), ...vector([])];
  const code = body();
  return new Uint8Array([
    ...MAGIC_AND_VERSION,
    ...section(1, vector([funcType])),
    ...section(3, vector([u32(0)])),
    ...section(5, vector([[0x00, ...u32(1)]])),
    ...section(7, vector([[...name('panels'), 0x00, ...u32(0)], [...name('memory'), 0x02, ...u32(0)]])),
    ...section(10, vector([[...u32(code.length), ...code]])),
  ]);
}
