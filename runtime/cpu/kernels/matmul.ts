import type { Attrs, CpuTensor, Epilogue, EpilogueKernel, KernelContext } from '../kernel-interface.js';
import { applyEpilogue } from '../kernel-interface.js';
import { sizeOf } from '../../tensor.js';
import { matmulSizes } from '../../plan/matmul-sizes.js';
import { packedOperand } from '../packed-operands.js';
import { gemmSmallM, SMALL_M } from './gemm-small.js';
import { KC, MR, NR, packPanelsA, packWholeB } from './gemm-pack.js';

/**
 * C = op(A)·op(B) with A's leading axes flattened into rows (see runtime/plan/kernels.ts).
 *
 * Plain-JS SGEMM in the BLIS style: for each block of KC along k, A is packed into panels of 4 rows
 * and B into panels of 4 columns (gemm-pack.ts), then a 4×4 micro-kernel keeps 16 accumulators
 * in registers: 8 loads feed 16 multiply-adds. Packing buffers are reused.
 *
 * B is packed whole, before the k loop, so that when it is a long-lived buffer (a dense weight, see
 * packed-operands.ts) the packed form is kept and reused until the optimizer writes the weight.
 * (Measured here: 4×8 tiles or float64 panels were no faster than 4×4 float32 in V8.)
 * A few rows (m ≤ SMALL_M) skip packing entirely: gemm-small.ts reads B once, in place.
 */

let packA: Float32Array = new Float32Array(0);
let packB: Float32Array = new Float32Array(0);

function ensure(buffer: Float32Array, size: number): Float32Array {
  return buffer.length >= size ? buffer : new Float32Array(size);
}

/** c[m×n] = Σ_k A(i,k)·B(k,j), with A(i,k) = a[i*aRow + k*aCol] and B(k,j) = b[k*bRow + j*bCol]. */
export type Gemm = (
  a: Float32Array, aRow: number, aCol: number,
  b: Float32Array, bRow: number, bCol: number,
  c: Float32Array, m: number, n: number, k: number,
) => void;

let installed: Gemm | null = null;

/**
 * The GEMM the kernels call (matmul, convolutions, recurrent layers): the JS one below, or a faster
 * one installed when runtime/cpu starts (the WebAssembly SIMD one: runtime/cpu/wasm/install.ts).
 */
export const gemm: Gemm = (a, aRow, aCol, b, bRow, bCol, c, m, n, k) => (installed ?? gemmJs)(a, aRow, aCol, b, bRow, bCol, c, m, n, k);

export function installGemm(replacement: Gemm): void {
  installed = replacement;
}

/** A GEMM that also applies a fused epilogue (bias, activation) to C's rows; `attrs` hold its alpha. */
export type EpilogueGemm = (
  a: Float32Array, aRow: number, aCol: number,
  b: Float32Array, bRow: number, bCol: number,
  c: Float32Array, m: number, n: number, k: number,
  epilogue: Epilogue, attrs: Attrs,
) => void;

let installedWithEpilogue: EpilogueGemm | null = null;

/**
 * gemm, then the epilogue on C: convolutions call this, so that an installed kernel (the WASM SIMD
 * one applies bias and activation to each tile before storing it) may do both in one pass.
 */
export const gemmWithEpilogue: EpilogueGemm = (a, aRow, aCol, b, bRow, bCol, c, m, n, k, epilogue, attrs) => {
  if (installedWithEpilogue) return installedWithEpilogue(a, aRow, aCol, b, bRow, bCol, c, m, n, k, epilogue, attrs);
  gemm(a, aRow, aCol, b, bRow, bCol, c, m, n, k);
  applyEpilogue(c, n, 0, m, epilogue);
};

export function installGemmWithEpilogue(replacement: EpilogueGemm): void {
  installedWithEpilogue = replacement;
}

/** The B the current call packs (one packer for every call, not a closure per call). */
const pendingB = { b: new Float32Array(0) as Float32Array, bRow: 0, bCol: 0, n: 0, k: 0 };
const packPendingB = (into: Float32Array): void => packWholeB(pendingB.b, pendingB.bRow, pendingB.bCol, into, pendingB.n, pendingB.k);

/** B's packed layout key, kept per B while its strides and sizes stay (a template string per call was garbage). */
const layoutKeys = new WeakMap<Float32Array, { bRow: number; bCol: number; n: number; k: number; key: string }>();
function layoutOf(b: Float32Array, bRow: number, bCol: number, n: number, k: number): string {
  const kept = layoutKeys.get(b);
  if (kept && kept.bRow === bRow && kept.bCol === bCol && kept.n === n && kept.k === k) return kept.key;
  const key = `B ${bRow} ${bCol} ${n} ${k}`;
  layoutKeys.set(b, { bRow, bCol, n, k, key });
  return key;
}

