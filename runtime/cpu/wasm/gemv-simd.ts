import { GEMV_PARALLEL_MIN_WORK, instantiateThreaded, MAX_MEMORY_PAGES, parallelFor, type ThreadedModule } from '../threads/threaded-module.js';
import { floatsOf } from './kernel-memory.js';
import { copyOut } from './sgemm-simd.js';
import { GEMV_COLUMNS, GEMV_EPILOGUES, GEMV_GROUP, gemvModuleBytes, gemvName } from './gemv-module.js';
import type { TileActivation } from './sgemm-module.js';
import { ResidentOperands } from './resident-operands.js';

/**
 * c[m×n] = A·Wᵀ for a few rows (1 ≤ m ≤ SMALL_M, batch-1 to batch-4 inference) on WebAssembly SIMD
 * (gemv-module.ts). A is row-major [m, k]; W is row-major [n, k] (a dense weight, contiguous along k).
 * W is kept in the module's memory in the kernel's interleaved groups of rows (gemv-module.ts), k
 * zero-padded to a multiple of 4 and the rows to a whole group, and written again only when its
 * version moves (resident-operands.ts); W buffers never declared cacheable are written on every call.
 * Memory:
 *
 *   [ resident weights | W, when not resident | A, float32, interleaved | C, float32, blocked | bias ]
 */
interface GemvModule {
  /** Whether the multiply-add is relaxed SIMD's fused one (else mul + add). */
  fma: boolean;
  threaded: ThreadedModule;
  memory: WebAssembly.Memory;
  resident: ResidentOperands;
}

/** Column blocks per unit of work on threads: 24 outputs for one row, 12 for two, 8 for three or four. */
const BLOCKS_PER_TILE = 4;

/**
 * Resident copies beyond this are forgotten and placed afresh (see resident-operands.ts): room for
 * 32M weights, while bounding what copies of dropped executors' weights can hold on to.
 */
const RESIDENT_LIMIT_BYTES = 128 * 1024 * 1024;

const instances = new Map<boolean, GemvModule | null>();

function instantiate(fma: boolean): GemvModule | null {
  const functions = GEMV_COLUMNS.flatMap((_, i) => GEMV_EPILOGUES.map((e) => gemvName(i + 1, e)));
  const threaded = instantiateThreaded((shared) => gemvModuleBytes(shared, MAX_MEMORY_PAGES, fma), functions);
  if (!threaded) return null;
  const { memory } = threaded;
  return { fma, threaded, memory, resident: new ResidentOperands(memory, RESIDENT_LIMIT_BYTES) };
}

/**
 * The module with relaxed SIMD's multiply-add when this engine validates it, else with plain
 * multiply and add; null when this host lacks WebAssembly SIMD. Pass `fma` to ask for one (tests
 * run both); null when that one does not validate.
 */
export function gemvModule(fma?: boolean): GemvModule | null {
  if (fma === undefined) return gemvModule(true) ?? gemvModule(false);
  if (!instances.has(fma)) instances.set(fma, instantiate(fma));
  return instances.get(fma)!;
}

const align16 = (bytes: number): number => Math.ceil(bytes / 16) * 16;

/** The weight the current call writes (one writer for every call, not a closure per call). */
const pending = { memory: null as WebAssembly.Memory | null, w: null as Float32Array | null, n: 0, k: 0, nPad: 0, kp: 0 };
const writePending = (address: number): void => writeWeight(pending.memory!, address, pending.w!, pending.n, pending.k, pending.nPad, pending.kp);

/** The kernels' argument list, reused by every call (parallelFor reads it before it returns). */
const gemvArgs: number[] = new Array<number>(8).fill(0);

/**
 * Writes W [n, k] at byte `address` in the kernel's layout (gemv-module.ts): groups of GEMV_GROUP
 * rows, each k step of 4 holding the group's rows' four values in turn; zeros in the padding.
 */
function writeWeight(memory: WebAssembly.Memory, address: number, w: Float32Array, n: number, k: number, nPad: number, kp: number): void {
  // The memory's one float view from `at` (a view of the weight's bytes per call was garbage).
  const into = floatsOf(memory);
  const at = address / 4;
  // A loop, not fill(): fill's computed bounds were boxed, a heap number a call.
  if (kp !== k || nPad !== n) for (let i = at; i < at + nPad * kp; i++) into[i] = 0;
  const groupFloats = GEMV_GROUP * kp;
  for (let j = 0; j < n; j++) {
    const group = Math.floor(j / GEMV_GROUP);
    const base = at + group * groupFloats + (j - group * GEMV_GROUP) * 4;
    const row = j * k;
    let kk = 0;
    for (; kk + 4 <= k; kk += 4) {
      const o = base + kk * GEMV_GROUP;
      into[o] = w[row + kk]!;
      into[o + 1] = w[row + kk + 1]!;
      into[o + 2] = w[row + kk + 2]!;
      into[o + 3] = w[row + kk + 3]!;
    }
    for (; kk < k; kk++) into[base + (kk & ~3) * GEMV_GROUP + (kk & 3)] = w[row + kk]!;
  }
}

