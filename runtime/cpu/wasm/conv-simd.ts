import type { CpuKernel, EpilogueKernel } from '../kernel-interface.js';
import { f32 } from '../kernel-interface.js';
import { SMALL_M } from '../kernels/gemm-small.js';
import { conv, convKernels, geometry, unpooledShape, type Geometry } from '../kernels/conv.js';
import { convThenPool } from '../kernels/pooled-conv.js';
import { HeldBlock } from './group-columns.js';
import { maxpoolSimd } from './pool-simd.js';
import { tileEpilogue } from './matmul-simd.js';
import { forwardB, forwardGather, forwardPooledGather, forwardPooledRowGather, forwardRowGather, gradInputB, gradInputGather, sgemmIndirect, windowRowsContiguous } from './conv-indirect.js';
import { convGradWeightGather } from './conv-gather.js';
import { gradInputByPhase, phasedDensity, phasesOf, type Phase } from './conv-phases.js';
import { sgemmModule, sgemmSimd, type SgemmEpilogue, type SgemmModule } from './sgemm-simd.js';
import { encodeLists, gatherBlocks, gatherModule, type EncodedLists, type GatherModule, type Lists } from './gather-lists.js';
import { addressIn, callLayout } from './kernel-memory.js';
import { convWinograd, convWinogradGradWeight, gradInputGeometry, winogradApplies } from './conv-winograd.js';

/**
 * conv1d / conv2d forward as an indirect GEMM on the float32 WASM kernel (conv-indirect.ts):
 * y[N·OH·OW, F] = patches·wᵀ with the patches read from x through per-tap pointers, the weight
 * resident and packed once per version, and the fused bias and activation applied in the tile.
 * The JS kernel (im2col + gemm) for a few rows or without WASM SIMD.
 *
 * A 2×2 pooling epilogue pools in registers, computing only the outputs whole windows read: on a
 * Winograd convolution in the output transform (conv-winograd.ts: the conv net's second layer, 11×11
 * outputs pooled to 5×5, then runs 25 tiles an image where the unfused convolution runs 36), on the
 * indirect GEMM in the tile, its 4 rows one window (conv-indirect.ts's pooled gathers). Any other
 * pooling, or an activation outside the tile, runs the convolution into a block of the memory, then
 * the pooling kernel (pooled-conv.ts).
 */
export const convSimd: EpilogueKernel = (ctx, inputs, outputs, attrs, epilogue) => {
  const x = inputs[0];
  const w = inputs[1];
  const g = geometry(x!.shape, w!.shape, attrs);
  const k = g.kh * g.kw * g.c;
  const rows = g.n * g.oh * g.ow;
  const module = sgemmModule();
  if (!module || rows <= SMALL_M || g.f === 0 || k === 0) return conv(ctx, inputs, outputs, attrs, epilogue);
  const tile = tileEpilogue(epilogue, attrs, g.f);
  if (epilogue.pool) {
    const path = pooledPath(g, epilogue.pool, tile);
    if (path === 'winograd' && convWinograd(module, f32(x!), f32(w!), f32(outputs[0]!), g, tile, 'maxpool')) return;
    if (path === 'unpooled') return convThenPool(convSimd, maxpoolSimd, heldIntermediate, ctx, inputs, outputs, attrs, epilogue, unpooledShape(g));
    const gather = windowRowsContiguous(g) ? forwardPooledRowGather(f32(x!), g) : forwardPooledGather(f32(x!), g);
    return sgemmIndirect(module, gather, forwardB(f32(w!), g), f32(outputs[0]!), g.f, tile);
  }
  if (winogradApplies(g) && convWinograd(module, f32(x!), f32(w!), f32(outputs[0]!), g, tile)) return;
  const gather = windowRowsContiguous(g) ? forwardRowGather(f32(x!), g) : forwardGather(f32(x!), g);
  sgemmIndirect(module, gather, forwardB(f32(w!), g), f32(outputs[0]!), g.f, tile);
};

