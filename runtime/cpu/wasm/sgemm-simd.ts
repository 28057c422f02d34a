import { KC, packPanelsA } from '../kernels/gemm-pack.js';
import { instantiateThreaded, MAX_MEMORY_PAGES, parallelFor, type ThreadedModule } from '../threads/threaded-module.js';
import { ResidentOperands } from './resident-operands.js';
import { DRIVER_VARIANTS, driverName, MR, NR, sgemmModuleBytes, type TileActivation } from './sgemm-module.js';
import { packB8, packedBSize } from './sgemm-pack.js';

/**
 * c[m×n] = A·B in float32 on the WebAssembly SIMD micro-kernel (sgemm-module.ts), with the bias and
 * the simple activations applied to each tile before it is stored. Memory of the module:
 *
 *   [ B packed, resident per weight version | B packed, when not resident | A packed | C | bias ]
 *
 * A is packed whole for a block of rows (JS, gemm-pack.ts or patch-pack.ts), then the module's driver
 * (sgemm-driver.ts) computes C tile by tile, each tile all its k blocks of KC = 256 in order with the
 * epilogue on the last, on as many threads as are given (threads/threaded-module.ts): the tiles are
 * the unit of work, so C is the same bits on any number of threads. A tile is at most 64 rows × 128
 * columns: its packed A (64 × 256 floats = 64 KB per k block) stays in L2 while each 8-column panel
 * of B (8 KB) sits in L1 for the tile's 16 row panels. Smaller products get smaller tiles, down to
 * 8 rows × 16 columns, so that there are MIN_TILES to share out. The tiles depend on the shape only,
 * never on the thread count.
 */
const TILE_ROW_PANELS = 16;
const TILE_COLUMN_PANELS = 16;
const MIN_TILES = 8;

/** Row and column panels per tile for a product of mPanels × nPanels panels. */
export function tileShape(mPanels: number, nPanels: number): [number, number] {
  let rows = TILE_ROW_PANELS;
  let columns = TILE_COLUMN_PANELS;
  const count = (): number => Math.ceil(mPanels / rows) * Math.ceil(nPanels / columns);
  while (count() < MIN_TILES && rows > 2) rows /= 2;
  while (count() < MIN_TILES && columns > 2) columns /= 2;
  return [rows, columns];
}

/**
 * Rows of A packed per pass: at most this many bytes of packed A (and the C rows that go with them)
 * in scratch at once, so a large convolution's patch matrix is never all in memory.
 */
const PACKED_A_BYTES = 16 * 1024 * 1024;

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
  const drivers = DRIVER_VARIANTS.map(driverName);
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

/**
 * One float view of the module's memory, made again only when growing it replaced the buffer: a new
 * view per call was a per-step allocation (as were a subarray per copied row, below).
 */
const views = new WeakMap<WebAssembly.Memory, Float32Array>();
export function floatsOf(memory: WebAssembly.Memory): Float32Array {
  let view = views.get(memory);
  if (view?.buffer !== memory.buffer) {
    view = new Float32Array(memory.buffer);
    views.set(memory, view);
  }
  return view;
}

/** rows × n floats from `floats` (row stride ldc) into c from `to` (row stride n). */
export function copyOut(floats: Float32Array, from: number, ldc: number, c: Float32Array, to: number, n: number, rows: number): void {
  if (ldc === n) {
    c.set(floats.subarray(from, from + rows * n), to);
    return;
  }
  for (let r = 0; r < rows; r++, from += ldc, to += n) {
    for (let j = 0; j < n; j++) c[to + j] = floats[from + j]!;
  }
}

/**
 * Writes rows i0 .. i0+rows-1 of A over the k block [k0, k0+kc) as panels of MR rows into `into`
 * from float `offset` (gemm-pack.ts packPanelsA's layout), rows at or past m as zeros. A strided
 * matrix, or a product whose operand is read straight from another layout.
 */
type PackA = (into: Float32Array, offset: number, i0: number, rows: number, k0: number, kc: number) => void;

/**
 * c[m×n] = A·B, A(i,k) = a[i*aRow + k*aCol], B(k,j) = b[k*bRow + j*bCol] (gemm's strides, matmul.ts);
 * m, n, k ≥ 1; c is overwritten.
 */
export function sgemmSimd(
  module: SgemmModule,
  a: Float32Array, aRow: number, aCol: number,
  b: Float32Array, bRow: number, bCol: number,
  c: Float32Array, m: number, n: number, k: number,
  epilogue: SgemmEpilogue = NO_EPILOGUE,
): void {
  const packA: PackA = (into, offset, i0, rows, k0, kc) => packPanelsA(a, aRow, aCol, into, offset, m, i0, rows, k0, kc);
  sgemmPacked(module, packA, stridedB(b, bRow, bCol, n, k), c, m, n, k, epilogue);
}

