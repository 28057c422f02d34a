import { product } from '../dims.js';
import type { KernelSource, StepShapes } from '../program.js';
import { input, output } from './grid.js';
import { epilogueCode } from './matmul.js';
import { constants, convGeometry, coveringOutputs, mulOut, spatialKernel, tapCells, windowTaps, type Geometry } from './spatial.js';

/**
 * grouped_conv2d (with the fused tail) and its gradients, one thread per output element like the
 * convolutions of spatial.ts, whose geometry and window code (windowTaps, coveringOutputs, tapCells)
 * they share: output channel f reads the CPG = C/groups
 * input channels of group f / FPG, w [F, kh, kw, CPG]. The gradients are gathers (no atomics).
 */
function groupConstants(g: Geometry, attrs: Record<string, unknown>): string {
  const groups = (attrs.groups as number | undefined) ?? 1;
  return `${constants(g)}\nconst CPG = ${g.c / groups}i;\nconst FPG = ${g.f / groups}i;`;
}

export function emitGroupedConv(step: StepShapes): KernelSource {
  const g = convGeometry(step.inputs[0]!.shape, step.inputs[1]!.shape, step.attrs);
  const epi = epilogueCode(step);
  const buffers: KernelSource['buffers'] = [input(0, 'x'), input(1, 'wt')];
  if (epi.hasBias) buffers.push(input(2, 'bias'));
  buffers.push(output(0, 'y'));
  if (epi.hasPre) buffers.push(output(1, 'pre'));
  return spatialKernel(g, mulOut(g, g.f), buffers, `
let f = i % P.N;
let pix = i32(i / P.N);
let ox = pix % OW;
let oy = (pix / OW) % OH;
let b = pix / (OW * OH);
let first = (i32(f) / FPG) * CPG;
var acc = 0.0;
${windowTaps(`let xb = u32(((b * H + iy) * W + ix) * C + first);
let wb = u32(((i32(f) * KH + ky) * KW + kx) * CPG);
for (var c = 0u; c < u32(CPG); c++) { acc = fma(x[xb + c], wt[wb + c], acc); }`)}
store(u32(pix), f, acc);`, {
    params: [{ name: 'N', type: 'u32', value: g.f }],
    helpers: `${groupConstants(g, step.attrs)}\n${epi.fns}\nfn store(m: u32, n: u32, acc: f32) {\n  var v = acc;\n  ${epi.apply}\n  y[m * P.N + n] = v;\n}`,
  });
}

/** dx[b, iy, ix, c] = Σ over the outputs whose window covers (iy, ix) and the filters of c's group: dy · w. */
export function emitGroupedConvGradInput(step: StepShapes): KernelSource {
  const g = convGeometry(step.outputs[0]!.shape, step.inputs[1]!.shape, step.attrs);
  return spatialKernel(g, product([g.n, g.h, g.w, g.c]), [input(0, 'dy'), input(1, 'wt'), output(0, 'dx')], `
let ii = i32(i);
let c = ii % C;
let ix = (ii / C) % W;
let iy = (ii / (C * W)) % H;
let b = ii / (C * W * H);
let group = c / CPG;
let ci = c % CPG;
var acc = 0.0;
${coveringOutputs(`let ob = u32(((b * OH + oy) * OW + ox) * F);
for (var f = group * FPG; f < (group + 1i) * FPG; f++) { acc = fma(dy[ob + u32(f)], wt[u32(((f * KH + ky) * KW + kx) * CPG + ci)], acc); }`)}
dx[i] = acc;`, { helpers: groupConstants(g, step.attrs) });
}

/** dw[f, ky, kx, ci] = Σ over batch and output positions: dy · x at channel (f / FPG)·CPG + ci. */
export function emitGroupedConvGradWeight(step: StepShapes): KernelSource {
  const g = convGeometry(step.inputs[1]!.shape, step.outputs[0]!.shape, step.attrs);
  const groups = (step.attrs.groups as number | undefined) ?? 1;
  return spatialKernel(g, g.f * g.kh * g.kw * (g.c / groups), [input(0, 'dy'), input(1, 'x'), output(0, 'dw')], `
let ii = i32(i);
let ci = ii % CPG;
let kx = (ii / CPG) % KW;
let ky = (ii / (CPG * KW)) % KH;
let f = ii / (CPG * KW * KH);
let c = (f / FPG) * CPG + ci;
var acc = 0.0;
${tapCells('acc = fma(dy[u32(((b * OH + oy) * OW + ox) * F + f)], x[u32(((b * H + iy) * W + ix) * C + c)], acc);')}
dw[i] = acc;`, { helpers: groupConstants(g, step.attrs), params: [{ name: 'batch', type: 'u32', value: g.n }] });
}
