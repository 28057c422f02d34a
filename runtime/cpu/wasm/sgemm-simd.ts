import { KC, packPanelsA } from '../kernels/gemm-pack.js';
import { instantiateSimd } from './instantiate.js';
import { ResidentOperands } from './resident-operands.js';
import { MR, NR, sgemmModuleBytes, SGEMM_VARIANTS, type TileActivation, variantName } from './sgemm-module.js';
import { packB8, packedBSize } from './sgemm-pack.js';

/**
 * c[m×n] = A·B in float32 on the WebAssembly SIMD micro-kernel (sgemm-module.ts), with the bias and
 * the simple activations applied to each tile before it is stored. Memory of the module:
 *
 *   [ B packed, resident per weight version | B packed, when not resident | A chunk | C chunk | bias ]
 *
 * Blocking: MC rows of A at a time (outer), KC = 256 along k (inner), so a chunk of C is finished —
 * all its k blocks summed, the epilogue applied — and copied out while it is still in cache. The
 * packed A chunk (128 × 256 floats = 128 KB) stays in L2; one panel of B (8 × 256 floats = 8 KB)
 * in L1 while all of the chunk's 32 row panels pass over it.
 */
const MC = 128;

/** Resident copies beyond this are forgotten and placed afresh (resident-operands.ts). */
const RESIDENT_LIMIT_BYTES = 256 * 1024 * 1024;

type TileFunction = (pa: number, pb: number, c: number, mPanels: number, nPanels: number, kc: number, ldcBytes: number, bias: number, ldbBytes: number, alpha: number, aChannels?: number) => void;

export interface SgemmModule {
  /** Whether the multiply-add is relaxed SIMD's fused one (else mul + add). */
  fma: boolean;
  tiles: Map<string, TileFunction>;
  memory: WebAssembly.Memory;
  resident: ResidentOperands;
}

function instantiate(fma: boolean): SgemmModule | null {
  const exports = instantiateSimd(sgemmModuleBytes(fma));
  if (!exports) return null;
  const memory = exports.memory as WebAssembly.Memory;
  const tiles = new Map(SGEMM_VARIANTS.map((v) => [variantName(v), exports[variantName(v)] as TileFunction]));
  return { fma, tiles, memory, resident: new ResidentOperands(memory, RESIDENT_LIMIT_BYTES) };
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
  const chunkRows = Math.min(MC, Math.ceil(m / MR) * MR);
  const cAt = aAt + chunkRows * KC * 4;
  const biasAt = cAt + chunkRows * ldc * 4;
  resident.reserve(biasAt + ldc * 4);
  if (residentAt === null) write(bAt);
  const floats = floatsOf(memory);
  if (epilogue.bias) {
    const { bias } = epilogue;
    for (let j = 0; j < n; j++) floats[biasAt / 4 + j] = bias[j]!;
    floats.fill(0, biasAt / 4 + n, biasAt / 4 + ldc);
  }

  const bias = epilogue.bias !== null;
  const { activation } = epilogue;
  const last = module.tiles.get(variantName({ rowMajorB: rowMajor, accumulate: false, bias, activation }))!;
  const lastAcc = module.tiles.get(variantName({ rowMajorB: rowMajor, accumulate: true, bias, activation }))!;
  const first = module.tiles.get(variantName({ rowMajorB: rowMajor, accumulate: false, bias: false, activation: 'none' }))!;
  const middle = module.tiles.get(variantName({ rowMajorB: rowMajor, accumulate: true, bias: false, activation: 'none' }))!;
  for (let i0 = 0; i0 < m; i0 += MC) {
    const rows = Math.min(MC, m - i0);
    const mPanels = Math.ceil(rows / MR);
    for (let k0 = 0; k0 < k; k0 += KC) {
      const kc = Math.min(KC, k - k0);
      const isLast = k0 + kc >= k;
      const tiles = k0 === 0 ? (isLast ? last : first) : isLast ? lastAcc : middle;
      packA(floats, aAt / 4, i0, rows, k0, kc);
      const blockB = bAt + k0 * (rowMajor ? ldb : ldc * 4);
      tiles(aAt, blockB, cAt, mPanels, nPanels, kc, ldc * 4, biasAt, ldb, epilogue.alpha);
    }
    const from = cAt / 4;
    copyOut(floats, from, ldc, c, i0 * n, n, rows);
    epilogue.after?.(c, i0, i0 + rows);
  }
}
