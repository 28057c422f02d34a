import type { PlanDim } from '../../../../runtime/plan/format.js';
import { windowOutput } from '../../../shapes/dims.js';
import { product } from '../dims.js';
import { WebGpuEmitError, type KernelSource, type StepShapes } from '../program.js';
import { gridKernel, input, output } from './grid.js';
import { epilogueCode } from './matmul.js';

/**
 * Convolutions and pooling over channels-last tensors, one thread per output element (direct, no
 * im2col buffer). conv1d runs as conv2d on [N, L, 1, C]. 'same' padding follows TensorFlow (the extra
 * cell after), as the CPU kernels do. Gradients are gathers (each thread owns one element of dx or
 * dw), so no atomics are needed. Only the batch may be symbolic; spatial sizes are compile-time.
 */

export interface Geometry {
  n: PlanDim; h: PlanDim; w: number; c: number; f: number; kh: number; kw: number;
  oh: PlanDim; ow: number; sh: number; sw: number; dh: number; dw: number; left: number;
  /** Rows of padding before; null when it depends on a symbolic height ('same' with a stride). */
  top: number | null;
}

function num(d: PlanDim | undefined, what: string): number {
  if (typeof d !== 'number') throw new WebGpuEmitError(`WebGPU convolution and pooling need a fixed ${what}, got '${d}'`);
  return d;
}

function outSize(size: number, k: number, stride: number, dilation: number, padding: string): number {
  const span = (k - 1) * dilation + 1;
  return padding === 'same' ? Math.ceil(size / stride) : Math.floor((size - span) / stride) + 1;
}

function padBefore(size: number, out: number, k: number, stride: number, dilation: number, padding: string): number {
  return padding === 'same' ? Math.floor(Math.max((out - 1) * stride + (k - 1) * dilation + 1 - size, 0) / 2) : 0;
}

/** x [N,H,W,C] (or [N,L,C]) and a kernel of kh×kw with F filters (F = C for pooling). */
function geometry(x: PlanDim[], kernel: { f: number; kh: number; kw: number }, attrs: Record<string, unknown>, pool: boolean): Geometry {
  const oneD = x.length === 3;
  const h = x[1]!;
  const w = oneD ? 1 : num(x[2], 'width');
  const c = num(x[x.length - 1], 'channel count');
  const strides = (attrs.strides as number[] | undefined) ?? (pool ? [kernel.kh, kernel.kw] : [1, 1]);
  const dilation = pool ? [1, 1] : ((attrs.dilation as number[] | undefined) ?? [1, 1]);
  const padding = (attrs.padding as string | undefined) ?? 'valid';
  const [sh, sw] = [strides[0] ?? 1, oneD ? 1 : (strides[1] ?? 1)];
  const [dh, dw] = [dilation[0] ?? 1, oneD ? 1 : (dilation[1] ?? 1)];
  const ow = outSize(w, kernel.kw, sw, dw, padding);
  const left = padBefore(w, ow, kernel.kw, sw, dw, padding);
  if (typeof h === 'number') {
    const oh = outSize(h, kernel.kh, sh, dh, padding);
    return { n: x[0]!, h, w, c, f: kernel.f, kh: kernel.kh, kw: kernel.kw, oh, ow, sh, sw, dh, dw, top: padBefore(h, oh, kernel.kh, sh, dh, padding), left };
  }
  // A symbolic height (a sequence length): sizes become params. Stride 1 keeps 'same' padding fixed;
  // with a stride it depends on the length, so the kernel computes it (null: see `symbolic`).
  const span = (kernel.kh - 1) * dh + 1;
  const oh = windowOutput(h, kernel.kh, sh, dh, padding === 'same' ? 'same' : 'valid');
  const top = padding !== 'same' ? 0 : sh === 1 ? Math.floor((span - 1) / 2) : null;
  return { n: x[0]!, h, w, c, f: kernel.f, kh: kernel.kh, kw: kernel.kw, oh, ow, sh, sw, dh, dw, top, left };
}

export function convGeometry(x: PlanDim[], w: PlanDim[], attrs: Record<string, unknown>): Geometry {
  const oneD = x.length === 3;
  return geometry(x, { f: num(w[0], 'filter count'), kh: num(w[1], 'kernel size'), kw: oneD ? 1 : num(w[2], 'kernel size') }, attrs, false);
}

