import type { Attrs, CpuKernel, EpilogueKernel } from '../kernel-interface.js';
import { applyEpilogue, f32, withoutBias } from '../kernel-interface.js';
import { geometry, type Geometry } from '../kernels/conv.js';
import { SMALL_M } from '../kernels/gemm-small.js';
import { groupedConvEpilogueKernels, groupedConvKernels } from '../kernels/grouped-conv.js';
import { forwardB, forwardGather, gradInputB, gradInputGather, sgemmIndirect, type Gather } from './conv-indirect.js';
import { convGradWeightGather } from './conv-gather.js';
import { depthwiseForward, depthwiseGradInput, depthwiseGradWeight } from './depthwise-simd.js';
import { sgemmModule, type SgemmEpilogue, type SgemmModule } from './sgemm-simd.js';
import { NR } from './sgemm-module.js';
import { addressIn } from './kernel-memory.js';
import { columnsModule, copyColumns, copyRows, HeldBlock } from './group-columns.js';

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
 * The column copies are WebAssembly (columns-module.ts, group-columns.ts) between blocks of the GEMM's
 * memory kept for them, when the tensors lie in that memory (an executor's); JS loops otherwise.
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

/** g's split, kept per geometry object (conv.ts keeps those per step): no object per call. */
const splits = new WeakMap<Geometry, Split>();
const splitOf = (g: Geometry, attrs: Attrs): Split => {
  const groups = (attrs.groups as number | undefined) ?? 1;
  let split = splits.get(g);
  if (!split || split.groups !== groups) splits.set(g, (split = { groups, cpg: g.c / groups, fpg: g.f / groups }));
  return split;
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

/**
 * The groups' shifted gathers of `base` (kept while base is: gathers are kept per operand,
 * conv-indirect.ts), and the groups' views of a weight, its gradient or a bias (kept per array):
 * a steady-state call makes none of them.
 */
const shiftedGathers = new WeakMap<Gather, Gather[]>();
function groupGathers(base: Gather, groups: number, channels: number): Gather[] {
  let kept = shiftedGathers.get(base);
  if (!kept || kept.length !== groups || kept[0]!.channels !== channels) {
    shiftedGathers.set(base, (kept = Array.from({ length: groups }, (_, i) => shifted(base, i, channels, i * channels))));
  }
  return kept;
}
const views = new WeakMap<Float32Array, Float32Array[]>();
function groupViews(data: Float32Array, groups: number, size: number): Float32Array[] {
  let kept = views.get(data);
  if (!kept || kept.length !== groups || kept[0]!.length !== size) views.set(data, (kept = Array.from({ length: groups }, (_, i) => data.subarray(i * size, (i + 1) * size))));
  return kept;
}
const biasEpilogues = new WeakMap<Float32Array, SgemmEpilogue[]>();
function groupEpilogues(bias: Float32Array, groups: number, size: number): SgemmEpilogue[] {
  let kept = biasEpilogues.get(bias);
  if (!kept || kept.length !== groups || kept[0]!.bias!.length !== size) {
    biasEpilogues.set(bias, (kept = groupViews(bias, groups, size).map((b) => ({ ...NONE, bias: b }))));
  }
  return kept;
}

/** One group's geometry (C/groups channels to F/groups filters), kept per geometry object: no object per call. */
const groupGeometries = new WeakMap<Geometry, Geometry>();
function groupGeometry(g: Geometry, s: Split): Geometry {
  let group = groupGeometries.get(g);
  if (!group || group.c !== s.cpg || group.f !== s.fpg) groupGeometries.set(g, (group = { ...g, c: s.cpg, f: s.fpg }));
  return group;
}

let columns = new Float32Array(0);

const heldBlocks = new WeakMap<WebAssembly.Memory, { products: HeldBlock; operands: HeldBlock }>();
function held(memory: WebAssembly.Memory): { products: HeldBlock; operands: HeldBlock } {
  let blocks = heldBlocks.get(memory);
  if (!blocks) heldBlocks.set(memory, (blocks = { products: new HeldBlock(memory), operands: new HeldBlock(memory) }));
  return blocks;
}

/**
 * Where a group's [rows, width] product goes: a held block of the GEMM's memory when the output lies
 * there too (the GEMM stores its tiles there, then copy_columns moves them into the output's columns),
 * else JS scratch.
 */
function productBlock(module: SgemmModule, out: Float32Array, values: number): Float32Array {
  if (!columnsModule() || addressIn(module.memory, out) === null) {
    if (columns.length < values) columns = new Float32Array(values);
    return columns.subarray(0, values);
  }
  const block = held(module.memory).products;
  return block.view(block.reserve(values * 4), values);
}

const NONE = { bias: null, activation: 'none', alpha: 0, after: null } as const;

function forward(module: SgemmModule, x: Float32Array, w: Float32Array, y: Float32Array, g: Geometry, s: Split, bias: Float32Array | null): void {
  const rows = g.n * g.oh * g.ow;
  const group = groupGeometry(g, s);
  const gathers = groupGathers(forwardGather(x, g), s.groups, s.cpg);
  const block = productBlock(module, y, rows * s.fpg);
  const ws = groupViews(w, s.groups, s.fpg * g.kh * g.kw * s.cpg);
  const epilogues = bias ? groupEpilogues(bias, s.groups, s.fpg) : null;
  for (let i = 0; i < s.groups; i++) {
    sgemmIndirect(module, gathers[i]!, forwardB(ws[i]!, group), block, s.fpg, epilogues ? epilogues[i]! : NONE);
    copyRows(columnsModule(), block, 0, s.fpg, y, i * s.fpg, g.f, rows, s.fpg);
  }
}

function gradInput(module: SgemmModule, dy: Float32Array, w: Float32Array, dx: Float32Array, g: Geometry, s: Split): void {
  const rows = g.n * g.h * g.w;
  const group = groupGeometry(g, s);
  const gathers = groupGathers(gradInputGather(dy, g), s.groups, s.fpg);
  const block = productBlock(module, dx, rows * s.cpg);
  const ws = groupViews(w, s.groups, s.fpg * g.kh * g.kw * s.cpg);
  for (let i = 0; i < s.groups; i++) {
    sgemmIndirect(module, gathers[i]!, gradInputB(ws[i]!, group), block, s.cpg, NONE);
    copyRows(columnsModule(), block, 0, s.cpg, dx, i * s.cpg, g.c, rows, s.cpg);
  }
}

const align4 = (floats: number): number => Math.ceil(floats / 4) * 4;

/**
 * The weight gradient group by group: the group's channels of x and of dy copied out contiguous
 * (copy_columns) into a held block of the GEMM's memory, where the gathered product reads them in
 * place — its pointer table, into the same block every group and call, is kept (pointer-tables.ts).
 * x and dy are read where they lie, or copied into the block first.
 */
function gradWeight(module: SgemmModule, dy: Float32Array, x: Float32Array, dw: Float32Array, g: Geometry, s: Split): void {
  const copier = columnsModule();
  if (!copier) return gradWeightJs(module, dy, x, dw, g, s);
  const rows = g.n * g.oh * g.ow;
  const pixels = g.n * g.h * g.w;
  const group = groupGeometry(g, s);
  const memory = module.memory;
  const xIn = addressIn(memory, x);
  const dyIn = addressIn(memory, dy);
  // [ x's group | dy's group, one row of slack (the product reads its last row 8 columns wide) | x | dy ]
  const xgFloats = align4(pixels * s.cpg);
  const dygFloats = align4(rows * s.fpg + NR);
  const block = held(memory).operands;
  const xgAt = block.reserve((xgFloats + dygFloats + (xIn === null ? align4(x.length) : 0) + (dyIn === null ? dy.length : 0)) * 4);
  const dygAt = xgAt + xgFloats * 4;
  const xAt = xIn ?? dygAt + dygFloats * 4;
  const dyAt = dyIn ?? xAt + align4(x.length) * 4;
  const floats = block.floats();
  if (xIn === null) floats.set(x, xAt / 4);
  if (dyIn === null) floats.set(dy, dyAt / 4);
  const xg = block.view(xgAt, pixels * s.cpg);
  const dyg = block.view(dygAt, rows * s.fpg);
  const dws = groupViews(dw, s.groups, s.fpg * g.kh * g.kw * s.cpg);
  for (let i = 0; i < s.groups; i++) {
    copyColumns(copier, xAt + i * s.cpg * 4, g.c, xgAt, s.cpg, pixels, s.cpg);
    copyColumns(copier, dyAt + i * s.fpg * 4, g.f, dygAt, s.fpg, rows, s.fpg);
    convGradWeightGather(module, dyg, xg, group, dws[i]!);
  }
}

let xGroup = new Float32Array(0);
let dyGroup = new Float32Array(0);

/** The weight gradient with the copies in JS (no columns module). */
function gradWeightJs(module: SgemmModule, dy: Float32Array, x: Float32Array, dw: Float32Array, g: Geometry, s: Split): void {
  const rows = g.n * g.oh * g.ow;
  const pixels = g.n * g.h * g.w;
  const group = groupGeometry(g, s);
  if (xGroup.length < pixels * s.cpg) xGroup = new Float32Array(pixels * s.cpg);
  if (dyGroup.length < rows * s.fpg) dyGroup = new Float32Array(rows * s.fpg);
  const [xg, dyg] = [xGroup.subarray(0, pixels * s.cpg), dyGroup.subarray(0, rows * s.fpg)];
  const wSize = s.fpg * g.kh * g.kw * s.cpg;
  for (let i = 0; i < s.groups; i++) {
    copyRows(null, x, i * s.cpg, g.c, xg, 0, s.cpg, pixels, s.cpg);
    copyRows(null, dy, i * s.fpg, g.f, dyg, 0, s.fpg, rows, s.fpg);
    convGradWeightGather(module, dyg, xg, group, dw.subarray(i * wSize, (i + 1) * wSize));
  }
}

const isDepthwise = (s: Split): boolean => s.cpg === 1;

// The entry points take their operands by index: destructuring them allocates per call where V8 does not optimize it away (train-step-heap.test.ts).
export const groupedConvSimd: EpilogueKernel = (ctx, inputs, outputs, attrs, epilogue) => {
  const x = inputs[0]!;
  const w = inputs[1]!;
  const g = geometry(x.shape, w.shape, attrs);
  const s = splitOf(g, attrs);
  const xd = f32(x);
  const wd = f32(w);
  const y = f32(outputs[0]!);
  if (isDepthwise(s) && depthwiseForward(xd, wd, y, g, epilogue)) return;
  const module = sgemmModule();
  if (!module || isDepthwise(s) || g.n * g.oh * g.ow <= SMALL_M || g.f === 0) return groupedConvEpilogueKernels.grouped_conv2d(ctx, inputs, outputs, attrs, epilogue);
  forward(module, xd, wd, y, g, s, epilogue.bias);
  applyEpilogue(y, g.f, 0, g.n * g.oh * g.ow, withoutBias(epilogue));
};

export const groupedConvGradInputSimd: CpuKernel = (ctx, inputs, outputs, attrs) => {
  const dy = inputs[0]!;
  const w = inputs[1]!;
  const g = geometry(outputs[0]!.shape, w.shape, attrs);
  const s = splitOf(g, attrs);
  const dyd = f32(dy);
  const wd = f32(w);
  const dx = f32(outputs[0]!);
  if (isDepthwise(s) && depthwiseGradInput(dyd, wd, dx, g)) return;
  const module = sgemmModule();
  if (!module || isDepthwise(s) || g.n * g.h * g.w <= SMALL_M || g.c === 0) return groupedConvKernels.grouped_conv2d_grad_input(ctx, inputs, outputs, attrs);
  gradInput(module, dyd, wd, dx, g, s);
};

export const groupedConvGradWeightSimd: CpuKernel = (ctx, inputs, outputs, attrs) => {
  const dy = inputs[0]!;
  const x = inputs[1]!;
  const g = geometry(x.shape, outputs[0]!.shape, attrs);
  const s = splitOf(g, attrs);
  const dyd = f32(dy);
  const xd = f32(x);
  const dw = f32(outputs[0]!);
  if (isDepthwise(s) && depthwiseGradWeight(dyd, xd, dw, g)) return;
  const module = sgemmModule();
  if (!module || isDepthwise(s) || g.n * g.oh * g.ow === 0 || g.f === 0) return groupedConvKernels.grouped_conv2d_grad_weight(ctx, inputs, outputs, attrs);
  gradWeight(module, dyd, xd, dw, g, s);
};
