import { instantiateThreaded, MAX_MEMORY_PAGES, parallelFor, type ThreadedModule } from '../threads/threaded-module.js';
import { addressIn, floatsOf } from './kernel-memory.js';
import { ResidentOperands } from './resident-operands.js';
import { DRIVER_VARIANTS, driverName, MR, NR, sgemmModuleBytes, TILE_ACTIVATIONS, winogradExports, type TileActivation } from './sgemm-module.js';
import { packB8, packedBSize } from './sgemm-pack.js';

/**
 * c[m×n] = A·B in float32 on the WebAssembly SIMD micro-kernel (sgemm-module.ts), with the bias and
 * the simple activations applied to each tile before it is stored. Memory of the module:
 *
 *   [ B packed, resident per weight version | B packed, when not resident | A | A packed | C | bias ]
 *
 * A is copied in as it is and packed, a pass of rows at a time, by the module (sgemm-pack-vector.ts),
 * on every thread (unless the tiles read it where it lies: ROW_MAJOR_A_MAX_PANELS); then its driver (sgemm-driver.ts) computes C tile by tile, each tile all its k
 * blocks of KC = 256 in order with the epilogue on the last, on as many threads as are given
 * (threads/threaded-module.ts): the tiles are the unit of work, so C is the same bits on any number
 * of threads. A tile is at most 64 rows × 128 columns: its packed A (64 × 256 floats = 64 KB per k
 * block) stays in L2 while each 8-column panel of B (8 KB) sits in L1 for the tile's 16 row panels.
 * Smaller products get more tiles, down to 8 rows × 16 columns, so that there are MIN_TILES to share
 * out; the driver splits the panels into near-equal runs, so the tiles differ by one panel at most.
 * The tiles depend on the shape only, never on the thread count.
 */
const TILE_ROW_PANELS = 16;
const TILE_COLUMN_PANELS = 16;
const MIN_TILES = 8;

/**
 * Row and column tiles of a product of mPanels × nPanels panels (the same array for the same sizes):
 * tiles of at most TILE_ROW_PANELS × TILE_COLUMN_PANELS panels, an even number of row tiles (so that
 * two threads' halves of the tiles are equal work: the driver splits panels into near-equal runs),
 * more while there are fewer than MIN_TILES and the tiles keep 2 panels a side.
 */
export function tileShape(mPanels: number, nPanels: number): readonly [number, number] {
  // A key below 2³⁰ is a small integer: a larger one would be a heap number, allocated per call.
  const cacheable = mPanels < SMALL_KEY && nPanels < SMALL_KEY;
  const key = mPanels * SMALL_KEY + nPanels;
  const known = cacheable ? tileShapes.get(key) : undefined;
  if (known) return known;
  let rows = Math.ceil(mPanels / TILE_ROW_PANELS);
  let columns = Math.ceil(nPanels / TILE_COLUMN_PANELS);
  if (rows > 1 && rows % 2 === 1 && mPanels >= 2 * (rows + 1)) rows++;
  while (rows * columns < MIN_TILES && mPanels >= 4 * rows) rows *= 2;
  while (rows * columns < MIN_TILES && nPanels >= 4 * columns) columns *= 2;
  const shape = [rows, columns] as const;
  if (cacheable) tileShapes.set(key, shape);
  return shape;
}

/** Keys of sizes below this pair up into a small integer (SMALL_KEY² = 2³⁰, V8's small-integer range on every build). */
const SMALL_KEY = 2 ** 15;

const tileShapes = new Map<number, readonly [number, number]>();

/**
 * Rows of A packed per pass: at most this many bytes of packed A (and the C rows that go with them)
 * in scratch at once, so a large convolution's patch matrix is never all in memory.
 */
const PACKED_A_BYTES = 16 * 1024 * 1024;