/**
 * The input gradient dx[N·H·W, C] as a convolution of dy on the indirect GEMM (conv-indirect.ts):
 * no patch-gradient matrix, no col2im; with strides, one product per stride phase (conv-phases.ts),
 * so that no tap the stride skips is multiplied. Also the transposed convolutions' forward. When most
 * (pixel, tap) pairs fall outside dy (an image small next to its kernel: 1×1 → 4×4 reads one tap in
 * 16), a dense GEMM then col2im (gradInputByCol2im). The JS kernel for a few rows or without WASM SIMD.
 */
export const convGradInputSimd: CpuKernel = (ctx, inputs, outputs, attrs) => {
  const dy = inputs[0];
  const w = inputs[1];
  const g = geometry(outputs[0]!.shape, w!.shape, attrs);
  const rows = g.n * g.h * g.w;
  const module = sgemmModule();
  const { phases, density } = phasesFor(g);
  if (!module || rows <= SMALL_M || g.c === 0 || g.f === 0 || g.kh * g.kw === 0) return convKernels.conv2d_grad_input!(ctx, inputs, outputs, attrs);
  if (density < MIN_DENSITY) {
    const gather = g.c % 4 === 0 ? gatherModule() : null;
    if (!gather) return convKernels.conv2d_grad_input!(ctx, inputs, outputs, attrs);
    return gradInputByCol2im(module, gather, f32(dy!), f32(w!), g, f32(outputs[0]!));
  }
  if (phases.length > 1) return gradInputByPhase(module, f32(dy!), f32(w!), g, f32(outputs[0]!), phases);
  const transposed = gradInputGeometry(g);
  if (winogradApplies(transposed) && convWinograd(module, f32(dy!), f32(w!), f32(outputs[0]!), transposed, NO_EPILOGUE, 'gradInput')) return;
  sgemmIndirect(module, gradInputGather(f32(dy!), g), gradInputB(f32(w!), g), f32(outputs[0]!), g.c, NO_EPILOGUE);
};

/**
 * The input gradient where most (pixel, tap) pairs fall outside dy (below MIN_DENSITY: the indirect
 * GEMM would multiply mostly zeros): the patch gradients dP[N·OH·OW, kh·kw·C] = dy·w on the GEMM into
 * a block of its memory, then col2im as a gather (gather-lists.ts): each dx pixel sums the C-float
 * blocks of dP that the (pixel, tap) pairs reading it hold, in the order the JS kernel's col2im adds
 * them (patch rows, then taps), each times 1 (exact): its sums, whichever thread takes the pixel.
 * The JS kernel did the same two steps with C copied out of the memory and scattered float by float:
 * 1.6 s of the 14 s digits-cnn example (its third convolution, 4×4 outputs of a 3×3 kernel: 44% of
 * the pairs).
 */
function gradInputByCol2im(module: SgemmModule, gather: GatherModule, dy: Float32Array, w: Float32Array, g: Geometry, dx: Float32Array): void {
  const k = g.kh * g.kw * g.c;
  const rows = g.n * g.oh * g.ow;
  const patchGrads = heldIntermediate(rows * k);
  sgemmSimd(module, dy, g.f, 1, w, k, 1, patchGrads, rows, k, g.f);
  const call = callLayout(module.memory);
  const dxAt = call.output(dx);
  gatherBlocks(gather, call, addressIn(module.memory, patchGrads)!, dxAt, col2imLists(g), g.n, g.oh * g.ow * g.kh * g.kw, g.c);
  call.copyOut(dx, dxAt);
}

/**
 * For each pixel of an image of dx, the dP blocks that hold its gradient's terms, as gather lists: the
 * block of patch row (oy, ox) and tap (ky, kx) is ((oy·OW + ox)·kh + ky)·kw + kx of its image, weight
 * 1. Kept per geometry (conv.ts keeps those): made once per layer.
 */
