import type { CpuKernel } from '../kernel-interface.js';
import { f32 } from '../kernel-interface.js';
import { gemm } from './matmul.js';

/**
 * Multi-head attention (attention.ts states the operands and the masking rules) with its products on
 * the GEMM every kernel calls (matmul.ts `gemm`: WebAssembly SIMD when installed, else the JS one).
 * Per (batch, head), the head's columns of q, k, v (and dy) are gathered into contiguous scratch,
 * then forward S = Q·Kᵀ and Y = P·V; backward dP = dY·Vᵀ, dV = Pᵀ·dY, dQ = dS·K and dK = dSᵀ·Q,
 * transposes expressed as strides. The masked row softmax and dS = P ⊙ (dP − rowsum(dP ⊙ P))·scale
 * are JS loops here; with WASM SIMD installed, wasm/attention-simd.ts runs instead (those in WASM too,
 * the operands in the GEMM's memory), and this kernel where the host lacks it.
 *
 * Numerics: the GEMM sums in float32 where attention.ts's direct loops sum in float64; tolerances in
 * test/runtime/cpu/attention-gemm.test.ts. Scratch is kept while the sizes stay the same (every
 * training step): nothing allocated per step.
 */

/** Per-head scratch: one array per operand, since the GEMM takes whole arrays (C from index 0). */
interface Scratch {
  tq: number; tk: number; dh: number;
  q: Float32Array; k: Float32Array; v: Float32Array; dy: Float32Array;
  s: Float32Array; dp: Float32Array; outQ: Float32Array; outK: Float32Array; outV: Float32Array;
}

let kept: Scratch | null = null;

function scratchFor(tq: number, tk: number, dh: number): Scratch {
  if (kept && kept.tq === tq && kept.tk === tk && kept.dh === dh) return kept;
  const rowsQ = (): Float32Array => new Float32Array(tq * dh);
  const rowsK = (): Float32Array => new Float32Array(tk * dh);
  kept = {
    tq, tk, dh,
    q: rowsQ(), k: rowsK(), v: rowsK(), dy: rowsQ(),
    s: new Float32Array(tq * tk), dp: new Float32Array(tq * tk),
    outQ: rowsQ(), outK: rowsK(), outV: rowsK(),
  };
  return kept;
}

/** `rows` rows of `dh` floats from src (from `from`, rows `d` apart) into dst, contiguous. */
function gather(src: Float32Array, from: number, rows: number, d: number, dh: number, dst: Float32Array): void {
  for (let r = 0, o = 0; r < rows; r++) {
    const s = from + r * d;
    for (let e = 0; e < dh; e++, o++) dst[o] = src[s + e]!;
  }
}

/** gather's inverse: contiguous rows of src into dst from `to`, rows `d` apart. */
function scatter(src: Float32Array, rows: number, d: number, dh: number, dst: Float32Array, to: number): void {
  for (let r = 0, o = 0; r < rows; r++) {
    const t = to + r * d;
    for (let e = 0; e < dh; e++, o++) dst[t + e] = src[o]!;
  }
}

