import { TILE_ACTIVATIONS, type TileActivation } from './sgemm-module.js';
import { importedMemorySection, moduleBytes, name, Op, section, Type, u32, vector } from './wasm-bytes.js';

/**
 * The WebAssembly SIMD kernel for a few rows times a weight read along k (x·Wᵀ, m ≤ SMALL_M), as
 * module bytes. It imports its memory (env.memory, shared when threads may run it:
 * threads/threaded-module.ts) and exports one function per row count m = 1..4:
 *
 *   gemv<m>_tiles(a, b, c, blocks, kpBytes, blocksPerTile, start, end)
 *
 * which computes column blocks [start·blocksPerTile, end·blocksPerTile) (clipped to `blocks`): a
 * range of tiles any thread can run (W's rows are split, each output summed by the same instructions
 * whichever thread computes it).
 *
 * - b: W packed in groups of GEMV_GROUP = 6 rows, interleaved along k (gemv-simd.ts writes it once
 *   per weight version): group g, k step s (4 along k), row j of the group and lane l at byte
 *   b + ((g·kp/4 + s)·6 + j)·16 + 4l, rows and k zero-padded (kp a multiple of 4; kpBytes = 4·kp).
 *   A block's rows are then one pointer's fixed offsets: each k step is one run of 96 bytes, and the
 *   loop keeps two pointers (A, W) in registers instead of one per row of W.
 * - a: the m rows of A in float32, interleaved by steps of 4 along k: [kp / 4][m][4].
 * - c: float32 [blocks][m][columns]: each block's m × columns sums, in the order they are finished.
 *
 * Accumulation is in float32 (f32x4), like the GEMM (sgemm-module.ts) and every peer: lane l of an
 * accumulator sums k ≡ l mod 4, and the four lanes are added at the end. Each k step (4 along k): the
 * m rows' four inputs are loaded once; then per column of the block one load of W and, per row, a
 * multiply-add (relaxed SIMD's fused one with `fma`, else multiply then add). W's loads are shared by
 * all m rows, so W is read once whatever m. Columns per block, by m (GEMV_COLUMNS): 6 for one row,
 * 3 for two, 2 for three and four. V8 hoists a step's loads of W above its multiply-adds, so the
 * m × columns accumulators, the m inputs and all `columns` vectors of W are live at once, and must
 * fit in the 15 vector registers it allocates on x64: with 8 columns for one row (17) it kept an
 * accumulator on the stack, a store and reload in every step's dependency chain, and ran at half
 * the rate of 6 (13).
 */
export const GEMV_COLUMNS = [6, 3, 2, 2] as const;
/** Rows of W per interleaved group: the widest block, a multiple of the others. */
export const GEMV_GROUP = 6;

const params = ['a', 'b', 'c', 'blocks', 'kpBytes', 'bias', 'alpha', 'perTile', 'start', 'end'] as const;
const i32Locals = ['block', 'blockEnd', 'ap', 'wp', 'kk', 'cp', 'bp'] as const;

/** What is done to each sum before it is stored. */
export interface GemvEpilogue {
  bias: boolean;
  activation: TileActivation;
}

export const GEMV_EPILOGUES: readonly GemvEpilogue[] = [false, true].flatMap((bias) => TILE_ACTIVATIONS.map((activation) => ({ bias, activation })));

export const gemvName = (m: number, e: GemvEpilogue): string => `gemv${m}${e.bias ? '_bias' : ''}_${e.activation}`;

/** The f32 `v` (local) finished: + bias (at bp + offset), then the activation (NaN and −0 kept as the GEMM's tiles keep them). */
function finish(epilogue: GemvEpilogue, v: number, bp: number, alpha: number, offset: number): number[] {
  const code: number[] = [];
  if (epilogue.bias) code.push(...Op.localGet(v), ...Op.localGet(bp), ...Op.f32Load(offset), ...Op.f32Add, ...Op.localSet(v));
  const negative = [...Op.localGet(v), ...Op.f32Const(0), ...Op.f32Lt];
  switch (epilogue.activation) {
    case 'none':
      break;
    case 'relu':
      code.push(...Op.f32Const(0), ...Op.localGet(v), ...negative, ...Op.select, ...Op.localSet(v));
      break;
    case 'leaky_relu':
      code.push(...Op.localGet(alpha), ...Op.localGet(v), ...Op.f32Mul, ...Op.localGet(v), ...negative, ...Op.select, ...Op.localSet(v));
      break;
    case 'step':
      code.push(...Op.f32Const(1), ...Op.f32Const(0), ...Op.localGet(v), ...Op.f32Const(0), ...Op.f32Gt, ...Op.select, ...Op.localSet(v));
      break;
  }
  return code;
}

