import type { Epilogue, EpilogueKernel } from '../kernel-interface.js';
import { applyEpilogue } from '../kernel-interface.js';
import { SMALL_M } from '../kernels/gemm-small.js';
import { gemmJs, matmul, tensorMatmulDims, type EpilogueGemm, type Gemm } from '../kernels/matmul.js';
import type { Attrs } from '../kernel-interface.js';
import { gemvModule, gemvSimd } from './gemv-simd.js';
import { isTileActivation } from './sgemm-module.js';
import { sgemmModule, sgemmSimd, type SgemmEpilogue } from './sgemm-simd.js';

/**
 * The matmul kernel on WebAssembly SIMD, a drop-in replacement for the JS one, installed with
 * `registerCpuEpilogueKernel` (see install.ts): the float32 GEMM of sgemm-simd.ts with the fused
 * bias and activation applied to each tile before it is stored (relu, leaky_relu, step; the other
 * activations, which need exp or tanh, run in JS on each finished chunk of rows while it is in cache).
 *
 * A few rows (m ≤ SMALL_M) times a weight read along k (x·Wᵀ) run gemv-simd.ts instead, which reads
 * the weight once, unpacked; other few-row layouts and hosts without WASM SIMD use the JS kernel.
 */

/** The GEMM for every kernel (installGemm in matmul.ts): WASM SIMD from SMALL_M + 1 rows, else JS. */
export const gemmSimdOrJs: Gemm = (a, aRow, aCol, b, bRow, bCol, c, m, n, k) => {
  const module = sgemmModule();
  if (!module || m <= SMALL_M || n === 0 || k === 0) return gemmJs(a, aRow, aCol, b, bRow, bCol, c, m, n, k);
  sgemmSimd(module, a, aRow, aCol, b, bRow, bCol, c, m, n, k);
};

/** The GEMM with a fused epilogue that convolutions call (installGemmWithEpilogue in matmul.ts). */
export const gemmWithEpilogueSimd: EpilogueGemm = (a, aRow, aCol, b, bRow, bCol, c, m, n, k, epilogue, attrs) => {
  const module = sgemmModule();
  if (!module || m <= SMALL_M || n === 0 || k === 0) {
    gemmJs(a, aRow, aCol, b, bRow, bCol, c, m, n, k);
    return applyEpilogue(c, n, 0, m, epilogue);
  }
  sgemmSimd(module, a, aRow, aCol, b, bRow, bCol, c, m, n, k, tileEpilogue(epilogue, attrs, n));
};

/**
 * The plan's epilogue as the tile sees it: the bias and a simple activation go into the tile unless
 * the pre-activation must be kept (then only the bias does, and `after` copies `pre` and activates).
 * Kept per epilogue object while its parts stay the same (the kernel registry reuses one per step),
 * so a steady-state call makes no closure.
 */
export function tileEpilogue(epilogue: Epilogue, attrs: Attrs, n: number): SgemmEpilogue {
  const kept = tileEpilogues.get(epilogue);
  if (kept && kept.attrs === attrs && kept.n === n && kept.pre === epilogue.pre && kept.activation === epilogue.activation && kept.name === (epilogue.activationName ?? null)) {
    kept.tile.bias = epilogue.bias;
    return kept.tile;
  }
  return newTileEpilogue(epilogue, attrs, n);
}

/**
 * `tileEpilogue`'s epilogue for new parts, kept for the calls after. A function of its own because its
 * closure captures `n`: in `tileEpilogue` it would make every call allocate a context for it (once
 * V8 has optimized a call that took this path: a second model's first step).
 */
function newTileEpilogue(epilogue: Epilogue, attrs: Attrs, n: number): SgemmEpilogue {
  const { bias, pre, activation, activationName } = epilogue;
  const name = activationName ?? null;
  // No plan activation is named 'none' (the identity is 'linear'): only relu, leaky_relu and step match.
  const inTile = pre === null && name !== null && isTileActivation(name);
  const linear = name === 'linear';
  const jsActivation = inTile || linear ? null : activation;
  // Only leaky_relu's tile reads alpha; the others get 0, a small integer, where 0.01 would be a heap
  // number boxed for every call into the module.
  const alpha = inTile && name === 'leaky_relu' ? (typeof attrs.alpha === 'number' ? attrs.alpha : 0.01) : 0;
  const after =
    pre === null && jsActivation === null
      ? null
      : (c: Float32Array, rowStart: number, rowEnd: number): void => {
          // The whole of c (a gemv's one call) without a subarray view: one per call was garbage.
          if (pre) pre.set(rowStart === 0 && rowEnd * n === c.length ? c : c.subarray(rowStart * n, rowEnd * n), rowStart * n);
          jsActivation?.(c, rowStart * n, rowEnd * n);
        };
  const tile: SgemmEpilogue = { bias, activation: inTile ? name : 'none', alpha, after };
  tileEpilogues.set(epilogue, { attrs, n, pre, activation, name, tile });
  return tile;
}

const tileEpilogues = new WeakMap<Epilogue, { attrs: Attrs; n: number; pre: Float32Array | null; activation: Epilogue['activation']; name: string | null; tile: SgemmEpilogue }>();

export const matmulSimd: EpilogueKernel = (ctx, inputs, outputs, attrs, epilogue) => {
  // Indexing, not destructuring: no iterator per call (steady-state training allocates nothing).
  const a = inputs[0];
  const b = inputs[1];
  const { m, n, k } = tensorMatmulDims(a!, b!, attrs);
  if (m === 0 || n === 0 || k === 0) return matmul(ctx, inputs, outputs, attrs, epilogue);
  const y = outputs[0]!.data as Float32Array;
  if (m <= SMALL_M) {
    // x·Wᵀ, the forward pass of a dense layer; other layouts stay on the JS kernel.
    const gemv = attrs.transA !== true && attrs.transB === true ? gemvModule() : null;
    if (!gemv) return matmul(ctx, inputs, outputs, attrs, epilogue);
    const tile = tileEpilogue(epilogue, attrs, n);
    gemvSimd(gemv, a!.data as Float32Array, b!.data as Float32Array, y, m, n, k, tile);
    return tile.after?.(y, 0, m);
  }
  const module = sgemmModule();
  if (!module) return matmul(ctx, inputs, outputs, attrs, epilogue);
  const transA = attrs.transA === true;
  const transB = attrs.transB === true;
  sgemmSimd(module, a!.data as Float32Array, transA ? 1 : k, transA ? m : 1, b!.data as Float32Array, transB ? 1 : n, transB ? k : 1, y, m, n, k, tileEpilogue(epilogue, attrs, n));
};