/** The fixed sizes of the geometry as WGSL constants (the batch, and a symbolic height, are params). */
export function constants(g: Geometry): string {
  const entries = Object.entries(g).filter(([k, v]) => k !== 'n' && typeof v === 'number');
  return entries.map(([k, v]) => `const ${k.toUpperCase()} = ${v as number}i;`).join('\n');
}

/** Params for the symbolic sizes (H, OH), read into `let`s at the top of the loop body. */
function symbolic(g: Geometry): { params: KernelSource['params']; lets: string } {
  const dims = (['h', 'oh'] as const).filter((k) => typeof g[k] !== 'number');
  // TensorFlow's 'same': the total padding max((OH − 1)·SH + span − H, 0), its smaller half before.
  const top = g.top === null ? [`let TOP = max((OH - 1i) * SH + ${(g.kh - 1) * g.dh + 1}i - H, 0i) / 2i;`] : [];
  return {
    params: dims.map((k) => ({ name: k.toUpperCase(), type: 'u32' as const, value: g[k] })),
    lets: [...dims.map((k) => `let ${k.toUpperCase()} = i32(P.${k.toUpperCase()});`), ...top].join('\n'),
  };
}

/** gridKernel for spatial kernels: adds the symbolic-size params and their `let`s. */
export function spatialKernel(g: Geometry, count: PlanDim, buffers: KernelSource['buffers'], loop: string, extra: { params?: KernelSource['params']; helpers?: string } = {}): KernelSource {
  const sym = symbolic(g);
  return gridKernel(count, buffers, `${sym.lets}\n${loop.trim()}`, { helpers: extra.helpers ?? constants(g), params: [...(extra.params ?? []), ...sym.params] });
}

/** `code` with every line after the first indented by `spaces` (it goes where the first line already is). */
const indent = (code: string, spaces: number): string => code.split('\n').join(`\n${' '.repeat(spaces)}`);

/**
 * The window of output (b, oy, ox): `body` once per tap (ky, kx) whose cell (iy, ix) lies inside x.
 * The window code of every convolution forward (conv.ts's and grouped-conv.ts's) and of pooling
 * (`dilated` false: pooling has no dilation).
 */
export function windowTaps(body: string, dilated = true): string {
  const [dh, dw] = dilated ? [' * DH', ' * DW'] : ['', ''];
  return `for (var ky = 0i; ky < KH; ky++) {
  let iy = oy * SH + ky${dh} - TOP;
  if (iy < 0i || iy >= H) { continue; }
  for (var kx = 0i; kx < KW; kx++) {
    let ix = ox * SW + kx${dw} - LEFT;
    if (ix < 0i || ix >= W) { continue; }
    ${indent(body, 4)}
  }
}`;
}

/**
 * The input gradient's window of input cell (b, iy, ix): `body` once per tap (ky, kx) and the output
 * (oy, ox) whose window puts the cell under it, when the strides let one.
 */
export function coveringOutputs(body: string): string {
  return `for (var ky = 0i; ky < KH; ky++) {
  let ty = iy + TOP - ky * DH;
  if (ty < 0i || ty % SH != 0i) { continue; }
  let oy = ty / SH;
  if (oy >= OH) { continue; }
  for (var kx = 0i; kx < KW; kx++) {
    let tx = ix + LEFT - kx * DW;
    if (tx < 0i || tx % SW != 0i) { continue; }
    let ox = tx / SW;
    if (ox >= OW) { continue; }
    ${indent(body, 4)}
  }
}`;
}

/** The weight gradient's sum for tap (ky, kx): `body` once per output (b, oy, ox) whose cell (iy, ix) lies inside x. */
export function tapCells(body: string): string {
  return `for (var b = 0i; b < i32(P.batch); b++) {
  for (var oy = 0i; oy < OH; oy++) {
    let iy = oy * SH + ky * DH - TOP;
    if (iy < 0i || iy >= H) { continue; }
    for (var ox = 0i; ox < OW; ox++) {
      let ix = ox * SW + kx * DW - LEFT;
      if (ix < 0i || ix >= W) { continue; }
      ${indent(body, 6)}
    }
  }
}`;
}

