import type { Epilogue } from '../kernel-interface.js';
import { applyEpilogue } from '../kernel-interface.js';
import type { Geometry } from '../kernels/conv.js';
import { parallelFor } from '../threads/threaded-module.js';
import { forwardGather, geometryKey, gradInputGather, type Gather } from './conv-indirect.js';
import { DEPTHWISE_FUNCTIONS, depthwiseModuleBytes } from './depthwise-module.js';
import { pointerTable } from './pointer-tables.js';
import { callLayout, floatsOf } from './kernel-memory.js';
import { overGemmMemory } from './gemm-memory.js';

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
 * Operands already in the memory (an executor's tensors: kernel-memory.ts) are read and written where
 * they lie when their rows are Fp wide; others go through the call's scratch:
 * [ wᵀ [taps, Fp] | bias [Fp] | source | zeros | pointer lists | out ].
 */
/** The module on the GEMM module's memory, once per GEMM module (gemm-memory.ts). */
const depthwiseModule = overGemmMemory<unknown>(depthwiseModuleBytes, DEPTHWISE_FUNCTIONS);

/** `pixels` rows of `channels` values into floats at `at`, each value repeated `repeat` times, rows padded with zeros to `stride`. */
function copyIn(src: Float32Array, pixels: number, channels: number, repeat: number, floats: Float32Array, at: number, stride: number): void {
  const width = channels * repeat;
  for (let p = 0, from = 0, to = at; p < pixels; p++, to += stride) {
    let o = to;
    for (let c = 0; c < channels; c++, from++) for (let m = 0; m < repeat; m++) floats[o++] = src[from]!;
    for (let j = width; j < stride; j++) floats[o++] = 0;
  }
}

type Call = ReturnType<typeof callLayout>;

/**
 * The byte address of `src` as rows of Fp floats: where it lies (or one memcpy into scratch) when its
 * rows are already Fp wide, else a scratch copy with channels repeated and rows padded.
 */
function placeSource(call: Call, memory: WebAssembly.Memory, src: Float32Array, rows: number, channels: number, repeat: number, fp: number): number {
  if (repeat === 1 && channels === fp) return call.input(src.length === rows * fp ? src : src.subarray(0, rows * fp));
  const at = call.scratch(rows * fp);
  copyIn(src, rows, channels, repeat, floatsOf(memory), at / 4, fp);
  return at;
}

/** Fp zeros (the padding taps' run), then the gather's pointer lists, from the kept table or written. */
function placeLists(call: Call, memory: WebAssembly.Memory, gather: Gather, kind: string, g: Geometry, fp: number, sourceAt: number): number {
  const zerosAt = call.scratch(fp);
  const taps = gather.taps;
  const entries = Math.ceil(gather.rows / 4) * 4 * taps;
  const listsAt = call.scratch(entries);
  const floats = floatsOf(memory);
  floats.fill(0, zerosAt / 4, zerosAt / 4 + fp);
  const lists = new Int32Array(floats.buffer, listsAt, entries);
  const build = (into: Int32Array): void => gather.pointers(into, 0, 0, gather.rows, sourceAt, zerosAt);
  const table = pointerTable(`depthwise ${kind} ${geometryKey(g)} ${fp} ${sourceAt} ${zerosAt}`, entries, build);
  if (table) lists.set(table);
  else build(lists);
  return listsAt;
}

/** wᵀ [taps, Fp] from w [F, taps], padded with zeros, then the bias (or zeros): the address of wᵀ. */
function placeWeights(call: Call, memory: WebAssembly.Memory, w: Float32Array, bias: Float32Array | null, g: Geometry, fp: number): number {
  const taps = g.kh * g.kw;
  const at = call.scratch((taps + 1) * fp);
  const floats = floatsOf(memory);
  const base = at / 4;
  floats.fill(0, base, base + (taps + 1) * fp);
  for (let f = 0; f < g.f; f++) for (let t = 0; t < taps; t++) floats[base + t * fp + f] = w[f * taps + t]!;
  if (bias) floats.set(bias.subarray(0, g.f), base + taps * fp);
  return at;
}

/** Where `rows` rows of Fp floats are written: into `out` itself when its rows are Fp wide, else scratch. */
const placeOut = (call: Call, out: Float32Array, rows: number, fp: number, width: number): number => (width === fp ? call.output(out) : call.scratch(rows * fp));

/** rows of `width` values from rows of Fp floats at byte `at` (nothing when they were written in place). */
function takeOut(call: Call, memory: WebAssembly.Memory, at: number, fp: number, into: Float32Array, rows: number, width: number): void {
  if (width === fp) return call.copyOut(into, at);
  const floats = floatsOf(memory);
  for (let r = 0, o = 0, from = at / 4; r < rows; r++, from += fp) for (let j = 0; j < width; j++) into[o++] = floats[from + j]!;
}

const paddedChannels = (g: Geometry): number => Math.ceil(g.f / 4) * 4;

/** The forward: y [N·OH·OW, F], bias in the kernel, the activation (and `pre`) after. */
export function depthwiseForward(x: Float32Array, w: Float32Array, y: Float32Array, g: Geometry, epilogue: Epilogue): boolean {
  const module = depthwiseModule();
  if (!module) return false;
  const rows = g.n * g.oh * g.ow;
  const fp = paddedChannels(g);
  const taps = g.kh * g.kw;
  const memory = module.gemm.memory;
  const call = callLayout(memory);
  const wAt = placeWeights(call, memory, w, epilogue.bias, g, fp);
  const sourceAt = placeSource(call, memory, x, g.n * g.h * g.w, g.c, g.f / g.c, fp);
  const listsAt = placeLists(call, memory, forwardGather(x, { ...g, c: fp }), 'forward', g, fp, sourceAt);
  const outAt = placeOut(call, y, rows, fp, g.f);
  parallelFor(module.threaded, 'dw_rows', [listsAt, wAt, wAt + taps * fp * 4, outAt, fp * 4, taps], rows, rows * taps * fp);
  takeOut(call, memory, outAt, fp, y, rows, g.f);
  applyEpilogue(y, g.f, 0, rows, { ...epilogue, bias: null });
  return true;
}

/** The input gradient: dx [N·H·W, C] = Σ_m of the F-channel product over dy's windows. */
export function depthwiseGradInput(dy: Float32Array, w: Float32Array, dx: Float32Array, g: Geometry): boolean {
  const module = depthwiseModule();
  if (!module) return false;
  const rows = g.n * g.h * g.w;
  const fp = paddedChannels(g);
  const taps = g.kh * g.kw;
  const m = g.f / g.c;
  const memory = module.gemm.memory;
  const call = callLayout(memory);
  const wAt = placeWeights(call, memory, w, null, g, fp);
  const sourceAt = placeSource(call, memory, dy, g.n * g.oh * g.ow, g.f, 1, fp);
  const listsAt = placeLists(call, memory, gradInputGather(dy, { ...g, f: fp }), 'grad input', g, fp, sourceAt);
  const outAt = m === 1 ? placeOut(call, dx, rows, fp, g.c) : call.scratch(rows * fp);
  parallelFor(module.threaded, 'dw_rows', [listsAt, wAt, wAt + taps * fp * 4, outAt, fp * 4, taps], rows, rows * taps * fp);
  if (m === 1) return takeOut(call, memory, outAt, fp, dx, rows, g.c), true;
  const floats = floatsOf(memory);
  for (let r = 0, o = 0; r < rows; r++) {
    let from = outAt / 4 + r * fp;
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
  const fp = paddedChannels(g);
  const taps = g.kh * g.kw;
  const memory = module.gemm.memory;
  const call = callLayout(memory);
  const dwAt = call.scratch(taps * fp);
  const sourceAt = placeSource(call, memory, x, g.n * g.h * g.w, g.c, g.f / g.c, fp);
  const dyAt = placeSource(call, memory, dy, rows, g.f, 1, fp);
  const listsAt = placeLists(call, memory, forwardGather(x, { ...g, c: fp }), 'forward', g, fp, sourceAt);
  const floats = floatsOf(memory);
  floats.fill(0, dwAt / 4, dwAt / 4 + taps * fp);
  parallelFor(module.threaded, 'dw_grad', [listsAt, dyAt, dwAt, fp * 4, taps, rows], fp / 4, rows * taps * fp);
  const base = dwAt / 4;
  for (let f = 0; f < g.f; f++) for (let t = 0; t < taps; t++) dw[f * taps + t] = floatsOf(memory)[base + t * fp + f]!;
  return true;
}