/**
 * B's source: `pack` writes all of it at a float offset, in sgemm-pack.ts's layout or, when
 * `rowMajor`, as the row-major [k, n] matrix itself (the kernel's rowMajorB variants read it in
 * place); `resident` names the buffer whose version decides whether the copy kept in the module's
 * memory is current (resident-operands.ts), with its layout key; null: written into scratch on
 * every call.
 */
interface PackB {
  rowMajor: boolean;
  pack: (into: Float32Array, offset: number) => void;
  resident: { data: Float32Array; layout: string } | null;
}

/** B(k, j) = b[k*bRow + j*bCol]: copied as it is when row-major and dense, packed otherwise. */
function stridedB(b: Float32Array, bRow: number, bCol: number, n: number, k: number): PackB {
  if (bCol === 1 && bRow === n) {
    const pack = (into: Float32Array, offset: number): void => {
      into.set(b.subarray(0, k * n), offset);
      into.fill(0, offset + k * n, offset + k * n + NR); // the last row's overread: zeros, not garbage
    };
    return { rowMajor: true, pack, resident: { data: b, layout: `sgemm B row-major ${n} ${k}` } };
  }
  return { rowMajor: false, pack: (into, offset) => packB8(b, bRow, bCol, into, offset, n, k), resident: { data: b, layout: `sgemm B ${bRow} ${bCol} ${n} ${k}` } };
}

/** sgemmSimd with A and B given by their packing functions. */
function sgemmPacked(
  module: SgemmModule,
  packA: PackA,
  packB: PackB,
  c: Float32Array, m: number, n: number, k: number,
  epilogue: SgemmEpilogue = NO_EPILOGUE,
): void {
  const { memory, resident } = module;
  const nPanels = Math.ceil(n / NR);
  const ldc = nPanels * NR;
  const { rowMajor } = packB;
  // Row-major B: k rows of n floats and one row of slack for the last panel's overread (see the module).
  const bBytes = rowMajor ? (k * n + NR) * 4 : packedBSize(n, k) * 4;
  const ldb = rowMajor ? n * 4 : 0;
  const write = (address: number): void => packB.pack(floatsOf(memory), address / 4);
  const residentAt = packB.resident && resident.place(packB.resident.data, packB.resident.layout, bBytes, write);
  const bAt = residentAt ?? resident.scratchStart();
  const aAt = align16(residentAt === null ? bAt + bBytes : resident.scratchStart());
  const passUnit = TILE_ROW_PANELS * MR;
  const passRows = Math.min(Math.ceil(m / MR) * MR, Math.max(passUnit, Math.floor(PACKED_A_BYTES / (4 * k) / passUnit) * passUnit));
  const cAt = aAt + passRows * k * 4;
  const biasAt = cAt + passRows * ldc * 4;
  resident.reserve(biasAt + ldc * 4);
  if (residentAt === null) write(bAt);
  const floats = floatsOf(memory);
  if (epilogue.bias) {
    const { bias } = epilogue;
    for (let j = 0; j < n; j++) floats[biasAt / 4 + j] = bias[j]!;
    floats.fill(0, biasAt / 4 + n, biasAt / 4 + ldc);
  }
  const driver = driverName({ rowMajorB: rowMajor, bias: epilogue.bias !== null, activation: epilogue.activation });
  for (let i0 = 0; i0 < m; i0 += passRows) {
    const rows = Math.min(passRows, m - i0);
    const mPanels = Math.ceil(rows / MR);
    for (let k0 = 0; k0 < k; k0 += KC) packA(floats, aAt / 4 + k0 * mPanels * MR, i0, rows, k0, Math.min(KC, k - k0));
    const [tileRows, tileColumns] = tileShape(mPanels, nPanels);
    const rowTiles = Math.ceil(mPanels / tileRows);
    const colTiles = Math.ceil(nPanels / tileColumns);
    const args = [aAt, bAt, cAt, biasAt, ldc * 4, ldb, mPanels, nPanels, k, tileRows, tileColumns, colTiles, epilogue.alpha, 0];
    parallelFor(module.threaded, driver, args, rowTiles * colTiles, rows * n * k);
    copyOut(floats, cAt / 4, ldc, c, i0 * n, n, rows);
    epilogue.after?.(c, i0, i0 + rows);
  }
}