export function emitConv(step: StepShapes): KernelSource {
  const g = convGeometry(step.inputs[0]!.shape, step.inputs[1]!.shape, step.attrs);
  const epi = epilogueCode(step);
  const buffers: KernelSource['buffers'] = [input(0, 'x'), input(1, 'wt')];
  if (epi.hasBias) buffers.push(input(2, 'bias'));
  buffers.push(output(0, 'y'));
  if (epi.hasPre) buffers.push(output(1, 'pre'));
  const source = spatialKernel(g, mulOut(g, g.f), buffers, `
let f = i % P.N;
let pix = i32(i / P.N);
let ox = pix % OW;
let oy = (pix / OW) % OH;
let b = pix / (OW * OH);
var acc = 0.0;
${windowTaps(`let xb = u32(((b * H + iy) * W + ix) * C);
let wb = u32(((i32(f) * KH + ky) * KW + kx) * C);
for (var c = 0u; c < u32(C); c++) { acc = fma(x[xb + c], wt[wb + c], acc); }`)}
store(u32(pix), f, acc);`, {
    params: [{ name: 'N', type: 'u32', value: g.f }],
    helpers: `${constants(g)}\n${epi.fns}\nfn store(m: u32, n: u32, acc: f32) {\n  var v = acc;\n  ${epi.apply}\n  y[m * P.N + n] = v;\n}`,
  });
  return source;
}

export function mulOut(g: Geometry, channels: number): PlanDim {
  return product([g.n, g.oh, g.ow, channels]);
}

/** dx[b, iy, ix, c] = Σ over the outputs whose window covers (iy, ix): dy · w. */
export function emitConvGradInput(step: StepShapes): KernelSource {
  const g = convGeometry(step.outputs[0]!.shape, step.inputs[1]!.shape, step.attrs);
  return spatialKernel(g, product([g.n, g.h, g.w, g.c]), [input(0, 'dy'), input(1, 'wt'), output(0, 'dx')], `
let ii = i32(i);
let c = ii % C;
let ix = (ii / C) % W;
let iy = (ii / (C * W)) % H;
let b = ii / (C * W * H);
var acc = 0.0;
${coveringOutputs(`let ob = u32(((b * OH + oy) * OW + ox) * F);
for (var f = 0i; f < F; f++) { acc = fma(dy[ob + u32(f)], wt[u32(((f * KH + ky) * KW + kx) * C + c)], acc); }`)}
dx[i] = acc;`, { helpers: constants(g) });
}

/** dw[f, ky, kx, c] = Σ over batch and output positions: dy · x. */
export function emitConvGradWeight(step: StepShapes): KernelSource {
  const g = convGeometry(step.inputs[1]!.shape, step.outputs[0]!.shape, step.attrs);
  return spatialKernel(g, g.f * g.kh * g.kw * g.c, [input(0, 'dy'), input(1, 'x'), output(0, 'dw')], `
let ii = i32(i);
let c = ii % C;
let kx = (ii / C) % KW;
let ky = (ii / (C * KW)) % KH;
let f = ii / (C * KW * KH);
var acc = 0.0;
${tapCells('acc = fma(dy[u32(((b * OH + oy) * OW + ox) * F + f)], x[u32(((b * H + iy) * W + ix) * C + c)], acc);')}
dw[i] = acc;`, { helpers: constants(g), params: [{ name: 'batch', type: 'u32', value: g.n }] });
}

function poolGeometry(x: PlanDim[], attrs: Record<string, unknown>): Geometry {
  const size = attrs.size as number[];
  return geometry(x, { f: num(x[3], 'channel count'), kh: size[0]!, kw: size[1]! }, attrs, true);
}

/** The pooling window of output (b, oy, ox) at channel c: loops `body` over its valid cells (index `at`). */
function windowLoop(body: string): string {
  return windowTaps(`let at = u32(((b * H + iy) * W + ix) * C + c);\n${body}`, false);
}