function col2imLists(g: Geometry): EncodedLists {
  let encoded = col2imListsKept.get(g);
  if (!encoded) {
    const lists: Lists = Array.from({ length: g.h * g.w }, () => []);
    for (let oy = 0, block = 0; oy < g.oh; oy++) {
      for (let ox = 0; ox < g.ow; ox++) {
        for (let ky = 0; ky < g.kh; ky++) {
          for (let kx = 0; kx < g.kw; kx++, block++) {
            const iy = oy * g.sh + ky * g.dh - g.padTop;
            const ix = ox * g.sw + kx * g.dw - g.padLeft;
            if (iy >= 0 && iy < g.h && ix >= 0 && ix < g.w) lists[iy * g.w + ix]!.push([block, 1]);
          }
        }
      }
    }
    encoded = encodeLists(lists);
    col2imListsKept.set(g, encoded);
  }
  return encoded;
}

const col2imListsKept = new WeakMap<Geometry, EncodedLists>();

/**
 * How convSimd computes g pooled over `pool` windows: in registers (a 2×2 window, the activation in
 * the tile) by Winograd where it applies, else on the indirect GEMM; otherwise 'unpooled', the
 * convolution then the pooling kernel. (Winograd may still decline at run time, its operands outside
 * the memory: the indirect GEMM then runs.)
 */
export function pooledPath(g: Geometry, pool: readonly number[], tile: SgemmEpilogue): 'winograd' | 'indirect' | 'unpooled' {
  if (pool[0] !== 2 || pool[1] !== 2 || tile.after !== null || g.oh < 2 || g.ow < 2) return 'unpooled';
  return winogradApplies(g) ? 'winograd' : 'indirect';
}

/** The pooled convolutions' intermediate: one block of the GEMM's memory, kept between calls, shared by every step (each uses it only during its call). */
let held: HeldBlock | null = null;
function heldIntermediate(floats: number): Float32Array {
  held ??= new HeldBlock(sgemmModule()!.memory);
  return held.view(held.reserve(floats * 4), floats);
}

const NO_EPILOGUE = { bias: null, activation: 'none', alpha: 0, after: null } as const;

/** g's stride phases and their density, kept per geometry object (conv.ts keeps those): nothing made per call. */
const phaseFacts = new WeakMap<Geometry, { phases: Phase[]; density: number }>();
function phasesFor(g: Geometry): { phases: Phase[]; density: number } {
  let facts = phaseFacts.get(g);
  if (!facts) {
    const phases = phasesOf(g);
    facts = { phases, density: phasedDensity(g, phases) };
    phaseFacts.set(g, facts);
  }
  return facts;
}

/** Below this share of useful (pixel, tap) pairs the dense GEMM + col2im (gradInputByCol2im) does less work. */
const MIN_DENSITY = 0.5;

/**
 * The weight gradient dw[F, K] = dyᵀ·P: by Winograd where the forward is one (conv-winograd.ts),
 * else computed transposed with P read from x through pointer lists and dy read in place
 * (conv-gather.ts): nothing packed. The JS kernel for tiny products.
 */
export const convGradWeightSimd: CpuKernel = (ctx, inputs, outputs, attrs) => {
  const dy = inputs[0];
  const x = inputs[1];
  const g = geometry(x!.shape, outputs[0]!.shape, attrs);
  const k = g.kh * g.kw * g.c;
  const rows = g.n * g.oh * g.ow;
  const module = sgemmModule();
  if (!module || k === 0 || g.f === 0 || rows === 0) return convKernels.conv2d_grad_weight!(ctx, inputs, outputs, attrs);
  if (winogradApplies(g) && convWinogradGradWeight(module, f32(dy!), f32(x!), f32(outputs[0]!), g)) return;
  convGradWeightGather(module, f32(dy!), f32(x!), g, f32(outputs[0]!));
};
