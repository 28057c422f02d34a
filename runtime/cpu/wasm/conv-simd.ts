import type { EpilogueKernel } from '../kernel-interface.js';
import { f32 } from '../kernel-interface.js';
import { SMALL_M } from '../kernels/gemm-small.js';
import { conv, geometry } from '../kernels/conv.js';
import { tileEpilogue } from './matmul-simd.js';
import { packPatchPanels } from './patch-pack.js';
import { sgemmModule, sgemmPackedA } from './sgemm-simd.js';

/**
 * conv1d / conv2d forward as an implicit GEMM on the float32 WASM kernel: y[N·OH·OW, F] = P·wᵀ with
 * P's panels packed straight from x (patch-pack.ts), the weight resident and packed once per version,
 * and the fused bias and activation applied in the tile. The JS kernel (im2col + gemm) otherwise.
 */
export const convSimd: EpilogueKernel = (ctx, inputs, outputs, attrs, epilogue) => {
  const [x, w] = inputs;
  const g = geometry(x!.shape, w!.shape, attrs);
  const k = g.kh * g.kw * g.c;
  const rows = g.n * g.oh * g.ow;
  const module = sgemmModule();
  if (!module || rows <= SMALL_M || g.f === 0 || k === 0) return conv(ctx, inputs, outputs, attrs, epilogue);
  const xd = f32(x!);
  sgemmPackedA(
    module,
    (into, offset, i0, count, k0, kc) => packPatchPanels(xd, g, into, offset, i0, count, k0, kc),
    f32(w!), 1, k,
    f32(outputs[0]!), rows, g.f, k,
    tileEpilogue(epilogue, attrs, g.f),
  );
};
