import { instantiateThreaded, MAX_MEMORY_PAGES, parallelFor, type ThreadedModule } from '../threads/threaded-module.js';
import { addressIn, floatsOf } from './kernel-memory.js';
import { ResidentOperands } from './resident-operands.js';
import { DRIVER_VARIANTS, driverName, MR, NR, sgemmModuleBytes, type TileActivation } from './sgemm-module.js';
import { packB8, packedBSize } from './sgemm-pack.js';

/**
 * c[m×n] = A·B in float32 on the WebAssembly SIMD micro-kernel (sgemm-module.ts), with the bias and
 * the simple activations applied to each tile before it is stored. Memory of the module:
 *
 *   [ B packed, resident per weight version | B packed, when not resident | A | A packed | C | bias ]
 *
 * A is copied in as it is and packed, a pass of rows at a time, by the module (sgemm-pack-a.ts), on
 * every thread; then its driver (sgemm-driver.ts) computes C tile by tile, each tile all its k blocks of KC = 256 in order with the
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
  const drivers = [...DRIVER_VARIANTS.map(driverName), 'pack_a'];
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

/** A(i, kk) = a[i·aRow + kk·aCol]: copied into the module's memory as it is, packed there (sgemm-pack-a.ts). */
interface StridedA {
  a: Float32Array;
  aRow: number;
  aCol: number;
}

/**
 * Packing a float is worth about this many multiply-adds of the GEMM (JS packing ran at ~0.35 G
 * floats/s, the GEMM at ~11 GMAC/s, on the 2-vCPU Xeon): the work pack_a reports for the threshold.
 */
const PACK_COST = 8;
const PACK_PANELS_PER_TILE = 4;

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
  sgemmPacked(module, { a, aRow, aCol }, stridedB(b, bRow, bCol, n, k), c, m, n, k, epilogue);
}

/**
 * B's source: `pack` writes all of it at a float offset, in sgemm-pack.ts's layout or, when
 * `rowMajor`, as the row-major [k, n] matrix itself (the kernel's rowMajorB variants read it in
 * place, so `source`, that matrix, is used where it lies when it is in the module's memory); `resident` names the buffer whose version decides whether the copy kept in the module's
 * memory is current (resident-operands.ts), with its layout key; null: written into scratch on
 * every call.
 */
interface PackB {
  rowMajor: boolean;
  source: Float32Array;
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
    return { rowMajor: true, source: b, pack, resident: { data: b, layout: `sgemm B row-major ${n} ${k}` } };
  }
  return { rowMajor: false, source: b, pack: (into, offset) => packB8(b, bRow, bCol, into, offset, n, k), resident: { data: b, layout: `sgemm B ${bRow} ${bCol} ${n} ${k}` } };
}

/** sgemmSimd with B given by its packing function. */
function sgemmPacked(
  module: SgemmModule,
  strided: StridedA,
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
  // Operands already in the module's memory (an executor's tensors: kernel-memory.ts) are used where
  // they lie; the rest is copied into scratch. Row-major B is read 8 columns past n in its last row:
  // the executor leaves slack after each tensor.
  const inPlaceB = rowMajor ? addressIn(memory, packB.source) : null;
  const residentAt = inPlaceB ?? (packB.resident && resident.place(packB.resident.data, packB.resident.layout, bBytes, write));
  const bAt = residentAt ?? resident.scratchStart();
  // A as it is (the floats its strides reach), then its packed panels, one pass of rows at a time.
  const { a, aRow, aCol } = strided;
  const aFloats = (m - 1) * aRow + (k - 1) * aCol + 1;
  const aInPlace = addressIn(memory, a);
  const scratchAt = align16(residentAt === null ? bAt + bBytes : resident.scratchStart());
  const rawAt = aInPlace ?? scratchAt;
  const aAt = align16(aInPlace === null ? rawAt + aFloats * 4 : scratchAt);
  const passUnit = TILE_ROW_PANELS * MR;
  const passRows = Math.min(Math.ceil(m / MR) * MR, Math.max(passUnit, Math.floor(PACKED_A_BYTES / (4 * k) / passUnit) * passUnit));
  // C straight into c when the tiles' rows are c's rows (no padding columns, no rows past m).
  const cInPlace = ldc === n && m % MR === 0 ? addressIn(memory, c) : null;
  const cScratchAt = aAt + passRows * k * 4;
  const biasInPlace = epilogue.bias && n % NR === 0 ? addressIn(memory, epilogue.bias) : null;
  const biasAt = cScratchAt + (cInPlace === null ? passRows * ldc * 4 : 0);
  resident.reserve(biasAt + ldc * 4);
  if (residentAt === null) write(bAt);
  const floats = floatsOf(memory);
  if (aInPlace === null) floats.set(a.length === aFloats ? a : a.subarray(0, aFloats), rawAt / 4);
  if (epilogue.bias && biasInPlace === null) {
    const { bias } = epilogue;
    for (let j = 0; j < n; j++) floats[biasAt / 4 + j] = bias[j]!;
    floats.fill(0, biasAt / 4 + n, biasAt / 4 + ldc);
  }
  const driver = driverName({ rowMajorB: rowMajor, bias: epilogue.bias !== null, activation: epilogue.activation });
  for (let i0 = 0; i0 < m; i0 += passRows) {
    const rows = Math.min(passRows, m - i0);
    const mPanels = Math.ceil(rows / MR);
    const packArgs = [rawAt + i0 * aRow * 4, aRow * 4, aCol * 4, rows, k, aAt, mPanels, PACK_PANELS_PER_TILE];
    parallelFor(module.threaded, 'pack_a', packArgs, Math.ceil(mPanels / PACK_PANELS_PER_TILE), rows * k * PACK_COST);
    const [tileRows, tileColumns] = tileShape(mPanels, nPanels);
    const rowTiles = Math.ceil(mPanels / tileRows);
    const colTiles = Math.ceil(nPanels / tileColumns);
    const cAt = cInPlace === null ? cScratchAt : cInPlace + i0 * n * 4;
    const args = [aAt, bAt, cAt, biasInPlace ?? biasAt, ldc * 4, ldb, mPanels, nPanels, k, tileRows, tileColumns, colTiles, epilogue.alpha, 0];
    parallelFor(module.threaded, driver, args, rowTiles * colTiles, rows * n * k);
    if (cInPlace === null) copyOut(floats, cAt / 4, ldc, c, i0 * n, n, rows);
    epilogue.after?.(c, i0, i0 + rows);
  }
}
