import type { Epilogue } from '../kernel-interface.js';
import { applyEpilogue } from '../kernel-interface.js';
import type { Geometry } from '../kernels/conv.js';
import { instantiateThreaded, parallelFor, type ThreadedModule } from '../threads/threaded-module.js';
import { forwardGather, geometryKey, gradInputGather, type Gather } from './conv-indirect.js';
import { DEPTHWISE_FUNCTIONS, depthwiseModuleBytes } from './depthwise-module.js';
import { pointerTable } from './pointer-tables.js';
import { floatsOf, sgemmModule, type SgemmModule } from './sgemm-simd.js';

/**
 * The depthwise convolution — grouped_conv2d with one input channel per group, F = C·M filters,
 * filter c·M + m reading channel c — and its gradients on WebAssembly SIMD (depthwise-module.ts),
 * four channels per vector, in the GEMM module's memory above its resident weights.
 *
 * Every product is over F channels: with a multiplier M > 1, x is copied in with each channel
 * repeated M times (so filter f reads channel f of the copy), and the input gradient's F columns are
 * summed M by M on the way out. Rows are padded to Fp = F rounded up to 4 channels (zeros), so odd
 * channel counts need no tail code. Pointers are conv-indirect.ts's gathers (one per output pixel and
 * tap, into the copy or a run of zeros), kept between calls (pointer-tables.ts).
 *
 * Memory: [ resident weights | wᵀ [taps, Fp] | bias [Fp] | source | zeros | pointer lists | out ]
 */
type DepthwiseModule = { gemm: SgemmModule; threaded: ThreadedModule };

const instances = new WeakMap<SgemmModule, ThreadedModule | null>();

function depthwiseModule(): DepthwiseModule | null {
  const gemm = sgemmModule();
  if (!gemm) return null;
  if (!instances.has(gemm)) instances.set(gemm, instantiateThreaded(depthwiseModuleBytes, DEPTHWISE_FUNCTIONS, gemm.threaded));
  const threaded = instances.get(gemm)!;
  return threaded ? { gemm, threaded } : null;
}

const align16 = (bytes: number): number => Math.ceil(bytes / 16) * 16;

/** `pixels` rows of `channels` values into floats at `at`, each value repeated `repeat` times, rows padded with zeros to `stride`. */
function copyIn(src: Float32Array, pixels: number, channels: number, repeat: number, floats: Float32Array, at: number, stride: number): void {
  if (repeat === 1 && channels === stride) {
    floats.set(src.subarray(0, pixels * channels), at);
    return;
  }
  const width = channels * repeat;
  for (let p = 0, from = 0, to = at; p < pixels; p++, to += stride) {
    let o = to;
    for (let c = 0; c < channels; c++, from++) for (let m = 0; m < repeat; m++) floats[o++] = src[from]!;
    for (let j = width; j < stride; j++) floats[o++] = 0;
  }
}

interface Layout {
  fp: number;
  taps: number;
  wAt: number;
  biasAt: number;
  sourceAt: number;
  zerosAt: number;
  listsAt: number;
  outAt: number;
}

/** Places the operands of one product over `rows` output rows reading `sourceRows` rows of the source. */
function layout(module: DepthwiseModule, g: Geometry, sourceRows: number, rows: number): Layout {
  const fp = Math.ceil(g.f / 4) * 4;
  const taps = g.kh * g.kw;
  const wAt = align16(module.gemm.resident.scratchStart());
  const biasAt = wAt + taps * fp * 4;
  const sourceAt = biasAt + fp * 4;
  const zerosAt = sourceAt + sourceRows * fp * 4;
  const listsAt = zerosAt + fp * 4;
  const outAt = align16(listsAt + Math.ceil(rows / 4) * 4 * taps * 4);
  return { fp, taps, wAt, biasAt, sourceAt, zerosAt, listsAt, outAt };
}

/** The gather's pointer lists at listsAt, from the kept table or written. */
function placeLists(floats: Float32Array, gather: Gather, at: Layout, kind: string, g: Geometry): void {
  const entries = Math.ceil(gather.rows / 4) * 4 * at.taps;
  const lists = new Int32Array(floats.buffer, at.listsAt, entries);
  const build = (into: Int32Array): void => gather.pointers(into, 0, 0, gather.rows, at.sourceAt, at.zerosAt);
  const table = pointerTable(`depthwise ${kind} ${geometryKey(g)} ${at.fp} ${at.sourceAt} ${at.zerosAt}`, entries, build);
  if (table) lists.set(table);
  else build(lists);
}

/** wᵀ [taps, Fp] from w [F, taps], padded with zeros; the bias (or zeros) after it. */
function placeWeights(floats: Float32Array, w: Float32Array, bias: Float32Array | null, g: Geometry, at: Layout): void {
  const { fp, taps } = at;
  const base = at.wAt / 4;
  floats.fill(0, base, base + (taps + 1) * fp);
  for (let f = 0; f < g.f; f++) for (let t = 0; t < taps; t++) floats[base + t * fp + f] = w[f * taps + t]!;
  if (bias) floats.set(bias.subarray(0, g.f), at.biasAt / 4);
}

