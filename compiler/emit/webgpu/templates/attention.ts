import type { PlanDim } from '../../../../runtime/plan/format.js';
import { f32Literal, mulDims, product } from '../dims.js';
import { WebGpuEmitError, type KernelSource, type StepShapes } from '../program.js';
import { gridKernel, input, output } from './grid.js';

/**
 * Multi-head scaled dot-product attention over q, k, v [N, T, D] (heads split D), probabilities
 * [N, heads, T, T] saved for the gradient, as runtime/plan/kernels.ts and the CPU kernel define it.
 * Direct loops (sequences in nnet models are short): the forward pass has one thread per
 * (batch, head, query) row; the gradient one thread per element of dq, dk and dv (gathers, no atomics).
 */
function geometry(step: StepShapes): { t: PlanDim; d: number; heads: number; dh: number; scale: string } {
  const [, t, d] = step.inputs[1]!.shape;
  if (typeof d !== 'number') throw new WebGpuEmitError(`WebGPU attention needs a fixed model width, got '${d}'`);
  const heads = Number(step.attrs.heads);
  return { t: t!, d, heads, dh: d / heads, scale: f32Literal(1 / Math.sqrt(d / heads)) };
}

/** Fixed sizes as WGSL constants; the sequence length T may be symbolic and comes in `P.T`. */
function constants(g: ReturnType<typeof geometry>, causal: boolean): string {
  return `const D = ${g.d}u;\nconst HEADS = ${g.heads}u;\nconst DH = ${g.dh}u;\nconst SCALE = ${g.scale};\nconst CAUSAL = ${causal};`;
}

export function emitAttention(step: StepShapes): KernelSource {
  const g = geometry({ ...step, inputs: [step.inputs[0]!, step.inputs[0]!] });
  const n = step.inputs[0]!.shape[0]!;
  return gridKernel(mulDims(n, g.heads, g.t), [input(0, 'q'), input(1, 'k'), input(2, 'v'), output(0, 'y'), output(1, 'probs')], `
let T = P.T;
let qi = i % T;
let h = (i / T) % HEADS;
let b = i / (T * HEADS);
let p = i * T;
let row = (b * T + qi) * D + h * DH;
var mx = -3.402823e38;
for (var j = 0u; j < T; j++) {
  if (CAUSAL && j > qi) { continue; }
  var s = 0.0;
  for (var e = 0u; e < DH; e++) { s = fma(q[row + e], k[(b * T + j) * D + h * DH + e], s); }
  probs[p + j] = s * SCALE;
  mx = max(mx, s * SCALE);
}
var total = 0.0;
for (var j = 0u; j < T; j++) {
  var w = 0.0;
  if (!(CAUSAL && j > qi)) { w = exp(probs[p + j] - mx); }
  probs[p + j] = w;
  total += w;
}
for (var e = 0u; e < DH; e++) { y[row + e] = 0.0; }
for (var j = 0u; j < T; j++) {
  let w = probs[p + j] / total;
  probs[p + j] = w;
  for (var e = 0u; e < DH; e++) { y[row + e] = fma(w, v[(b * T + j) * D + h * DH + e], y[row + e]); }
}`, { helpers: constants(g, step.attrs.causal === true), params: [{ name: 'T', type: 'u32', value: g.t }] });
}

export function emitAttentionGrad(step: StepShapes): KernelSource {
  const g = geometry({ ...step, inputs: [step.inputs[1]!, step.inputs[1]!] });
  const n = step.inputs[1]!.shape[0]!;
  const per = product([n, g.t, g.d]);
  // Thread i: which = i / (N·T·D) picks dq, dk or dv; the rest is the element (b, t, d).
  return gridKernel(mulDims(per, 3), [input(0, 'dy'), input(1, 'q'), input(2, 'k'), input(3, 'v'), input(4, 'probs'), output(0, 'dq'), output(1, 'dk'), output(2, 'dv')], `
let T = P.T;
let which = i / P.per;
let el = i % P.per;
let e = el % DH;
let h = (el % D) / DH;
let pos = (el / D) % T;
let b = el / (D * T);
let base = b * T * D + h * DH;
if (which == 2u) {
  // dv[b, pos, :] = Σ_qi probs[qi, pos] · dy[qi, :]
  var acc = 0.0;
  for (var qi = 0u; qi < T; qi++) { acc = fma(probs[((b * HEADS + h) * T + qi) * T + pos], dy[base + qi * D + e], acc); }
  dv[el] = acc;
} else {
  // ds[qi, j] = probs[qi, j] · (dy_qi·v_j − Σ_l probs[qi, l] · dy_qi·v_l) · SCALE
  var acc = 0.0;
  for (var qi = 0u; qi < T; qi++) {
    if (which == 0u && qi != pos) { continue; }
    let p = ((b * HEADS + h) * T + qi) * T;
    var dot = 0.0;
    for (var l = 0u; l < T; l++) {
      var s = 0.0;
      for (var f = 0u; f < DH; f++) { s = fma(dy[base + qi * D + f], v[base + l * D + f], s); }
      dot = fma(s, probs[p + l], dot);
    }
    for (var j = 0u; j < T; j++) {
      if (which == 1u && j != pos) { continue; }
      var s = 0.0;
      for (var f = 0u; f < DH; f++) { s = fma(dy[base + qi * D + f], v[base + j * D + f], s); }
      let ds = probs[p + j] * (s - dot) * SCALE;
      if (which == 0u) { acc = fma(ds, k[base + j * D + e], acc); } else { acc = fma(ds, q[base + qi * D + e], acc); }
    }
  }
  if (which == 0u) { dq[el] = acc; } else { dk[el] = acc; }
}`, { helpers: constants(g, step.attrs.causal === true), params: [{ name: 'per', type: 'u32', value: per }, { name: 'T', type: 'u32', value: g.t }] });
}
