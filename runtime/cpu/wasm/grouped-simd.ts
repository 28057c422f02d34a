import type { Attrs, CpuKernel, EpilogueKernel } from '../kernel-interface.js';
import { applyEpilogue, f32 } from '../kernel-interface.js';
import { geometry, type Geometry } from '../kernels/conv.js';
import { SMALL_M } from '../kernels/gemm-small.js';
import { groupedConvEpilogueKernels, groupedConvKernels } from '../kernels/grouped-conv.js';
import { forwardB, forwardGather, gradInputB, gradInputGather, sgemmIndirect, type Gather } from './conv-indirect.js';
import { convGradWeightGather } from './conv-gather.js';
import { depthwiseForward, depthwiseGradInput, depthwiseGradWeight } from './depthwise-simd.js';
import { sgemmModule, type SgemmModule } from './sgemm-simd.js';

/**
 * grouped_conv2d and its gradients on the WASM paths. One channel per group is the depthwise
 * convolution (depthwise-simd.ts: SIMD over channels). Otherwise each group is a convolution of its
 * own, C/groups channels to F/groups filters, run as one product on the indirect GEMM
 * (conv-indirect.ts) — G products, no work on the zeros a block-diagonal weight would hold:
 *
 * - forward and input gradient read the whole x (or dy) through pointers moved to the group's run of
 *   channels, and B is the group's rows of w (contiguous: w is [F, kh, kw, C/groups]); the product's
 *   [rows, F/groups] (or C/groups) columns are copied into the group's columns of y (or dx);
 * - the weight gradient copies the group's channels of x and dy out contiguous and runs the gathered
 *   product (conv-gather.ts) straight into the group's rows of dw.
 *
 * Every product is the GEMM's: tiles over threads, the same bits for any thread count. The loops of
 * kernels/grouped-conv.ts for a few rows or without WASM SIMD.
 */
interface Split {
  groups: number;
  /** Input channels and filters per group. */
  cpg: number;
  fpg: number;
}

const splitOf = (g: Geometry, attrs: Attrs): Split => {
  const groups = (attrs.groups as number | undefined) ?? 1;
  return { groups, cpg: g.c / groups, fpg: g.f / groups };
};

/** `base` read at channel offset `offset` of each pixel: `channels` values per tap. */
function shifted(base: Gather, group: number, channels: number, offset: number): Gather {
  return {
    ...base,
    channels,
    key: `${base.key} group ${group} of ${channels}`,
    pointers: (into, at, i0, count, sourceAt, zerosAt) => base.pointers(into, at, i0, count, sourceAt + offset * 4, zerosAt),
  };
}

let columns = new Float32Array(0);

/** A [rows, width] block of `columns` into columns [at, at + width) of `into`'s rows of `stride`. */
function scatterColumns(block: Float32Array, into: Float32Array, rows: number, width: number, stride: number, at: number): void {
  for (let r = 0, from = 0; r < rows; r++) {
    const to = r * stride + at;
    for (let j = 0; j < width; j++) into[to + j] = block[from++]!;
  }
}

function scratch(values: number): Float32Array {
  if (columns.length < values) columns = new Float32Array(values);
  return columns.subarray(0, values);
}

const NONE = { bias: null, activation: 'none', alpha: 0, after: null } as const;

function forward(module: SgemmModule, x: Float32Array, w: Float32Array, y: Float32Array, g: Geometry, s: Split, bias: Float32Array | null): void {
  const rows = g.n * g.oh * g.ow;
  const group: Geometry = { ...g, c: s.cpg, f: s.fpg };
  const whole = forwardGather(x, g);
  const block = scratch(rows * s.fpg);
  const wSize = s.fpg * g.kh * g.kw * s.cpg;
  for (let i = 0; i < s.groups; i++) {
    const epilogue = { ...NONE, bias: bias ? bias.subarray(i * s.fpg, (i + 1) * s.fpg) : null };
    sgemmIndirect(module, shifted(whole, i, s.cpg, i * s.cpg), forwardB(w.subarray(i * wSize, (i + 1) * wSize), group), block, s.fpg, epilogue);
    scatterColumns(block, y, rows, s.fpg, g.f, i * s.fpg);
  }
}