/**
 * B's panels at most for which the tiles read a row-major A where it lies (sgemm-module.ts's
 * rowMajorA) rather than packing it first. Its k steps take three more additions, which cost more than
 * a pass of packing saves once A is read by many column panels. Measured on the 2-vCPU EPYC, one
 * thread, a dense layer on a batch-256 784-wide input, row-major A against packed, interleaved, under
 * load: 16 columns 141 → 121 µs, 64 496 → 477, 128 980 → 964, 256 1,939 → 1,932, 512 3,920 → 3,947.
 */
const ROW_MAJOR_A_MAX_PANELS = 32;

/** Resident copies beyond this are forgotten and placed afresh (resident-operands.ts). */
const RESIDENT_LIMIT_BYTES = 256 * 1024 * 1024;

export interface SgemmModule {
  /** Whether the multiply-add is relaxed SIMD's fused one (else mul + add). */
  fma: boolean;
  threaded: ThreadedModule;
  memory: WebAssembly.Memory;
  resident: ResidentOperands;
}

function instantiate(fma: boolean): SgemmModule | null {
  const drivers = [...DRIVER_VARIANTS.map(driverName), 'pack_a', 'pack_b', 'pack_bt', ...winogradExports()];
  const threaded = instantiateThreaded((shared) => sgemmModuleBytes(fma, shared, MAX_MEMORY_PAGES), drivers);
  if (!threaded) return null;
  const { memory } = threaded;
  return { fma, threaded, memory, resident: new ResidentOperands(memory, RESIDENT_LIMIT_BYTES) };
}

const instances = new Map<boolean, SgemmModule | null>();

/**
 * The module with relaxed SIMD's multiply-add when this engine validates it (`fma: true`), or with
 * plain multiply and add; null when the host lacks WebAssembly SIMD. Pass `fma` to ask for one
 * (tests run both); null when that one does not validate.
 */
export function sgemmModule(fma?: boolean): SgemmModule | null {
  if (fma === undefined) return sgemmModule(true) ?? sgemmModule(false);
  if (!instances.has(fma)) instances.set(fma, instantiate(fma));
  return instances.get(fma)!;
}

/** What happens to each finished row block of C. */
export interface SgemmEpilogue {
  bias: Float32Array | null;
  /** Done in the tile; 'none' when there is no activation or it runs in `after`. */
  activation: TileActivation;
  alpha: number;
  /** Runs in JS on rows [rowStart, rowEnd) of c right after they are stored (pre copy, other activations). */
  after: ((c: Float32Array, rowStart: number, rowEnd: number) => void) | null;
}

const NO_EPILOGUE: SgemmEpilogue = { bias: null, activation: 'none', alpha: 0, after: null };

const align16 = (bytes: number): number => Math.ceil(bytes / 16) * 16;

export { floatsOf };

/** rows × n floats from float `from` of `memory` (row stride ldc) into c from `to` (row stride n). */
export function copyOut(memory: WebAssembly.Memory, from: number, ldc: number, c: Float32Array, to: number, n: number, rows: number): void {
  const floats = floatsOf(memory);
  // c lies in the memory (an executor's tensor): a move within it, no view per call. (Asked of
  // addressIn, not of c.buffer: a view made before the memory grew holds an older buffer object.)
  const cAt = ldc === n ? addressIn(memory, c) : null;
  if (cAt !== null) {
    floats.copyWithin(cAt / 4 + to, from, from + rows * n);
    return;
  }
  // c elsewhere (a kernel's own scratch array: the JS convolutions' for small products) is copied
  // float by float: a subarray view to copy from would be an allocation per call.
  for (let r = 0; r < rows; r++, from += ldc, to += n) {
    for (let j = 0; j < n; j++) c[to + j] = floats[from + j]!;
  }
}

/**
 * Packing a float is worth about this many multiply-adds of the GEMM (~23 GMAC/s on one thread of
 * the 2-vCPU Xeon): the work pack_a and pack_b report for the threshold. The module's vector
 * packings (sgemm-pack-vector.ts) move 10–13 G floats/s from cache (`x` 128×784 in 7.4 µs, W1ᵀ
 * 512×784 in 42 µs: 2 multiply-adds a float) but 4–6 times slower from memory (W1ᵀ 258 µs, `x`
 * 60 µs after a 48 MB sweep), as a weight the optimizer wrote a step ago is: 8 splits W1ᵀ and a
 * batch-256 `x` over the threads, and keeps smaller ones on the calling thread.
 */
