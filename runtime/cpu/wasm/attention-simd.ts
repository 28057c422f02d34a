import type { CpuKernel } from '../kernel-interface.js';
import { f32 } from '../kernel-interface.js';
import { attentionGemm, attentionGradGemm } from '../kernels/attention-gemm.js';
import { parallelFor } from '../threads/threaded-module.js';
import { columnsModule, copyRows, HeldBlock } from './group-columns.js';
import type { GemmMemoryModule } from './gemm-memory.js';
import { addressIn, floatsOf } from './kernel-memory.js';
import { gemmSimdOrJs } from './matmul-simd.js';
import { NR } from './sgemm-module.js';
import { EXP_VALUE_COST, softmaxModule, VALUE_COST, type SoftmaxExports } from './softmax-simd.js';

/**
 * Multi-head attention (attention.ts states the operands and the masking rules) in WebAssembly from
 * end to end: attention-gemm.ts's products on the SIMD GEMM, with everything between them in the
 * GEMM module's memory too. Per (batch, head), the head's columns of q, k, v (and dy) are copied
 * into a block of that memory kept between calls (copy_columns, group-columns.ts), where the GEMM
 * reads and writes them in place; the masked softmax over the scores and its gradient
 * dS = P ⊙ (dP − Σ dP·P)·scale are softmax-module.ts's attention_softmax and attention_softmax_grad,
 * its rows split over the worker pool (each row computed alone: the same bits on any number of
 * threads). Operands that are not in the memory (a kernel called on plain arrays) are copied in and
 * out by JS loops. Without WASM SIMD, attention-gemm.ts runs.
 *
 * Numerics: float32 sums in the GEMM and the softmax, transcendental-module.ts's float32 exp, where
 * attention.ts's direct loops use float64 and Math.exp; tolerances in test/runtime/cpu/attention-gemm.test.ts.
 */
type Module = GemmMemoryModule<SoftmaxExports>;

/** Bits of a mask's value that a kept key has some of: a float's but the sign (−0 hides, as 0), any of an int's. */
const FLOAT_MASK_BITS = 0x7fffffff;
const INT_MASK_BITS = -1;

/**
 * The per-head operands and products in the held block, in floats from its start. A region that the
 * GEMM reads as a row-major B is followed by NR floats of slack (its last panel reads past n).
 */
interface Layout {
  /** The sizes it is for. */
  tq: number; tk: number; dh: number; maskFloats: number;
  q: number; k: number; v: number; dy: number;
  s: number; dp: number; outQ: number; outK: number; outV: number;
  ones: number; mask: number; scalars: number; floats: number;
}

const align4 = (floats: number): number => Math.ceil(floats / 4) * 4;

function layoutOf(tq: number, tk: number, dh: number, maskFloats: number): Layout {
  let next = 0;
  const take = (floats: number): number => {
    const at = next;
    next += align4(floats + NR);
    return at;
  };
  const q = take(tq * dh), k = take(tk * dh), v = take(tk * dh), dy = take(tq * dh);
  const s = take(tq * tk), dp = take(tq * tk);
  const outQ = take(tq * dh), outK = take(tk * dh), outV = take(tk * dh);
  const ones = take(tk), mask = take(maskFloats), scalars = take(4);
  return { tq, tk, dh, maskFloats, q, k, v, dy, s, dp, outQ, outK, outV, ones, mask, scalars, floats: next };
}

/** The layout for these sizes: the last one while they stay the same (every training step), so nothing is allocated per call. */
function layoutFor(tq: number, tk: number, dh: number, maskFloats: number): Layout {
  const last = held.layout;
  return last.tq === tq && last.tk === tk && last.dh === dh && last.maskFloats === maskFloats ? last : layoutOf(tq, tk, dh, maskFloats);
}

/** The block of each memory. */
const blocks = new WeakMap<WebAssembly.Memory, HeldBlock>();

/** This call's block, its byte address and layout (one object, refilled per call). */
const held = { block: null as HeldBlock | null, at: 0, layout: layoutOf(0, 0, 0, 0) };