export function emitPool(step: StepShapes): KernelSource {
  const g = poolGeometry(step.inputs[0]!.shape, step.attrs);
  const max = step.base === 'maxpool2d';
  return spatialKernel(g, mulOut(g, g.c), [input(0, 'x'), output(0, 'y')], `
let ii = i32(i);
let c = ii % C;
let ox = (ii / C) % OW;
let oy = (ii / (C * OW)) % OH;
let b = ii / (C * OW * OH);
var acc = ${max ? '-3.402823e38' : '0.0'};
var count = 0.0;
${windowLoop(max ? 'acc = max(acc, x[at]); count += 1.0;' : 'acc += x[at]; count += 1.0;')}
y[i] = ${max ? 'acc' : 'acc / max(count, 1.0)'};`, { helpers: constants(g) });
}

/**
 * Pooling gradients as gathers: dx at (b, iy, ix, c) adds, for every window that covers it, dy/count
 * (avg) or dy when it is the window's first maximum (max).
 */
export function emitPoolGrad(step: StepShapes): KernelSource {
  const max = step.base === 'maxpool2d_grad';
  const xShape = max ? step.inputs[1]!.shape : step.outputs[0]!.shape;
  const g = poolGeometry(xShape, step.attrs);
  const buffers = max ? [input(0, 'dy'), input(1, 'x'), output(0, 'dx')] : [input(0, 'dy'), output(0, 'dx')];
  const perWindow = max
    ? `var best = 0u;
var bestValue = -3.402823e38;
var found = false;
${windowLoop('if (!found || x[at] > bestValue) { best = at; bestValue = x[at]; found = true; }')}
if (found && best == i) { acc += dy[o]; }`
    : `var count = 0.0;
${windowLoop('count += 1.0;')}
acc += dy[o] / max(count, 1.0);`;
  return spatialKernel(g, product([g.n, g.h, g.w, g.c]), buffers, `
let ii = i32(i);
let c = ii % C;
let px = (ii / C) % W;
let py = (ii / (C * W)) % H;
let b = ii / (C * W * H);
var acc = 0.0;
for (var oy = max(0i, (py + TOP - KH + SH) / SH); oy <= min(OH - 1i, (py + TOP) / SH); oy++) {
  for (var ox = max(0i, (px + LEFT - KW + SW) / SW); ox <= min(OW - 1i, (px + LEFT) / SW); ox++) {
    let o = u32(((b * OH + oy) * OW + ox) * C + c);
    ${perWindow.split('\n').join('\n    ')}
  }
}
dx[i] = acc;`, { helpers: constants(g) });
}

/** Global pooling over every axis between the first and the last: one thread per (b, c). */
export function emitGlobalPool(step: StepShapes): KernelSource {
  const x = step.inputs[0]!.shape;
  const cells = product(x.slice(1, -1));
  const c = x[x.length - 1]!;
  const max = step.base === 'global_max_pool';
  return gridKernel(product([x[0]!, c]), [input(0, 'x'), output(0, 'y')], `
let b = i / P.C;
let c = i % P.C;
var acc = ${max ? '-3.402823e38' : '0.0'};
for (var s = 0u; s < P.cells; s++) {
  let v = x[(b * P.cells + s) * P.C + c];
  ${max ? 'acc = max(acc, v);' : 'acc += v;'}
}
y[i] = ${max ? 'acc' : 'acc / f32(P.cells)'};`, { params: [{ name: 'C', type: 'u32', value: c }, { name: 'cells', type: 'u32', value: cells }] });
}

export function emitGlobalPoolGrad(step: StepShapes): KernelSource {
  const max = step.base === 'global_max_pool_grad';
  const x = step.outputs[0]!.shape;
  const cells = product(x.slice(1, -1));
  const c = x[x.length - 1]!;
  const buffers = max ? [input(0, 'dy'), input(1, 'x'), output(0, 'dx')] : [input(0, 'dy'), output(0, 'dx')];
  const body = max
    ? `var best = b * P.cells * P.C + c;
for (var s = 1u; s < P.cells; s++) {
  let at = (b * P.cells + s) * P.C + c;
  if (x[at] > x[best]) { best = at; }
}
dx[i] = select(0.0, dy[b * P.C + c], best == i);`
    : 'dx[i] = dy[b * P.C + c] / f32(P.cells);';
  return gridKernel(product(x), buffers, `
let c = i % P.C;
let b = i / (P.C * P.cells);
${body}`, { params: [{ name: 'C', type: 'u32', value: c }, { name: 'cells', type: 'u32', value: cells }] });
}