export const attentionGemm: CpuKernel = (_ctx, inputs, outputs, attrs) => {
  const qT = inputs[0]!, kT = inputs[1]!, vT = inputs[2]!, maskT = inputs[3];
  const [n, tq, d] = qT.shape as [number, number, number];
  const tk = kT.shape[1] as number;
  const heads = attrs.heads as number;
  const dh = d / heads;
  const scale = 1 / Math.sqrt(dh);
  const causal = attrs.causal === true;
  const q = f32(qT), k = f32(kT), v = f32(vT), y = f32(outputs[0]!), probs = f32(outputs[1]!);
  const mask = maskT?.data;
  const perQuery = maskT?.shape.length === 3;
  const w = scratchFor(tq, tk, dh);
  const s = w.s;
  for (let b = 0; b < n; b++) {
    for (let h = 0; h < heads; h++) {
      const off = h * dh;
      gather(q, b * tq * d + off, tq, d, dh, w.q);
      gather(k, b * tk * d + off, tk, d, dh, w.k);
      gather(v, b * tk * d + off, tk, d, dh, w.v);
      // S = Q·Kᵀ: Kᵀ(e, j) = k[j·dh + e].
      gemm(w.q, dh, 1, w.k, 1, dh, s, tq, tk, dh);
      const base = (b * heads + h) * tq * tk;
      for (let i = 0; i < tq; i++) {
        const r = i * tk;
        const maskRow = (perQuery ? b * tq + i : b) * tk;
        let max = -Infinity;
        for (let j = 0; j < tk; j++) {
          if ((causal && j > i) || (mask && mask[maskRow + j] === 0)) { s[r + j] = -Infinity; continue; }
          const x = (s[r + j] = s[r + j]! * scale);
          if (x > max) max = x;
        }
        if (max === -Infinity) {
          // No key left: probabilities 0, so y = 0 (not the NaN of a softmax over −∞ alone).
          for (let j = 0; j < tk; j++) probs[base + r + j] = s[r + j] = 0;
          continue;
        }
        let sum = 0;
        for (let j = 0; j < tk; j++) sum += probs[base + r + j] = Math.exp(s[r + j]! - max);
        for (let j = 0; j < tk; j++) s[r + j] = probs[base + r + j] = probs[base + r + j]! / sum;
      }
      // Y = P·V
      gemm(s, tk, 1, w.v, dh, 1, w.outQ, tq, dh, tk);
      scatter(w.outQ, tq, d, dh, y, b * tq * d + off);
    }
  }
};

export const attentionGradGemm: CpuKernel = (_ctx, inputs, outputs, attrs) => {
  const dyT = inputs[0]!, qT = inputs[1]!, kT = inputs[2]!, vT = inputs[3]!, probsT = inputs[4]!;
  const [n, tq, d] = qT.shape as [number, number, number];
  const tk = kT.shape[1] as number;
  const heads = attrs.heads as number;
  const dh = d / heads;
  const scale = 1 / Math.sqrt(dh);
  const dy = f32(dyT), q = f32(qT), k = f32(kT), v = f32(vT), probs = f32(probsT);
  const dq = f32(outputs[0]!), dk = f32(outputs[1]!), dv = f32(outputs[2]!);
  const w = scratchFor(tq, tk, dh);
  const p = w.s, dp = w.dp;
  for (let b = 0; b < n; b++) {
    for (let h = 0; h < heads; h++) {
      const off = h * dh;
      const rowsQ = b * tq * d + off, rowsK = b * tk * d + off;
      gather(dy, rowsQ, tq, d, dh, w.dy);
      gather(q, rowsQ, tq, d, dh, w.q);
      gather(k, rowsK, tk, d, dh, w.k);
      gather(v, rowsK, tk, d, dh, w.v);
      const base = (b * heads + h) * tq * tk;
      for (let i = 0; i < tq * tk; i++) p[i] = probs[base + i]!;
      // dV = Pᵀ·dY: Pᵀ(j, i) = p[i·tk + j].
      gemm(p, 1, tk, w.dy, dh, 1, w.outV, tk, dh, tq);
      scatter(w.outV, tk, d, dh, dv, rowsK);
      // dP = dY·Vᵀ, then dS = P ⊙ (dP − Σⱼ dP·P)·scale in place.
      gemm(w.dy, dh, 1, w.v, 1, dh, dp, tq, tk, dh);
      for (let i = 0; i < tq; i++) {
        const r = i * tk;
        let dot = 0;
        for (let j = 0; j < tk; j++) dot += dp[r + j]! * p[r + j]!;
        for (let j = 0; j < tk; j++) dp[r + j] = p[r + j]! * (dp[r + j]! - dot) * scale;
      }
      // dQ = dS·K, dK = dSᵀ·Q.
      gemm(dp, tk, 1, w.k, dh, 1, w.outQ, tq, dh, tk);
      scatter(w.outQ, tq, d, dh, dq, rowsQ);
      gemm(dp, 1, tk, w.q, dh, 1, w.outK, tk, dh, tq);
      scatter(w.outK, tk, d, dh, dk, rowsK);
    }
  }
};