/** The plain-JS GEMM (see the top of this file). */
export const gemmJs: Gemm = (a, aRow, aCol, b, bRow, bCol, c, m, n, k) => {
  if (m <= SMALL_M) return gemmSmallM(a, aRow, aCol, b, bRow, bCol, c, m, n, k);
  c.fill(0, 0, m * n);
  const mPanels = Math.ceil(m / MR);
  const nPanels = Math.ceil(n / NR);
  const packedSize = nPanels * NR * k;
  pendingB.b = b;
  pendingB.bRow = bRow;
  pendingB.bCol = bCol;
  pendingB.n = n;
  pendingB.k = k;
  let pb: Float32Array | null = packedOperand(b, layoutOf(b, bRow, bCol, n, k), Float32Array, packedSize, packPendingB);
  if (!pb) {
    packB = ensure(packB, packedSize);
    pb = packB;
    packPendingB(pb);
  }
  packA = ensure(packA, mPanels * MR * KC);
  const pa = packA;
  for (let k0 = 0; k0 < k; k0 += KC) {
    const kc = Math.min(KC, k - k0);
    packPanelsA(a, aRow, aCol, pa, 0, m, 0, m, k0, kc);
    const blockB = k0 * nPanels * NR;
    for (let q = 0; q < nPanels; q++) {
      const bBase = blockB + q * NR * kc;
      const j0 = q * NR;
      for (let p = 0; p < mPanels; p++) {
        microKernel(pa, p * MR * kc, pb, bBase, kc, c, p * MR, j0, m, n);
      }
    }
  }
};

/** A ragged edge tile, staged in float64 so the sums are added exactly as in the full-tile path. */
const edgeTile = new Float64Array(MR * NR);

function microKernel(pa: Float32Array, aOff: number, pb: Float32Array, bOff: number, kc: number, c: Float32Array, i0: number, j0: number, m: number, n: number): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  let ai = aOff;
  let bi = bOff;
  for (let kk = 0; kk < kc; kk++, ai += 4, bi += 4) {
    const a0 = pa[ai]!, a1 = pa[ai + 1]!, a2 = pa[ai + 2]!, a3 = pa[ai + 3]!;
    const b0 = pb[bi]!, b1 = pb[bi + 1]!, b2 = pb[bi + 2]!, b3 = pb[bi + 3]!;
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
  }
  if (i0 + MR <= m && j0 + NR <= n) {
    let o = i0 * n + j0;
    c[o]! += c00; c[o + 1]! += c01; c[o + 2]! += c02; c[o + 3]! += c03; o += n;
    c[o]! += c10; c[o + 1]! += c11; c[o + 2]! += c12; c[o + 3]! += c13; o += n;
    c[o]! += c20; c[o + 1]! += c21; c[o + 2]! += c22; c[o + 3]! += c23; o += n;
    c[o]! += c30; c[o + 1]! += c31; c[o + 2]! += c32; c[o + 3]! += c33;
    return;
  }
  edgeTile[0] = c00; edgeTile[1] = c01; edgeTile[2] = c02; edgeTile[3] = c03;
  edgeTile[4] = c10; edgeTile[5] = c11; edgeTile[6] = c12; edgeTile[7] = c13;
  edgeTile[8] = c20; edgeTile[9] = c21; edgeTile[10] = c22; edgeTile[11] = c23;
  edgeTile[12] = c30; edgeTile[13] = c31; edgeTile[14] = c32; edgeTile[15] = c33;
  for (let r = 0; r < MR && i0 + r < m; r++) {
    for (let s = 0; s < NR && j0 + s < n; s++) c[(i0 + r) * n + j0 + s]! += edgeTile[r * 4 + s]!;
  }
}

/** M, N, K of a step, as runtime/plan/matmul-sizes.ts defines them for every back end. */
export function tensorMatmulDims(a: CpuTensor, b: CpuTensor, attrs: Attrs): { m: number; n: number; k: number } {
  // The last answer for these attrs while the shapes stay the same (a step's, every training step).
  const kept = lastDims.get(attrs);
  if (kept && sameDims(kept.a, a.shape) && sameDims(kept.b, b.shape)) return kept.dims;
  const { m, n, k } = matmulSizes(a.shape, b.shape, attrs.transA === true, attrs.transB === true, sizeOf);
  const dims = { m, n, k };
  lastDims.set(attrs, { a: [...a.shape], b: [...b.shape], dims });
  return dims;
}

const lastDims = new WeakMap<Attrs, { a: number[]; b: number[]; dims: { m: number; n: number; k: number } }>();

function sameDims(x: readonly number[], y: readonly number[]): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** The plain-JS matmul kernel, on the JS GEMM (the WASM SIMD one, float32, is a kernel of its own: wasm/matmul-simd.ts). */
// Operands by index and strides by conditionals, not destructured: those allocate per call where V8 does not optimize them away.
export const matmul: EpilogueKernel = (_ctx: KernelContext, inputs, outputs, attrs, epilogue: Epilogue) => {
  const a = inputs[0]!;
  const b = inputs[1]!;
  const { m, n, k } = tensorMatmulDims(a, b, attrs);
  // A stored [m, k] (or [k, m] when transposed); B stored [k, n] (or [n, k]).
  const transA = attrs.transA === true;
  const transB = attrs.transB === true;
  const yd = outputs[0]!.data as Float32Array;
  gemmJs(a.data as Float32Array, transA ? 1 : k, transA ? m : 1, b.data as Float32Array, transB ? 1 : n, transB ? k : 1, yd, m, n, k);
  applyEpilogue(yd, n, 0, m, epilogue);
};
