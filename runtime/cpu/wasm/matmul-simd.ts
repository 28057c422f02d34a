import type { EpilogueKernel } from '../kernel-interface.js';
import { applyEpilogue } from '../kernel-interface.js';
import { SMALL_M } from '../kernels/gemm-small.js';
import { KC, MR, NR, packPanelsA, packWholeB } from '../kernels/gemm-pack.js';
import { gemmJs, matmul, matmulDims, type Gemm } from '../kernels/matmul.js';
import { packedOperand } from '../packed-operands.js';
import { gemvModule, gemvSimd } from './gemv-simd.js';
import { instantiateSimd } from './instantiate.js';
import { matmulModuleBytes } from './matmul-module.js';

/**
 * The matmul kernel on WebAssembly SIMD (matmul-module.ts), a drop-in replacement for the JS one,
 * installed with `registerCpuEpilogueKernel` (see install.ts). Packing, blocking and the epilogue are
 * the JS ones; only the micro-kernel loop runs in WASM, on float64 panels copied into its memory:
 *
 *   [ B packed whole (cached per weight version) | a chunk of A, MC rows × KC | C, float64, padded ]
 *
 * A few rows (m ≤ SMALL_M) times a weight read along k (x·Wᵀ) run gemv-simd.ts instead, which reads
 * the weight once, unpacked; other few-row layouts and hosts without WASM SIMD use the JS kernel.
 */
const MC = 128; // rows of A per packed chunk: 128 × 256 doubles = 256 KB, inside Zen 1's 512 KB L2

interface SimdModule {
  panels: (pa: number, pb: number, c: number, mPanels: number, nPanels: number, kc: number, ldc: number) => void;
  memory: WebAssembly.Memory;
}

let instance: SimdModule | null | undefined;

/** Compiles the module once; null when this host lacks WebAssembly SIMD. */
export function simdModule(): SimdModule | null {
  if (instance !== undefined) return instance;
  const exports = instantiateSimd(matmulModuleBytes());
  instance = exports && { panels: exports.panels as SimdModule['panels'], memory: exports.memory as WebAssembly.Memory };
  return instance;
}

function memoryOf(module: SimdModule, bytes: number): Float64Array {
  const have = module.memory.buffer.byteLength;
  if (bytes > have) module.memory.grow(Math.ceil((bytes - have) / 65536));
  return new Float64Array(module.memory.buffer);
}

/** c[m×n] = A·B with the strides of gemm (matmul.ts); m > SMALL_M. */
function gemmSimd(
  module: SimdModule,
  a: Float32Array, aRow: number, aCol: number,
  b: Float32Array, bRow: number, bCol: number,
  c: Float32Array, m: number, n: number, k: number,
): void {
  const mPanels = Math.ceil(m / MR);
  const nPanels = Math.ceil(n / NR);
  const ldc = nPanels * NR;
  const bSize = nPanels * NR * k;
  const aStart = bSize;
  const cStart = aStart + MC * KC;
  const memory = memoryOf(module, (cStart + mPanels * MR * ldc) * 8);
  const pack = (into: Float64Array): void => packWholeB(b, bRow, bCol, into, n, k);
  const cached = packedOperand(b, `B ${bRow} ${bCol} ${n} ${k}`, Float64Array, bSize, pack);
  if (cached) memory.set(cached, 0);
  else pack(memory.subarray(0, bSize));
  memory.fill(0, cStart, cStart + mPanels * MR * ldc);
  for (let k0 = 0; k0 < k; k0 += KC) {
    const kc = Math.min(KC, k - k0);
    const blockB = k0 * nPanels * NR;
    for (let i0 = 0; i0 < m; i0 += MC) {
      const rows = Math.min(MC, m - i0);
      packPanelsA(a, aRow, aCol, memory, aStart, m, i0, rows, k0, kc);
      module.panels(aStart * 8, blockB * 8, (cStart + i0 * ldc) * 8, Math.ceil(rows / MR), nPanels, kc, ldc * 8);
    }
  }
  for (let i = 0; i < m; i++) c.set(memory.subarray(cStart + i * ldc, cStart + i * ldc + n), i * n);
}

/** The GEMM for every kernel (installGemm in matmul.ts): WASM SIMD from SMALL_M + 1 rows, else JS. */
export const gemmSimdOrJs: Gemm = (a, aRow, aCol, b, bRow, bCol, c, m, n, k) => {
  const module = simdModule();
  if (!module || m <= SMALL_M || n === 0 || k === 0) return gemmJs(a, aRow, aCol, b, bRow, bCol, c, m, n, k);
  gemmSimd(module, a, aRow, aCol, b, bRow, bCol, c, m, n, k);
};

export const matmulSimd: EpilogueKernel = (ctx, inputs, outputs, attrs, epilogue) => {
  const [a, b] = inputs;
  const { m, n, k } = matmulDims(a!, b!, attrs);
  if (m === 0 || n === 0 || k === 0) return matmul(ctx, inputs, outputs, attrs, epilogue);
  const y = outputs[0]!.data as Float32Array;
  if (m <= SMALL_M) {
    // x·Wᵀ, the forward pass of a dense layer; other layouts stay on the JS kernel.
    const gemv = attrs.transA !== true && attrs.transB === true ? gemvModule() : null;
    if (!gemv) return matmul(ctx, inputs, outputs, attrs, epilogue);
    gemvSimd(gemv, a!.data as Float32Array, b!.data as Float32Array, y, m, n, k);
  } else {
    const module = simdModule();
    if (!module) return matmul(ctx, inputs, outputs, attrs, epilogue);
    const [aRow, aCol] = attrs.transA === true ? [1, m] : [k, 1];
    const [bRow, bCol] = attrs.transB === true ? [1, k] : [n, 1];
    gemmSimd(module, a!.data as Float32Array, aRow, aCol, b!.data as Float32Array, bRow, bCol, y, m, n, k);
  }
  applyEpilogue(y, n, 0, m, epilogue);
};