function hold(module: Module, tq: number, tk: number, dh: number, maskFloats: number): typeof held {
  const memory = module.gemm.memory;
  let block = blocks.get(memory);
  if (!block) blocks.set(memory, (block = new HeldBlock(memory)));
  held.layout = layoutFor(tq, tk, dh, maskFloats);
  held.at = block.reserve(held.layout.floats * 4);
  held.block = block;
  return held;
}

/**
 * A view of `length` floats at float `at` of the held block, asked for where it is used: the
 * GEMM's scratch may grow the memory between uses, which detaches an ordinary memory's views.
 */
const region = (at: number, length: number): Float32Array => held.block!.view(held.at + at * 4, length);

/** Argument lists, refilled per call: nothing allocated per step. */
const softmaxArgs = [0, 0, 0, 0, 0, 0, 0, 0];
const gradArgs = [0, 0, 0, 0, 0];

export const attentionSimd: CpuKernel = (ctx, inputs, outputs, attrs) => {
  const module = softmaxModule();
  const columns = columnsModule();
  if (!module || !columns) return attentionGemm(ctx, inputs, outputs, attrs);
  const qT = inputs[0]!, kT = inputs[1]!, vT = inputs[2]!, maskT = inputs[3];
  const [n, tq, d] = qT.shape as [number, number, number];
  const tk = kT.shape[1] as number;
  const heads = attrs.heads as number;
  const dh = d / heads;
  const q = f32(qT), k = f32(kT), v = f32(vT), y = f32(outputs[0]!), probs = f32(outputs[1]!);
  const memory = module.gemm.memory;
  const maskData = maskT?.data;
  const maskAt = maskData ? addressIn(memory, maskData) : null;
  const { at, layout } = hold(module, tq, tk, dh, maskData && maskAt === null ? maskData.length : 0);
  const floats = floatsOf(memory);
  floats.fill(1, (at >> 2) + layout.ones, (at >> 2) + layout.ones + tk);
  // A mask not in the memory is copied in as floats (an int32 one converts: 0 stays 0).
  if (maskData && maskAt === null) floats.set(maskData, (at >> 2) + layout.mask);
  floats[(at >> 2) + layout.scalars] = 1 / Math.sqrt(dh);
  const perQuery = maskT?.shape.length === 3;
  const maskBase = maskAt ?? at + layout.mask * 4;
  const maskBits = maskData instanceof Int32Array && maskAt !== null ? INT_MASK_BITS : FLOAT_MASK_BITS;
  const causal = attrs.causal === true ? 1 : 0;
  const a = softmaxArgs;
  for (let b = 0; b < n; b++) {
    for (let h = 0; h < heads; h++) {
      const off = h * dh;
      copyRows(columns, q, b * tq * d + off, d, region(layout.q, tq * dh), 0, dh, tq, dh);
      copyRows(columns, k, b * tk * d + off, d, region(layout.k, tk * dh), 0, dh, tk, dh);
      copyRows(columns, v, b * tk * d + off, d, region(layout.v, tk * dh), 0, dh, tk, dh);
      // S = Q·Kᵀ: Kᵀ(e, j) = k[j·dh + e].
      gemmSimdOrJs(region(layout.q, tq * dh), dh, 1, region(layout.k, tk * dh), 1, dh, region(layout.s, tq * tk), tq, tk, dh);
      a[0] = at + layout.s * 4;
      a[1] = a[0];
      a[2] = maskData ? maskBase + (perQuery ? b * tq : b) * tk * 4 : at + layout.ones * 4;
      a[3] = perQuery ? tk * 4 : 0;
      a[4] = maskBits;
      a[5] = causal;
      a[6] = tk * 4;
      a[7] = at + layout.scalars * 4;
      parallelFor(module.threaded, 'attention_softmax', a, tq, tq * tk * EXP_VALUE_COST);
      copyRows(columns, region(layout.s, tq * tk), 0, tk, probs, (b * heads + h) * tq * tk, tk, tq, tk);
      // Y = P·V
      gemmSimdOrJs(region(layout.s, tq * tk), tk, 1, region(layout.v, tk * dh), dh, 1, region(layout.outQ, tq * dh), tq, dh, tk);
      copyRows(columns, region(layout.outQ, tq * dh), 0, dh, y, b * tq * d + off, d, tq, dh);
    }
  }
};