const PACK_COST = 8;
const PACK_PANELS_PER_TILE = 4;

/**
 * The multiply-adds the tiles of `rows` × `nPanels` column panels × k do, the padding columns of the
 * last panel included (parallelFor's work: the threshold was measured on products with n a multiple
 * of 8). Counting n instead kept the MLP's last layer (256×10×256: 0.66 M, 1.05 M as the tiles run it)
 * on one thread: split, its 57 µs of a batch-256 inference's 2.75 ms became ~30 µs (2-vCPU EPYC,
 * interleaved, under load: 2,694 → 2,635 µs best, 2,771 → 2,748 µs 5th percentile).
 */
export const tileWork = (rows: number, nPanels: number, k: number): number => rows * nPanels * NR * k;

/**
 * c[m×n] = A·B, A(i,k) = a[i*aRow + k*aCol], B(k,j) = b[k*bRow + j*bCol] (gemm's strides, matmul.ts);
 * m, n, k ≥ 1; c is overwritten.
 *
 * B is copied as it is when row-major and dense (the kernel's rowMajorB variants read it so; used
 * where it lies when it is in the module's memory), packed (sgemm-pack.ts) otherwise; a cacheable B
 * (a weight) is kept resident per version (resident-operands.ts), anything else is written into
 * scratch on every call. A is copied as it is (the floats its strides reach) unless it lies in the
 * memory, then packed there by the module (sgemm-pack-vector.ts), a pass of rows at a time.
 *
 * A steady-state call allocates nothing: the argument lists, B's writer and the layout keys are
 * reused (a training step makes a few dozen of these calls).
 */
