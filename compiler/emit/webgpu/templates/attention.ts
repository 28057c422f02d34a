import type { PlanDim } from '../../../../runtime/plan/format.js';
import { addDims, f32Literal, mulDims, product } from '../dims.js';
import { WebGpuEmitError, type KernelSource, type StepShapes } from '../program.js';
import { gridKernel, input, output } from './grid.js';

/**
 * Multi-head scaled dot-product attention over q [N, TQ, D] and k, v [N, TK, D] (heads split D; TK
 * differs from TQ in cross-attention), probabilities [N, heads, TQ, TK] saved for the gradient, as
 * runtime/plan/kernels.ts and the CPU kernel define it.
 * Direct loops (sequences in nnet models are short): the forward pass has one thread per
 * (batch, head, query) row; the gradient one thread per element of dq, dk and dv (gathers, no atomics).
 */
function geometry(step: StepShapes, q: number): { n: PlanDim; tq: PlanDim; tk: PlanDim; d: number; heads: number; dh: number; scale: string } {
  const [n, tq, d] = step.inputs[q]!.shape;
  if (typeof d !== 'number') throw new WebGpuEmitError(`WebGPU attention needs a fixed model width, got '${d}'`);
  const heads = Number(step.attrs.heads);
  return { n: n!, tq: tq!, tk: step.inputs[q + 1]!.shape[1]!, d, heads, dh: d / heads, scale: f32Literal(1 / Math.sqrt(d / heads)) };
}

/** Fixed sizes as WGSL constants; the sequence lengths TQ and TK may be symbolic and come in `P.TQ`, `P.TK`. */
function constants(g: ReturnType<typeof geometry>, causal: boolean): string {
  return `const D = ${g.d}u;\nconst HEADS = ${g.heads}u;\nconst DH = ${g.dh}u;\nconst SCALE = ${g.scale};\nconst CAUSAL = ${causal};`;
}

/**
 * masked_attention: the key mask [N, TK] or the mask [N, TQ, TK] (f32 or i32) hides key j where it is 0, as CAUSAL
 * hides later keys; a query with no key left gets probabilities 0 and y = 0.
 */
export function emitMaskedAttention(step: StepShapes): KernelSource {
  const dtype = step.inputs[3]!.dtype === 'i32' ? 'i32' : 'f32';
  return emitAttention(step, { buffer: input(3, 'mask', dtype), hidden: `mask[${step.inputs[3]!.shape.length === 3 ? '(b * TQ + qi)' : 'b'} * TK + j] == ${dtype === 'i32' ? '0' : '0.0'}` });
}

export function emitAttention(step: StepShapes, mask?: { buffer: KernelSource['buffers'][number]; hidden: string }): KernelSource {
  const g = geometry(step, 0);
  const hidden = `(CAUSAL && j > qi)${mask ? ` || ${mask.hidden}` : ''}`;
  const buffers = [input(0, 'q'), input(1, 'k'), input(2, 'v'), ...(mask ? [mask.buffer] : []), output(0, 'y'), output(1, 'probs')];
  return gridKernel(mulDims(g.n, g.heads, g.tq), buffers, `
let TQ = P.TQ;
let TK = P.TK;
let qi = i % TQ;
let h = (i / TQ) % HEADS;
let b = i / (TQ * HEADS);
let p = i * TK;
let row = (b * TQ + qi) * D + h * DH;
var mx = -3.402823e38;
for (var j = 0u; j < TK; j++) {
  if (${hidden}) { continue; }
  var s = 0.0;
  for (var e = 0u; e < DH; e++) { s = fma(q[row + e], k[(b * TK + j) * D + h * DH + e], s); }
  probs[p + j] = s * SCALE;
  mx = max(mx, s * SCALE);
}
var total = 0.0;
for (var j = 0u; j < TK; j++) {
  var w = 0.0;
  if (!(${hidden})) { w = exp(probs[p + j] - mx); }
  probs[p + j] = w;
  total += w;
}
if (total == 0.0) { total = 1.0; }
for (var e = 0u; e < DH; e++) { y[row + e] = 0.0; }
for (var j = 0u; j < TK; j++) {
  let w = probs[p + j] / total;
  probs[p + j] = w;
  for (var e = 0u; e < DH; e++) { y[row + e] = fma(w, v[(b * TK + j) * D + h * DH + e], y[row + e]); }
}`, { helpers: constants(g, step.attrs.causal === true), params: [{ name: 'TQ', type: 'u32', value: g.tq }, { name: 'TK', type: 'u32', value: g.tk }] });
}

export function emitAttentionGrad(step: StepShapes): KernelSource {
  const g = geometry(step, 1);
  const perQ = product([g.n, g.tq, g.d]);
  const perK = product([g.n, g.tk, g.d]);
  // Thread i < N·TQ·D gives dq's element i; the next N·TK·D threads dk's, then dv's: (b, pos, e) each.
  return gridKernel(addDims(perQ, mulDims(perK, 2)), [input(0, 'dy'), input(1, 'q'), input(2, 'k'), input(3, 'v'), input(4, 'probs'), output(0, 'dq'), output(1, 'dk'), output(2, 'dv')], `
let TQ = P.TQ;
let TK = P.TK;
var which = 0u;
var el = i;
if (i >= P.perQ + P.perK) { which = 2u; el = i - P.perQ - P.perK; } else if (i >= P.perQ) { which = 1u; el = i - P.perQ; }
var T = TK;
if (which == 0u) { T = TQ; }
let e = el % DH;
let h = (el % D) / DH;
let pos = (el / D) % T;
let b = el / (D * T);
let qBase = b * TQ * D + h * DH;
let kBase = b * TK * D + h * DH;
if (which == 2u) {
  // dv[b, pos, :] = Σ_qi probs[qi, pos] · dy[qi, :]
  var acc = 0.0;
  for (var qi = 0u; qi < TQ; qi++) { acc = fma(probs[((b * HEADS + h) * TQ + qi) * TK + pos], dy[qBase + qi * D + e], acc); }
  dv[el] = acc;
} else {
  // ds[qi, j] = probs[qi, j] · (dy_qi·v_j − Σ_l probs[qi, l] · dy_qi·v_l) · SCALE
  var acc = 0.0;
  for (var qi = 0u; qi < TQ; qi++) {
    if (which == 0u && qi != pos) { continue; }
    let p = ((b * HEADS + h) * TQ + qi) * TK;
    var dot = 0.0;
    for (var l = 0u; l < TK; l++) {
      var s = 0.0;
      for (var f = 0u; f < DH; f++) { s = fma(dy[qBase + qi * D + f], v[kBase + l * D + f], s); }
      dot = fma(s, probs[p + l], dot);
    }
    for (var j = 0u; j < TK; j++) {
      if (which == 1u && j != pos) { continue; }
      var s = 0.0;
      for (var f = 0u; f < DH; f++) { s = fma(dy[qBase + qi * D + f], v[kBase + j * D + f], s); }
      let ds = probs[p + j] * (s - dot) * SCALE;
      if (which == 0u) { acc = fma(ds, k[kBase + j * D + e], acc); } else { acc = fma(ds, q[qBase + qi * D + e], acc); }
    }
  }
  if (which == 0u) { dq[el] = acc; } else { dk[el] = acc; }
}`, {
    helpers: constants(g, step.attrs.causal === true),
    params: [{ name: 'perQ', type: 'u32', value: perQ }, { name: 'perK', type: 'u32', value: perK }, { name: 'TQ', type: 'u32', value: g.tq }, { name: 'TK', type: 'u32', value: g.tk }],
  });
}