/** out [rows, Fp] = Σ_taps src ⊙ wᵀ (+ bias), rows split over threads. */
function runRows(module: DepthwiseModule, at: Layout, rows: number): void {
  parallelFor(module.threaded, 'dw_rows', [at.listsAt, at.wAt, at.biasAt, at.outAt, at.fp * 4, at.taps], rows, rows * at.taps * at.fp);
}

/** The forward: y [N·OH·OW, F], bias in the kernel, the activation (and `pre`) after. */
export function depthwiseForward(x: Float32Array, w: Float32Array, y: Float32Array, g: Geometry, epilogue: Epilogue): boolean {
  const module = depthwiseModule();
  if (!module) return false;
  const rows = g.n * g.oh * g.ow;
  const pixels = g.n * g.h * g.w;
  const at = layout(module, g, pixels, rows);
  module.gemm.resident.reserve(at.outAt + rows * at.fp * 4);
  const floats = floatsOf(module.gemm.memory);
  placeWeights(floats, w, epilogue.bias, g, at);
  copyIn(x, pixels, g.c, g.f / g.c, floats, at.sourceAt / 4, at.fp);
  floats.fill(0, at.zerosAt / 4, at.zerosAt / 4 + at.fp);
  placeLists(floats, forwardGather(x, { ...g, c: at.fp }), at, 'forward', g);
  runRows(module, at, rows);
  copyOut(floats, at.outAt / 4, at.fp, y, rows, g.f);
  applyEpilogue(y, g.f, 0, rows, { ...epilogue, bias: null });
  return true;
}

/** The input gradient: dx [N·H·W, C] = Σ_m of the F-channel product over dy's windows. */
export function depthwiseGradInput(dy: Float32Array, w: Float32Array, dx: Float32Array, g: Geometry): boolean {
  const module = depthwiseModule();
  if (!module) return false;
  const rows = g.n * g.h * g.w;
  const outputs = g.n * g.oh * g.ow;
  const at = layout(module, g, outputs, rows);
  module.gemm.resident.reserve(at.outAt + rows * at.fp * 4);
  const floats = floatsOf(module.gemm.memory);
  placeWeights(floats, w, null, g, at);
  copyIn(dy, outputs, g.f, 1, floats, at.sourceAt / 4, at.fp);
  floats.fill(0, at.zerosAt / 4, at.zerosAt / 4 + at.fp);
  placeLists(floats, gradInputGather(dy, { ...g, f: at.fp }), at, 'grad input', g);
  runRows(module, at, rows);
  const m = g.f / g.c;
  if (m === 1) return copyOut(floats, at.outAt / 4, at.fp, dx, rows, g.c), true;
  for (let r = 0, o = 0; r < rows; r++) {
    let from = at.outAt / 4 + r * at.fp;
    for (let c = 0; c < g.c; c++, o++) {
      let sum = floats[from++]!;
      for (let j = 1; j < m; j++) sum += floats[from++]!;
      dx[o] = sum;
    }
  }
  return true;
}

/** The weight gradient: dw [F, taps] = Σ over output pixels of dy ⊙ the window's x; channels split over threads. */
export function depthwiseGradWeight(dy: Float32Array, x: Float32Array, dw: Float32Array, g: Geometry): boolean {
  const module = depthwiseModule();
  if (!module) return false;
  const rows = g.n * g.oh * g.ow;
  const pixels = g.n * g.h * g.w;
  // [ dwᵀ | (unused bias) | x copy | zeros | lists | dy ]
  const at = layout(module, g, pixels, rows);
  const dyAt = at.outAt;
  module.gemm.resident.reserve(dyAt + rows * at.fp * 4);
  const floats = floatsOf(module.gemm.memory);
  floats.fill(0, at.wAt / 4, at.wAt / 4 + at.taps * at.fp);
  copyIn(x, pixels, g.c, g.f / g.c, floats, at.sourceAt / 4, at.fp);
  floats.fill(0, at.zerosAt / 4, at.zerosAt / 4 + at.fp);
  copyIn(dy, rows, g.f, 1, floats, dyAt / 4, at.fp);
  placeLists(floats, forwardGather(x, { ...g, c: at.fp }), at, 'forward', g);
  const groups = at.fp / 4;
  parallelFor(module.threaded, 'dw_grad', [at.listsAt, dyAt, at.wAt, at.fp * 4, at.taps, rows], groups, rows * at.taps * at.fp);
  const base = at.wAt / 4;
  for (let f = 0; f < g.f; f++) for (let t = 0; t < at.taps; t++) dw[f * at.taps + t] = floats[base + t * at.fp + f]!;
  return true;
}

/** rows of `width` values from rows of `stride` floats. */
function copyOut(floats: Float32Array, from: number, stride: number, into: Float32Array, rows: number, width: number): void {
  if (stride === width) {
    into.set(floats.subarray(from, from + rows * width));
    return;
  }
  for (let r = 0, o = 0; r < rows; r++, from += stride) for (let j = 0; j < width; j++) into[o++] = floats[from + j]!;
}