/** The bias and the activation done in the kernel, as the GEMM's tiles do them (matmul-simd.ts's tileEpilogue). */
export interface GemvTileEpilogue {
  bias: Float32Array | null;
  activation: TileActivation;
  alpha: number;
}

const NO_EPILOGUE: GemvTileEpilogue = { bias: null, activation: 'none', alpha: 0 };

/** Per m, the export's name per epilogue, in GEMV_EPILOGUES's order (made once: a template string per call was garbage). */
const names = GEMV_COLUMNS.map((_, i) => GEMV_EPILOGUES.map((e) => gemvName(i + 1, e)));
const activations = GEMV_EPILOGUES.filter((e) => !e.bias).map((e) => e.activation);

/** Resident layout keys by n, then k (a string per call was garbage; so was one number key n·2²⁶ + k, a heap number past 2³⁰). */
const layouts = new Map<number, Map<number, string>>();
function layoutKey(n: number, k: number): string {
  let byK = layouts.get(n);
  if (!byK) layouts.set(n, (byK = new Map()));
  let layout = byK.get(k);
  if (layout === undefined) {
    layout = `gemv interleaved ${n} ${k}`;
    byK.set(k, layout);
  }
  return layout;
}

/**
 * c[m×n] = activation(A·Wᵀ + bias) with 1 ≤ m ≤ SMALL_M and n, k ≥ 1 (epilogue: none by default);
 * c is overwritten.
 */
export function gemvSimd(module: GemvModule, a: Float32Array, w: Float32Array, c: Float32Array, m: number, n: number, k: number, epilogue: GemvTileEpilogue = NO_EPILOGUE): void {
  const { memory, resident } = module;
  const columns = GEMV_COLUMNS[m - 1]!;
  const kp = Math.ceil(k / 4) * 4;
  const nPad = Math.ceil(n / GEMV_GROUP) * GEMV_GROUP;
  const blocks = nPad / columns;
  const wBytes = nPad * kp * 4;
  pending.memory = memory;
  pending.w = w;
  pending.n = n;
  pending.k = k;
  pending.nPad = nPad;
  pending.kp = kp;
  const residentAt = resident.place(w, layoutKey(n, k), wBytes, writePending);
  const wAt = residentAt ?? resident.scratchStart();
  const aAt = align16(residentAt === null ? wAt + wBytes : resident.scratchStart());
  const cAt = aAt + m * kp * 4;
  const biasAt = cAt + blocks * m * columns * 4;
  resident.reserve(biasAt + nPad * 4);
  if (residentAt === null) writePending(wAt);
  const floats = floatsOf(memory);

  // A(i, kk) goes to [kk / 4][i][kk % 4], so each k step reads the m rows' four values in a row.
  // With one row (batch 1, the common case) that is A itself, and C's blocks are C's row.
  const a0 = aAt / 4;
  floats.fill(0, a0 + (k & ~3) * m, a0 + m * kp); // the last k step, whose values past k stay 0
  if (m === 1) {
    floats.set(a.length === k ? a : a.subarray(0, k), a0);
  } else {
    for (let i = 0; i < m; i++) {
      const row = i * k;
      for (let kk = 0; kk < k; kk++) floats[a0 + ((kk >> 2) * m + i) * 4 + (kk & 3)] = a[row + kk]!;
    }
  }
  const { bias } = epilogue;
  if (bias) {
    floats.set(bias.length === n ? bias : bias.subarray(0, n), biasAt / 4);
    floats.fill(0, biasAt / 4 + n, biasAt / 4 + nPad);
  }
  const fn = names[m - 1]![(bias ? activations.length : 0) + activations.indexOf(epilogue.activation)]!;
  const args = gemvArgs;
  args[0] = aAt;
  args[1] = wAt;
  args[2] = cAt;
  args[3] = blocks;
  args[4] = kp * 4;
  args[5] = biasAt;
  args[6] = epilogue.alpha;
  args[7] = BLOCKS_PER_TILE;
  parallelFor(module.threaded, fn, args, Math.ceil(blocks / BLOCKS_PER_TILE), m * n * k, GEMV_PARALLEL_MIN_WORK);

  const c0 = cAt / 4;
  if (m === 1) return copyOut(memory, c0, n, c, 0, n, 1);
  for (let block = 0; block < blocks; block++) {
    const j0 = block * columns;
    const width = Math.min(columns, n - j0);
    for (let i = 0; i < m; i++) {
      const from = c0 + (block * m + i) * columns;
      for (let j = 0; j < width; j++) c[i * n + j0 + j] = floats[from + j]!;
    }
  }
}