export function sgemmSimd(
  module: SgemmModule,
  a: Float32Array, aRow: number, aCol: number,
  b: Float32Array, bRow: number, bCol: number,
  c: Float32Array, m: number, n: number, k: number,
  epilogue: SgemmEpilogue = NO_EPILOGUE,
): void {
  const { memory, resident } = module;
  const nPanels = Math.ceil(n / NR);
  const ldc = nPanels * NR;
  const rowMajor = bCol === 1 && bRow === n;
  // Row-major B: k rows of n floats and one row of slack for the last panel's overread (see the module).
  const bBytes = rowMajor ? (k * n + NR) * 4 : packedBSize(n, k) * 4;
  const ldb = rowMajor ? n * 4 : 0;
  const pending = pendingB;
  pending.module = module;
  pending.b = b;
  pending.bRow = bRow;
  pending.bCol = bCol;
  pending.n = n;
  pending.k = k;
  pending.rowMajor = rowMajor;
  // Operands already in the module's memory (an executor's tensors: kernel-memory.ts) are used where
  // they lie; the rest is copied into scratch. Row-major B is read 8 columns past n in its last row:
  // the executor leaves slack after each tensor.
  const inPlaceB = rowMajor ? addressIn(memory, b) : null;
  const residentAt = inPlaceB ?? resident.place(b, layoutKey(rowMajor, bRow, bCol, n, k), bBytes, writeB);
  if (residentAt !== null && !rowMajor && bRow === 1 && bCol === k && !transposedShapes.has(b)) transposedShapes.set(b, { n, k });
  const bAt = residentAt ?? resident.scratchStart();
  const aFloats = (m - 1) * aRow + (k - 1) * aCol + 1;
  const aInPlace = addressIn(memory, a);
  // A row-major where it lies, whole panels of 4 rows, B packed and narrow: the tiles read A as it is (rowMajorA), no packing pass.
  const aRowMajor = aInPlace !== null && aCol === 1 && m % MR === 0 && !rowMajor && nPanels <= ROW_MAJOR_A_MAX_PANELS;
  const scratchAt = align16(residentAt === null ? bAt + bBytes : resident.scratchStart());
  const rawAt = aInPlace ?? scratchAt;
  const aAt = align16(aInPlace === null ? rawAt + aFloats * 4 : scratchAt);
  const passUnit = TILE_ROW_PANELS * MR;
  const passRows = Math.min(Math.ceil(m / MR) * MR, Math.max(passUnit, Math.floor(PACKED_A_BYTES / (4 * k) / passUnit) * passUnit));
  // C straight into c when the tiles' rows are c's rows (no padding columns, no rows past m).
  const cInPlace = ldc === n && m % MR === 0 ? addressIn(memory, c) : null;
  const cScratchAt = aAt + (aRowMajor ? 0 : passRows * k * 4);
  const biasInPlace = epilogue.bias && n % NR === 0 ? addressIn(memory, epilogue.bias) : null;
  const biasAt = cScratchAt + (cInPlace === null ? passRows * ldc * 4 : 0);
  resident.reserve(biasAt + ldc * 4);
  if (residentAt === null) writeB(bAt);
  const floats = floatsOf(memory);
  if (aInPlace === null) floats.set(a.length === aFloats ? a : a.subarray(0, aFloats), rawAt / 4);
  if (epilogue.bias && biasInPlace === null) {
    const { bias } = epilogue;
    for (let j = 0; j < n; j++) floats[biasAt / 4 + j] = bias[j]!;
    floats.fill(0, biasAt / 4 + n, biasAt / 4 + ldc);
  }
  const driver = DRIVERS[(aRowMajor ? 16 : rowMajor ? 8 : 0) + (epilogue.bias !== null ? 4 : 0) + TILE_ACTIVATION_INDEX[epilogue.activation]]!;
  for (let i0 = 0; i0 < m; i0 += passRows) {
    const rows = Math.min(passRows, m - i0);
    const mPanels = Math.ceil(rows / MR);
    if (!aRowMajor) {
      const p = packArgs;
      p[0] = rawAt + i0 * aRow * 4;
      p[1] = aRow * 4;
      p[2] = aCol * 4;
      p[3] = rows;
      p[4] = k;
      p[5] = aAt;
      p[6] = mPanels;
      p[7] = PACK_PANELS_PER_TILE;
      parallelFor(module.threaded, 'pack_a', p, Math.ceil(mPanels / PACK_PANELS_PER_TILE), rows * k * PACK_COST);
    }
    const [rowTiles, colTiles] = tileShape(mPanels, nPanels);
    const d = driverArgs;
    d[0] = aRowMajor ? rawAt + i0 * aRow * 4 : aAt;
    d[1] = bAt;
    d[2] = cInPlace === null ? cScratchAt : cInPlace + i0 * n * 4;
    d[3] = biasInPlace ?? biasAt;
    d[4] = ldc * 4;
    d[5] = ldb;
    d[6] = mPanels;
    d[7] = nPanels;
    d[8] = k;
    d[9] = rowTiles;
    d[10] = colTiles;
    d[11] = epilogue.alpha;
    d[12] = aRowMajor ? aRow * 4 : 0;
    parallelFor(module.threaded, driver, d, rowTiles * colTiles, tileWork(rows, nPanels, k));
    if (cInPlace === null) copyOut(memory, d[2] / 4, ldc, c, i0 * n, n, rows);
    epilogue.after?.(c, i0, i0 + rows);
  }
}

/** The argument lists of the two exports, reused by every call (parallelFor reads them before it returns). */
const packArgs: number[] = new Array<number>(8).fill(0);
const driverArgs: number[] = new Array<number>(13).fill(0);

/**
 * The driver export of each epilogue: index (B row-major · 8, or A row-major · 16) + (bias · 4) + the
 * activation's index.
 */
const TILE_ACTIVATION_INDEX = Object.fromEntries(TILE_ACTIVATIONS.map((activation, i) => [activation, i])) as Readonly<Record<TileActivation, number>>;
const DRIVERS: readonly string[] = [{ rowMajorB: false }, { rowMajorB: true }, { rowMajorA: true, rowMajorB: false }].flatMap((layout) =>
  [false, true].flatMap((bias) => TILE_ACTIVATIONS.map((activation) => driverName({ ...layout, bias, activation }))),
);