function tilesBody(m: number, fma: boolean, epilogue: GemvEpilogue): number[] {
  const columns = GEMV_COLUMNS[m - 1]!;
  const accCount = m * columns;
  const index = new Map<string, number>([...params, ...i32Locals].map((n, i) => [n, i]));
  // v128 locals: the m × columns accumulators, one vector of W, m inputs.
  const vBase = index.size;
  const acc = (r: number, j: number): number => vBase + r * columns + j;
  const weight = vBase + accCount;
  const input = (r: number): number => weight + 1 + r;
  const v = input(m);
  const get = (local: string | number): number[] => Op.localGet(typeof local === 'number' ? local : index.get(local)!);
  const set = (local: string | number): number[] => Op.localSet(typeof local === 'number' ? local : index.get(local)!);
  const tee = (local: string): number[] => Op.localTee(index.get(local)!);

  const code: number[] = [];
  // block = start·perTile; blockEnd = min(end·perTile, blocks)
  code.push(...get('start'), ...get('perTile'), ...Op.i32Mul, ...set('block'));
  code.push(...get('end'), ...get('perTile'), ...Op.i32Mul, ...tee('blockEnd'), ...get('blocks'), ...get('blockEnd'), ...get('blocks'), ...Op.i32LtU, ...Op.select, ...set('blockEnd'));
  code.push(...Op.block, ...get('block'), ...get('blockEnd'), ...Op.i32GeU, ...Op.brIf(0));
  // cp = c + block·m·columns·4; bp = bias + block·columns·4
  code.push(...get('c'), ...get('block'), ...Op.i32Const(4 * accCount), ...Op.i32Mul, ...Op.i32Add, ...set('cp'));
  code.push(...get('bias'), ...get('block'), ...Op.i32Const(4 * columns), ...Op.i32Mul, ...Op.i32Add, ...set('bp'));
  code.push(...Op.loop);
  for (let i = 0; i < accCount; i++) code.push(...Op.v128Zero, ...set(vBase + i));
  // wp = b + g·kpBytes·GROUP + (row0 − g·GROUP)·16, row0 = block·columns, g = ⌊row0 / GROUP⌋ (kk: g for now)
  const row0 = [...get('block'), ...Op.i32Const(columns), ...Op.i32Mul];
  code.push(...row0, ...Op.i32Const(GEMV_GROUP), ...Op.i32DivU, ...set('kk'));
  code.push(...get('b'), ...get('kk'), ...get('kpBytes'), ...Op.i32Mul, ...Op.i32Const(GEMV_GROUP), ...Op.i32Mul, ...Op.i32Add);
  code.push(...row0, ...get('kk'), ...Op.i32Const(GEMV_GROUP), ...Op.i32Mul, ...Op.i32Sub, ...Op.i32Const(4), ...Op.i32Shl, ...Op.i32Add, ...set('wp'));
  code.push(...get('a'), ...set('ap'), ...get('kpBytes'), ...Op.i32Const(16), ...Op.i32DivU, ...set('kk'));

  code.push(...Op.loop);
  for (let r = 0; r < m; r++) code.push(...get('ap'), ...Op.v128Load(16 * r), ...set(input(r)));
  for (let j = 0; j < columns; j++) {
    code.push(...get('wp'), ...Op.v128Load(16 * j), ...set(weight));
    for (let r = 0; r < m; r++) {
      if (fma) code.push(...get(input(r)), ...get(weight), ...get(acc(r, j)), ...Op.f32x4RelaxedMadd, ...set(acc(r, j)));
      else code.push(...get(acc(r, j)), ...get(input(r)), ...get(weight), ...Op.f32x4Mul, ...Op.f32x4Add, ...set(acc(r, j)));
    }
  }
  code.push(...get('ap'), ...Op.i32Const(16 * m), ...Op.i32Add, ...set('ap'));
  code.push(...get('wp'), ...Op.i32Const(16 * GEMV_GROUP), ...Op.i32Add, ...set('wp'));
  code.push(...get('kk'), ...Op.i32Const(1), ...Op.i32Sub, ...tee('kk'), ...Op.brIf(0), ...Op.end);

  // c[block][r][j] = finish((lane 0 + lane 1) + (lane 2 + lane 3)).
  for (let r = 0; r < m; r++) {
    for (let j = 0; j < columns; j++) {
      const a = acc(r, j);
      code.push(...get(a), ...Op.f32x4ExtractLane(0), ...get(a), ...Op.f32x4ExtractLane(1), ...Op.f32Add);
      code.push(...get(a), ...Op.f32x4ExtractLane(2), ...get(a), ...Op.f32x4ExtractLane(3), ...Op.f32Add, ...Op.f32Add, ...set(v));
      code.push(...finish(epilogue, v, index.get('bp')!, index.get('alpha')!, 4 * j));
      code.push(...get('cp'), ...get(v), ...Op.f32Store(4 * (r * columns + j)));
    }
  }
  code.push(...get('cp'), ...Op.i32Const(4 * accCount), ...Op.i32Add, ...set('cp'));
  code.push(...get('bp'), ...Op.i32Const(4 * columns), ...Op.i32Add, ...set('bp'));
  code.push(...get('block'), ...Op.i32Const(1), ...Op.i32Add, ...tee('block'), ...get('blockEnd'), ...Op.i32LtU, ...Op.brIf(0), ...Op.end, ...Op.end, ...Op.end);

  const locals = vector([[...u32(i32Locals.length), Type.i32], [...u32(accCount + 1 + m), Type.v128], [1, Type.f32]]);
  return [...locals, ...code];
}

/**
 * The module over an imported memory, `shared` or not, of at most `maxPages` pages; `fma` selects
 * relaxed SIMD's multiply-add (validate the bytes before use: gemv-simd.ts).
 */
export function gemvModuleBytes(shared = false, maxPages = 65536, fma = false): Uint8Array<ArrayBuffer> {
  const tilesType = [Type.func, ...vector(params.map((p) => [p === 'alpha' ? Type.f32 : Type.i32])), ...vector([])];
  const kernels = GEMV_COLUMNS.flatMap((_, i) => GEMV_EPILOGUES.map((epilogue) => ({ m: i + 1, epilogue })));
  const bodies = kernels.map(({ m, epilogue }) => tilesBody(m, fma, epilogue)).map((body) => u32(body.length).concat(body));
  const exports = kernels.map(({ m, epilogue }, i) => [...name(gemvName(m, epilogue)), 0x00, ...u32(i)]);
  return moduleBytes(
    section(1, vector([tilesType])),
    importedMemorySection(shared, maxPages),
    section(3, vector(kernels.map(() => u32(0)))),
    section(7, vector(exports)),
    section(10, vector(bodies)),
  );
}
