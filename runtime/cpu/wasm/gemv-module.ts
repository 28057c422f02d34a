import { importedMemorySection, MAGIC_AND_VERSION, name, Op, section, Type, u32, vector } from './wasm-bytes.js';

/**
 * The WebAssembly SIMD kernel for a few rows times a weight read along k (x·Wᵀ, m ≤ SMALL_M), as
 * module bytes. It imports its memory (env.memory, shared when threads may run it:
 * threads/threaded-module.ts) and exports one function per row count m = 1..4:
 *
 *   gemv<m>(a, b, c, blocks, kpBytes)
 *   gemv<m>_tiles(a, b, c, blocks, kpBytes, blocksPerTile, start, end)
 *
 * The second computes blocks [start·blocksPerTile, end·blocksPerTile) only (clipped to `blocks`),
 * by calling the first on them: a range of tiles any thread can run (W's rows are split, each output
 * summed by the same instructions whichever thread computes it).
 *
 * - b: W, float32 [blocks · GEMV_COLUMNS[m] (or more) rows, kp], row-major, each row zero-padded to
 *   kp (a multiple of 4) floats = kpBytes bytes. The driver keeps it resident (gemv-simd.ts).
 * - a: the m rows of A in float32, interleaved by steps of 4 along k: [kp / 4][m][4].
 * - c: float32 [blocks][m][columns]: each block's m × columns sums, in the order they are finished.
 *
 * Accumulation is in float32 (f32x4), like the GEMM (sgemm-module.ts) and every peer: lane l of an
 * accumulator sums k ≡ l mod 4, and the four lanes are added at the end. Each k step (4 along k): the
 * m rows' four inputs are loaded once; then per column of the block one load of W and, per row, a
 * multiply and an add. W's loads are shared by all m rows, so W is read once whatever m. Columns per
 * block, by m (GEMV_COLUMNS): 8 for one row (more independent sums in flight), 4 for two, 2 for three
 * and four: m × columns accumulators + m inputs + one W stay within x64's 16 vector registers.
 */
export const GEMV_COLUMNS = [8, 4, 2, 2] as const;

const params = ['a', 'b', 'c', 'blocks', 'kpBytes'] as const;
/** Block and k counters, the inputs' pointer, and one pointer per row of W in the block (p0..p7). */
const i32Locals = ['block', 'koff', 'ap', ...Array.from({ length: 8 }, (_, j) => `p${j}`)];

function kernelBody(m: number): number[] {
  const columns = GEMV_COLUMNS[m - 1]!;
  const accCount = m * columns;
  const index = new Map<string, number>([...params, ...i32Locals].map((n, i) => [n, i]));
  // v128 locals: the m × columns accumulators, one vector of W, m inputs.
  const vBase = index.size;
  const acc = (r: number, j: number): number => vBase + r * columns + j;
  const weight = vBase + accCount;
  const input = (r: number): number => weight + 1 + r;
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
  for (let r = 0; r < m; r++) code.push(...get('ap'), ...Op.v128Load(16 * r), ...set(input(r)));
  for (let j = 0; j < columns; j++) {
    code.push(...get(`p${j}`), ...get('koff'), ...Op.i32Add, ...Op.v128Load(0), ...set(weight));
    for (let r = 0; r < m; r++) {
      code.push(...get(acc(r, j)), ...get(input(r)), ...get(weight), ...Op.f32x4Mul, ...Op.f32x4Add, ...set(acc(r, j)));
    }
  }
  code.push(...get('ap'), ...Op.i32Const(16 * m), ...Op.i32Add, ...set('ap'));
  code.push(...get('koff'), ...Op.i32Const(16), ...Op.i32Add, ...tee('koff'), ...get('kpBytes'), ...Op.i32LtU, ...Op.brIf(0), ...Op.end);

  // c[block][r][j] = (lane 0 + lane 1) + (lane 2 + lane 3).
  for (let r = 0; r < m; r++) {
    for (let j = 0; j < columns; j++) {
      const a = acc(r, j);
      code.push(...get('c'), ...get(a), ...Op.f32x4ExtractLane(0), ...get(a), ...Op.f32x4ExtractLane(1), ...Op.f32Add);
      code.push(...get(a), ...Op.f32x4ExtractLane(2), ...get(a), ...Op.f32x4ExtractLane(3), ...Op.f32Add, ...Op.f32Add);
      code.push(...Op.f32Store(4 * (r * columns + j)));
    }
  }
  code.push(...get('c'), ...Op.i32Const(4 * accCount), ...Op.i32Add, ...set('c'));
  code.push(...get(`p${columns - 1}`), ...get('kpBytes'), ...Op.i32Add, ...set('b'));
  code.push(...get('block'), ...Op.i32Const(1), ...Op.i32Add, ...tee('block'), ...get('blocks'), ...Op.i32LtU, ...Op.brIf(0), ...Op.end, ...Op.end);

  const locals = vector([[...u32(i32Locals.length), Type.i32], [...u32(accCount + 1 + m), Type.v128]]);
  return [...locals, ...code];
}