function gradInput(module: SgemmModule, dy: Float32Array, w: Float32Array, dx: Float32Array, g: Geometry, s: Split): void {
  const rows = g.n * g.h * g.w;
  const group: Geometry = { ...g, c: s.cpg, f: s.fpg };
  const whole = gradInputGather(dy, g);
  const block = scratch(rows * s.cpg);
  const wSize = s.fpg * g.kh * g.kw * s.cpg;
  for (let i = 0; i < s.groups; i++) {
    sgemmIndirect(module, shifted(whole, i, s.fpg, i * s.fpg), gradInputB(w.subarray(i * wSize, (i + 1) * wSize), group), block, s.cpg, NONE);
    scatterColumns(block, dx, rows, s.cpg, g.c, i * s.cpg);
  }
}

/** Columns [at, at + width) of rows of `stride` into `into`, contiguous. */
function gatherColumns(from: Float32Array, rows: number, width: number, stride: number, at: number, into: Float32Array): void {
  for (let r = 0, o = 0; r < rows; r++) {
    const src = r * stride + at;
    for (let j = 0; j < width; j++) into[o++] = from[src + j]!;
  }
}

let xGroup = new Float32Array(0);
let dyGroup = new Float32Array(0);

function gradWeight(module: SgemmModule, dy: Float32Array, x: Float32Array, dw: Float32Array, g: Geometry, s: Split): void {
  const rows = g.n * g.oh * g.ow;
  const pixels = g.n * g.h * g.w;
  const group: Geometry = { ...g, c: s.cpg, f: s.fpg };
  if (xGroup.length < pixels * s.cpg) xGroup = new Float32Array(pixels * s.cpg);
  if (dyGroup.length < rows * s.fpg) dyGroup = new Float32Array(rows * s.fpg);
  const [xg, dyg] = [xGroup.subarray(0, pixels * s.cpg), dyGroup.subarray(0, rows * s.fpg)];
  const wSize = s.fpg * g.kh * g.kw * s.cpg;
  for (let i = 0; i < s.groups; i++) {
    gatherColumns(x, pixels, s.cpg, g.c, i * s.cpg, xg);
    gatherColumns(dy, rows, s.fpg, g.f, i * s.fpg, dyg);
    convGradWeightGather(module, dyg, xg, group, dw.subarray(i * wSize, (i + 1) * wSize));
  }
}

const isDepthwise = (s: Split): boolean => s.cpg === 1;

export const groupedConvSimd: EpilogueKernel = (ctx, inputs, outputs, attrs, epilogue) => {
  const [x, w] = inputs;
  const g = geometry(x!.shape, w!.shape, attrs);
  const s = splitOf(g, attrs);
  const [xd, wd, y] = [f32(x!), f32(w!), f32(outputs[0]!)];
  if (isDepthwise(s) && depthwiseForward(xd, wd, y, g, epilogue)) return;
  const module = sgemmModule();
  if (!module || isDepthwise(s) || g.n * g.oh * g.ow <= SMALL_M || g.f === 0) return groupedConvEpilogueKernels.grouped_conv2d(ctx, inputs, outputs, attrs, epilogue);
  forward(module, xd, wd, y, g, s, epilogue.bias);
  applyEpilogue(y, g.f, 0, g.n * g.oh * g.ow, { ...epilogue, bias: null });
};

export const groupedConvGradInputSimd: CpuKernel = (ctx, inputs, outputs, attrs) => {
  const [dy, w] = inputs;
  const g = geometry(outputs[0]!.shape, w!.shape, attrs);
  const s = splitOf(g, attrs);
  const [dyd, wd, dx] = [f32(dy!), f32(w!), f32(outputs[0]!)];
  if (isDepthwise(s) && depthwiseGradInput(dyd, wd, dx, g)) return;
  const module = sgemmModule();
  if (!module || isDepthwise(s) || g.n * g.h * g.w <= SMALL_M || g.c === 0) return groupedConvKernels.grouped_conv2d_grad_input(ctx, inputs, outputs, attrs);
  gradInput(module, dyd, wd, dx, g, s);
};

export const groupedConvGradWeightSimd: CpuKernel = (ctx, inputs, outputs, attrs) => {
  const [dy, x] = inputs;
  const g = geometry(x!.shape, outputs[0]!.shape, attrs);
  const s = splitOf(g, attrs);
  const [dyd, xd, dw] = [f32(dy!), f32(x!), f32(outputs[0]!)];
  if (isDepthwise(s) && depthwiseGradWeight(dyd, xd, dw, g)) return;
  const module = sgemmModule();
  if (!module || isDepthwise(s) || g.n * g.oh * g.ow === 0 || g.f === 0) return groupedConvKernels.grouped_conv2d_grad_weight(ctx, inputs, outputs, attrs);
  gradWeight(module, dyd, xd, dw, g, s);
};
