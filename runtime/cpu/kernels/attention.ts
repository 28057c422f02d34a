import type { CpuKernel, CpuKernelMap } from '../kernel-interface.js';
import { f32 } from '../kernel-interface.js';
import { attentionGemm, attentionGradGemm } from './attention-gemm.js';

/**
 * Multi-head scaled dot-product attention: queries q [N, Tq, D], keys and values k, v [N, Tk, D]
 * (heads split D; Tk differs from Tq in cross-attention), with the probabilities [N, H, Tq, Tk] saved
 * for the gradient, and the sinusoidal positional encoding. masked_attention's fourth input, a key
 * mask [N, Tk] (or a mask [N, Tq, Tk] per query), hides the keys where it is 0 as causal hides later ones; a query with no key left
 * gets probabilities 0 and y = 0 (not the NaN a softmax over −∞ alone would give).
 * The loops here are direct, summing in float64: the reference that attention-gemm.ts, the kernels
 * registered, is tested against (its products on the GEMM).
 */
export const attentionDirect: CpuKernel = (_ctx, [qT, kT, vT, maskT], [yT, probsT], attrs) => {
  const [n, tq, d] = qT!.shape as [number, number, number];
  const tk = kT!.shape[1] as number;
  const heads = attrs.heads as number;
  const dh = d / heads;
  const scale = 1 / Math.sqrt(dh);
  const causal = attrs.causal === true;
  const q = f32(qT!), k = f32(kT!), v = f32(vT!), y = f32(yT!), probs = f32(probsT!);
  const mask = maskT?.data;
  const perQuery = maskT?.shape.length === 3;
  y.fill(0);
  for (let b = 0; b < n; b++) {
    for (let h = 0; h < heads; h++) {
      const off = h * dh;
      for (let i = 0; i < tq; i++) {
        const p = ((b * heads + h) * tq + i) * tk;
        let max = -Infinity;
        for (let j = 0; j < tk; j++) {
          if ((causal && j > i) || (mask && mask[(perQuery ? b * tq + i : b) * tk + j] === 0)) { probs[p + j] = -Infinity; continue; }
          let s = 0;
          for (let e = 0; e < dh; e++) s += q[(b * tq + i) * d + off + e]! * k[(b * tk + j) * d + off + e]!;
          probs[p + j] = s * scale;
          max = Math.max(max, s * scale);
        }
        if (max === -Infinity) { probs.fill(0, p, p + tk); continue; }
        let sum = 0;
        for (let j = 0; j < tk; j++) sum += probs[p + j] = Math.exp(probs[p + j]! - max);
        for (let j = 0; j < tk; j++) {
          const w = (probs[p + j] = probs[p + j]! / sum);
          if (w === 0) continue;
          for (let e = 0; e < dh; e++) y[(b * tq + i) * d + off + e]! += w * v[(b * tk + j) * d + off + e]!;
        }
      }
    }
  }
};

export const attentionGradDirect: CpuKernel = (_ctx, [dyT, qT, kT, vT, probsT], [dqT, dkT, dvT], attrs) => {
  const [n, tq, d] = qT!.shape as [number, number, number];
  const tk = kT!.shape[1] as number;
  const heads = attrs.heads as number;
  const dh = d / heads;
  const scale = 1 / Math.sqrt(dh);
  const dy = f32(dyT!), q = f32(qT!), k = f32(kT!), v = f32(vT!), probs = f32(probsT!);
  const dq = f32(dqT!), dk = f32(dkT!), dv = f32(dvT!);
  dq.fill(0);
  dk.fill(0);
  dv.fill(0);
  const dp = new Float64Array(tk);
  for (let b = 0; b < n; b++) {
    for (let h = 0; h < heads; h++) {
      const off = h * dh;
      for (let i = 0; i < tq; i++) {
        const p = ((b * heads + h) * tq + i) * tk;
        const row = (b * tq + i) * d + off;
        let dot = 0;
        for (let j = 0; j < tk; j++) {
          const w = probs[p + j]!;
          let s = 0;
          for (let e = 0; e < dh; e++) {
            s += dy[row + e]! * v[(b * tk + j) * d + off + e]!;
            dv[(b * tk + j) * d + off + e]! += w * dy[row + e]!;
          }
          dp[j] = s;
          dot += s * w;
        }
        for (let j = 0; j < tk; j++) {
          const ds = probs[p + j]! * (dp[j]! - dot) * scale;
          if (ds === 0) continue;
          for (let e = 0; e < dh; e++) {
            dq[row + e]! += ds * k[(b * tk + j) * d + off + e]!;
            dk[(b * tk + j) * d + off + e]! += ds * q[row + e]!;
          }
        }
      }
    }
  }
};

/**
 * The sinusoidal table [t, d] in float64 (y rounds x + table once, as computing it in place did), kept
 * while t and d stay the same: a training step would otherwise pay a pow, a sin or a cos per element.
 */
let encoding = { t: -1, d: -1, table: new Float64Array(0) };

function encodingTable(t: number, d: number): Float64Array {
  if (encoding.t === t && encoding.d === d) return encoding.table;
  const table = new Float64Array(t * d);
  for (let pos = 0; pos < t; pos++) {
    for (let e = 0; e < d; e++) {
      const angle = pos / Math.pow(10000, (2 * Math.floor(e / 2)) / d);
      table[pos * d + e] = e % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  }
  encoding = { t, d, table };
  return table;
}

const positionalEncoding: CpuKernel = (_ctx, [xT], [yT]) => {
  const [n, t, d] = xT!.shape as [number, number, number];
  const x = f32(xT!), y = f32(yT!);
  const table = encodingTable(t, d);
  const per = t * d;
  for (let b = 0; b < n; b++) {
    const o = b * per;
    for (let i = 0; i < per; i++) y[o + i] = x[o + i]! + table[i]!;
  }
};

export const attentionKernels = {
  attention: attentionGemm,
  masked_attention: attentionGemm,
  attention_grad: attentionGradGemm,
  positional_encoding: positionalEncoding,
} satisfies CpuKernelMap;