/** The B the current call writes, read by `writeB` (one function for every call rather than a closure per call). */
const pendingB = { module: null as SgemmModule | null, b: new Float32Array(0) as Float32Array, bRow: 0, bCol: 0, n: 0, k: 0, rowMajor: false };

/**
 * Writes the current call's B at byte `address`: row-major as it is (zeros after, the last row's
 * overread), else packed — by the module (pack_b, on every thread, a block of panels each) when B
 * lies in its memory (a weight read transposed, every training step), by packB8 in JS otherwise.
 */
function writeB(address: number): void {
  const { module, b, bRow, bCol, n, k, rowMajor } = pendingB;
  const into = floatsOf(module!.memory);
  const offset = address / 4;
  if (!rowMajor) {
    const at = addressIn(module!.memory, b);
    if (at === null) return packB8(b, bRow, bCol, into, offset, n, k);
    const nPanels = Math.ceil(n / NR);
    const p = packArgs;
    p[0] = at;
    p[1] = bCol * 4;
    p[2] = bRow * 4;
    p[3] = n;
    p[4] = k;
    p[5] = address;
    p[6] = nPanels;
    p[7] = PACK_PANELS_PER_TILE;
    // Contiguous along k (x·Wᵀ): 4×4 transposes in registers (sgemm-pack-vector.ts).
    return parallelFor(module!.threaded, bRow === 1 ? 'pack_bt' : 'pack_b', p, Math.ceil(nPanels / PACK_PANELS_PER_TILE), n * k * PACK_COST);
  }
  into.set(b.subarray(0, k * n), offset);
  into.fill(0, offset + k * n, offset + k * n + NR);
}

/**
 * The resident copy's layout key (resident-operands.ts): a small integer for the two layouts a matmul
 * reads a weight in, row-major [k, n] and transposed (bRow 1, bCol k), so the key costs no string
 * and no heap number per call; a string for any other strides, or sizes from 2¹⁵ up.
 */
function layoutKey(rowMajor: boolean, bRow: number, bCol: number, n: number, k: number): number | string {
  const dims = n * SMALL_KEY + k;
  if (n >= SMALL_KEY || k >= SMALL_KEY) return `sgemm B ${bRow} ${bCol} ${n} ${k}`;
  if (rowMajor) return dims;
  if (bRow === 1 && bCol === k) return -dims - 1;
  return `sgemm B ${bRow} ${bCol} ${n} ${k}`;
}

/** The sizes of each weight read transposed (x·Wᵀ) from a resident copy: W is [n, k]. */
const transposedShapes = new WeakMap<Float32Array, { n: number; k: number }>();

/** The result of `transposedCopyOf`, one object for every call. */
const transposedCopy = { address: 0, n: 0, k: 0 };

/**
 * Where `w`'s resident copy packed for x·Wᵀ (pack_bt's layout) lies in `module`'s memory, with W's
 * rows n and columns k, when a product has placed one; else null. A writer of `w` that rewrites the
 * copy as it goes (the optimizer updates: simd/stored-memory.ts) then calls `transposedCopyWritten`.
 * The object is reused by every call.
 */
export function transposedCopyOf(module: SgemmModule, w: Float32Array): Readonly<typeof transposedCopy> | null {
  const shape = transposedShapes.get(w);
  if (shape === undefined) return null;
  const address = module.resident.copyAt(w, layoutKey(false, 1, shape.k, shape.n, shape.k));
  if (address === null) return null;
  transposedCopy.address = address;
  transposedCopy.n = shape.n;
  transposedCopy.k = shape.k;
  return transposedCopy;
}

/** Records that `w`'s transposed copy (`transposedCopyOf`) holds `w`'s values after the write being made. */
export function transposedCopyWritten(module: SgemmModule, w: Float32Array): void {
  const shape = transposedShapes.get(w);
  if (shape !== undefined) module.resident.writtenAlong(w, layoutKey(false, 1, shape.k, shape.n, shape.k));
}