export const attentionGradSimd: CpuKernel = (ctx, inputs, outputs, attrs) => {
  const module = softmaxModule();
  const columns = columnsModule();
  if (!module || !columns) return attentionGradGemm(ctx, inputs, outputs, attrs);
  const dyT = inputs[0]!, qT = inputs[1]!, kT = inputs[2]!, vT = inputs[3]!, probsT = inputs[4]!;
  const [n, tq, d] = qT.shape as [number, number, number];
  const tk = kT.shape[1] as number;
  const heads = attrs.heads as number;
  const dh = d / heads;
  const dy = f32(dyT), q = f32(qT), k = f32(kT), v = f32(vT), probs = f32(probsT);
  const dq = f32(outputs[0]!), dk = f32(outputs[1]!), dv = f32(outputs[2]!);
  const { at, layout } = hold(module, tq, tk, dh, 0);
  floatsOf(module.gemm.memory)[(at >> 2) + layout.scalars] = 1 / Math.sqrt(dh);
  const a = gradArgs;
  for (let b = 0; b < n; b++) {
    for (let h = 0; h < heads; h++) {
      const off = h * dh;
      const rowsQ = b * tq * d + off, rowsK = b * tk * d + off;
      copyRows(columns, dy, rowsQ, d, region(layout.dy, tq * dh), 0, dh, tq, dh);
      copyRows(columns, q, rowsQ, d, region(layout.q, tq * dh), 0, dh, tq, dh);
      copyRows(columns, k, rowsK, d, region(layout.k, tk * dh), 0, dh, tk, dh);
      copyRows(columns, v, rowsK, d, region(layout.v, tk * dh), 0, dh, tk, dh);
      copyRows(columns, probs, (b * heads + h) * tq * tk, tk, region(layout.s, tq * tk), 0, tk, tq, tk);
      // dV = Pᵀ·dY: Pᵀ(j, i) = p[i·tk + j].
      gemmSimdOrJs(region(layout.s, tq * tk), 1, tk, region(layout.dy, tq * dh), dh, 1, region(layout.outV, tk * dh), tk, dh, tq);
      copyRows(columns, region(layout.outV, tk * dh), 0, dh, dv, rowsK, d, tk, dh);
      // dP = dY·Vᵀ, then dS = P ⊙ (dP − Σⱼ dP·P)·scale in place.
      gemmSimdOrJs(region(layout.dy, tq * dh), dh, 1, region(layout.v, tk * dh), 1, dh, region(layout.dp, tq * tk), tq, tk, dh);
      a[0] = at + layout.dp * 4;
      a[1] = at + layout.s * 4;
      a[2] = a[0];
      a[3] = tk * 4;
      a[4] = at + layout.scalars * 4;
      parallelFor(module.threaded, 'attention_softmax_grad', a, tq, tq * tk * VALUE_COST);
      // dQ = dS·K, dK = dSᵀ·Q.
      gemmSimdOrJs(region(layout.dp, tq * tk), tk, 1, region(layout.k, tk * dh), dh, 1, region(layout.outQ, tq * dh), tq, dh, tk);
      copyRows(columns, region(layout.outQ, tq * dh), 0, dh, dq, rowsQ, d, tq, dh);
      gemmSimdOrJs(region(layout.dp, tq * tk), 1, tk, region(layout.q, tq * dh), dh, 1, region(layout.outK, tk * dh), tk, dh, tq);
      copyRows(columns, region(layout.outK, tk * dh), 0, dh, dk, rowsK, d, tk, dh);
    }
  }
};