/** gemv<m>_tiles: locals 0-7 are its parameters, 8 and 9 the first and end block. */
function tilesBody(m: number, kernel: number): number[] {
  const [a, b, c, blocks, kpBytes, perTile, start, end, b0, b1] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const columns = GEMV_COLUMNS[m - 1]!;
  const code: number[] = [];
  code.push(...Op.localGet(start), ...Op.localGet(perTile), ...Op.i32Mul, ...Op.localSet(b0));
  // b1 = min(end · perTile, blocks)
  code.push(...Op.localGet(end), ...Op.localGet(perTile), ...Op.i32Mul, ...Op.localTee(b1), ...Op.localGet(blocks), ...Op.localGet(b1), ...Op.localGet(blocks), ...Op.i32LtU, ...Op.select, ...Op.localSet(b1));
  code.push(...Op.block, ...Op.localGet(b0), ...Op.localGet(b1), ...Op.i32GeU, ...Op.brIf(0));
  code.push(...Op.localGet(a));
  code.push(...Op.localGet(b), ...Op.localGet(b0), ...Op.i32Const(columns), ...Op.i32Mul, ...Op.localGet(kpBytes), ...Op.i32Mul, ...Op.i32Add);
  code.push(...Op.localGet(c), ...Op.localGet(b0), ...Op.i32Const(4 * m * columns), ...Op.i32Mul, ...Op.i32Add);
  code.push(...Op.localGet(b1), ...Op.localGet(b0), ...Op.i32Sub, ...Op.localGet(kpBytes), ...Op.call(kernel), ...Op.end, ...Op.end);
  return [...vector([[...u32(2), Type.i32]]), ...code];
}

/** The module over an imported memory, `shared` or not, of at most `maxPages` pages. */
export function gemvModuleBytes(shared = false, maxPages = 65536): Uint8Array<ArrayBuffer> {
  const funcType = [Type.func, ...vector(params.map(() => [Type.i32])), ...vector([])];
  const tilesType = [Type.func, ...vector([...params, 'perTile', 'start', 'end'].map(() => [Type.i32])), ...vector([])];
  const rows = GEMV_COLUMNS.map((_, i) => i + 1);
  const bodies = [...rows.map((m) => kernelBody(m)), ...rows.map((m, i) => tilesBody(m, i))].map((body) => [...u32(body.length), ...body]);
  const exports = [
    ...rows.map((m, i) => [...name(`gemv${m}`), 0x00, ...u32(i)]),
    ...rows.map((m, i) => [...name(`gemv${m}_tiles`), 0x00, ...u32(rows.length + i)]),
  ];
  return new Uint8Array([
    ...MAGIC_AND_VERSION,
    ...section(1, vector([funcType, tilesType])),
    ...importedMemorySection(shared, maxPages),
    ...section(3, vector([...rows.map(() => u32(0)), ...rows.map(() => u32(1))])),
    ...section(7, vector(exports)),
    ...section(10, vector(bodies)),
  ]);
}
