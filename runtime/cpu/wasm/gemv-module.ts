import { MAGIC_AND_VERSION, name, Op, section, Type, u32, vector } from './wasm-bytes.js';

/**
 * The WebAssembly SIMD kernel for a few rows times a weight read along k (x·Wᵀ, m ≤ SMALL_M), as
 * module bytes. It exports its memory and one function per row count m = 1..4:
 *
 *   gemv<m>(a, b, c, blocks, kpBytes)
 *
 * - b: W, float32 [blocks · GEMV_COLUMNS[m] (or more) rows, kp], row-major, each row zero-padded to
 *   kp (a multiple of 4) floats = kpBytes bytes. The driver keeps it resident (gemv-simd.ts).
 * - a: the m rows of A in float64, interleaved by steps of 4 along k: [kp / 4][m][4].
 * - c: float32 [blocks][m][columns]: each block's m × columns sums, in the order they are finished.
 *
 * Accumulation is in float64 (f64x2), not float32: each pair of weights is widened exactly
 * (promote_low) and multiplied by float64 inputs, so every product is exact and every sum rounded
 * as in the JS kernel (gemm-small.ts, which sums JS doubles); results are rounded to float32 once.
 * Float32 lanes would do twice the multiply-adds per instruction and need no promotes, but rounded
 * products and sums lose accuracy as k grows, and a sample's result would then depend on the batch
 * size it came in (m > SMALL_M runs the float64 matmul kernel). Float64 still runs the benchmark's
 * batch-1 products about 7× faster than the JS kernel.
 *
 * Each k step (4 along k): the m rows' four inputs are loaded once (2m f64x2); then per column of the
 * block two 8-byte loads of W and two promotes, and per row two multiplies and adds into one f64x2
 * accumulator (lane 0 sums k ≡ 0, 2 mod 4, lane 1 k ≡ 1, 3). W's loads are shared by all m rows, so
 * W is read once whatever m. Columns per block, by m (GEMV_COLUMNS), measured on the benchmark's
 * 784-512-256-10 layers: 8 for one row (more independent sums in flight), 2 for two, 1 for three and
 * four, where 2m inputs and m × columns accumulators must stay within x64's 16 vector registers.
 */
export const GEMV_COLUMNS = [8, 2, 1, 1] as const;

const params = ['a', 'b', 'c', 'blocks', 'kpBytes'] as const;
/** Block and k counters, the inputs' pointer, and one pointer per row of W in the block (p0..p7). */
const i32Locals = ['block', 'koff', 'ap', ...Array.from({ length: 8 }, (_, j) => `p${j}`)];

function kernelBody(m: number): number[] {
  const columns = GEMV_COLUMNS[m - 1]!;
  const accCount = m * columns;
  const index = new Map<string, number>([...params, ...i32Locals].map((n, i) => [n, i]));
  // v128 locals: the m × columns accumulators, one widened pair of weights (low, high), 2m inputs.
  const vBase = index.size;
  const acc = (r: number, j: number): number => vBase + r * columns + j;
  const low = vBase + accCount;
  const high = low + 1;
  const input = (r: number, half: number): number => high + 1 + 2 * r + half;
  const get = (local: string | number): number[] => Op.localGet(typeof local === 'number' ? local : index.get(local)!);
  const set = (local: string | number): number[] => Op.localSet(typeof local === 'number' ? local : index.get(local)!);
  const tee = (local: string): number[] => Op.localTee(index.get(local)!);

  const code: number[] = [...Op.i32Const(0), ...set('block'), ...Op.loop];
  for (let i = 0; i < accCount; i++) code.push(...Op.v128Zero, ...set(vBase + i));
  // p_j: row j of this block of W.
  code.push(...get('b'), ...set('p0'));
  for (let j = 1; j < columns; j++) code.push(...get(`p${j - 1}`), ...get('kpBytes'), ...Op.i32Add, ...set(`p${j}`));
  code.push(...Op.i32Const(0), ...set('koff'), ...get('a'), ...set('ap'));

  code.push(...Op.loop);
  for (let r = 0; r < m; r++) for (let h = 0; h < 2; h++) code.push(...get('ap'), ...Op.v128Load(32 * r + 16 * h), ...set(input(r, h)));
  for (let j = 0; j < columns; j++) {
    for (const [half, target] of [[0, low], [8, high]] as const) {
      code.push(...get(`p${j}`), ...get('koff'), ...Op.i32Add, ...Op.v128Load64Zero(half), ...Op.f64x2PromoteLowF32x4, ...set(target));
    }
    for (let r = 0; r < m; r++) {
      for (const [h, w] of [[0, low], [1, high]] as const) {
        code.push(...get(acc(r, j)), ...get(input(r, h)), ...get(w), ...Op.f64x2Mul, ...Op.f64x2Add, ...set(acc(r, j)));
      }
    }
  }
  code.push(...get('ap'), ...Op.i32Const(32 * m), ...Op.i32Add, ...set('ap'));
  code.push(...get('koff'), ...Op.i32Const(16), ...Op.i32Add, ...tee('koff'), ...get('kpBytes'), ...Op.i32LtU, ...Op.brIf(0), ...Op.end);

  // c[block][r][j] = float32(lane 0 + lane 1).
  for (let r = 0; r < m; r++) {
    for (let j = 0; j < columns; j++) {
      code.push(...get('c'), ...get(acc(r, j)), ...Op.f64x2ExtractLane(0), ...get(acc(r, j)), ...Op.f64x2ExtractLane(1), ...Op.f64Add);
      code.push(...Op.f32DemoteF64, ...Op.f32Store(4 * (r * columns + j)));
    }
  }
  code.push(...get('c'), ...Op.i32Const(4 * accCount), ...Op.i32Add, ...set('c'));
  code.push(...get(`p${columns - 1}`), ...get('kpBytes'), ...Op.i32Add, ...set('b'));
  code.push(...get('block'), ...Op.i32Const(1), ...Op.i32Add, ...tee('block'), ...get('blocks'), ...Op.i32LtU, ...Op.brIf(0), ...Op.end, ...Op.end);

  const locals = vector([[...u32(i32Locals.length), Type.i32], [...u32(accCount + 2 + 2 * m), Type.v128]]);
  return [...locals, ...code];
}

export function gemvModuleBytes(): Uint8Array<ArrayBuffer> {
  const funcType = [Type.func, ...vector(params.map(() => [Type.i32])), ...vector([])];
  const rows = GEMV_COLUMNS.map((_, i) => i + 1);
  const bodies = rows.map((m) => {
    const body = kernelBody(m);
    return [...u32(body.length), ...body];
  });
  const exports = rows.map((m, i) => [...name(`gemv${m}`), 0x00, ...u32(i)]);
  return new Uint8Array([
    ...MAGIC_AND_VERSION,
    ...section(1, vector([funcType])),
    ...section(3, vector(rows.map(() => u32(0)))),
    ...section(5, vector([[0x00, ...u32(1)]])),
    ...section(7, vector([...exports, [...name('memory'), 0x02, ...u32(0)]])),
    ...section(10, vector(bodies)),
  ]);
}
