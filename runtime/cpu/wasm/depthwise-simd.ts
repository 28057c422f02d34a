import type { Epilogue } from '../kernel-interface.js';
import { applyEpilogue } from '../kernel-interface.js';
import type { Geometry } from '../kernels/conv.js';
import { parallelFor } from '../threads/threaded-module.js';
import { forwardGather, geometryKey, gradInputGather, type Gather } from './conv-indirect.js';
import { phaseGather, phasesOf, type Phase } from './conv-phases.js';
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

/**
 * The input gradient: dx [N·H·W, C] = Σ_m of the F-channel product over dy's windows. With a stride,
 * one stride phase at a time (conv-phases.ts): a phase's rows read only the taps that reach an output
 * pixel, where one product over every pixel would multiply the others' zeros (three taps in four at
 * stride 2).
 */
export function depthwiseGradInput(dy: Float32Array, w: Float32Array, dx: Float32Array, g: Geometry): boolean {
  const module = depthwiseModule();
  if (!module) return false;
  const rows = g.n * g.h * g.w;
  const fp = paddedChannels(g);
  const taps = g.kh * g.kw;
  const m = g.f / g.c;
  const memory = module.gemm.memory;
  const call = callLayout(memory);
  const strided = g.sh > 1 || g.sw > 1;
  const plan = strided ? phasePlan(g) : null;
  const wAt = plan ? placePhaseWeights(call, memory, w, g, fp, plan) : placeWeights(call, memory, w, null, g, fp);
  const sourceAt = placeSource(call, memory, dy, g.n * g.oh * g.ow, g.f, 1, fp);
  const outAt = m === 1 ? placeOut(call, dx, rows, fp, g.c) : call.scratch(rows * fp);
  if (plan) runPhases(module, call, memory, plan, dy, g, fp, wAt, sourceAt, outAt);
  else {
    const listsAt = placeLists(call, memory, gradInputGather(dy, { ...g, f: fp }), 'grad input', g, fp, sourceAt);
    parallelFor(module.threaded, 'dw_rows', [listsAt, wAt, wAt + taps * fp * 4, outAt, fp * 4, taps], rows, rows * taps * fp);
  }
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

/** A strided geometry's phases, with where each one's taps, rows and pointer lists start in the call's tables. */
interface PhasePlan {
  phases: Phase[];
  /** Taps in phase order (each tap belongs to one phase). */
  order: number[];
  tapStart: number[];
  rowStart: number[];
  listStart: number[];
  listEntries: number;
}

const phasePlans = new WeakMap<Geometry, PhasePlan>();
function phasePlan(g: Geometry): PhasePlan {
  let plan = phasePlans.get(g);
  if (plan) return plan;
  const phases = phasesOf(g);
  const [tapStart, rowStart, listStart] = [[] as number[], [] as number[], [] as number[]];
  let [taps, rows, lists] = [0, 0, 0];
  for (const p of phases) {
    const count = g.n * p.ny * p.nx;
    tapStart.push(taps);
    rowStart.push(rows);
    listStart.push(lists);
    taps += p.taps.length;
    rows += count;
    lists += Math.ceil(count / 4) * 4 * p.taps.length;
  }
  plan = { phases, order: phases.flatMap((p) => p.taps), tapStart, rowStart, listStart, listEntries: lists };
  phasePlans.set(g, plan);
  return plan;
}

/** wᵀ [taps, Fp] with the taps in phase order, padded with zeros, then Fp zeros (no bias): the address of wᵀ. */
function placePhaseWeights(call: Call, memory: WebAssembly.Memory, w: Float32Array, g: Geometry, fp: number, plan: PhasePlan): number {
  const taps = g.kh * g.kw;
  const at = call.scratch((taps + 1) * fp);
  const floats = floatsOf(memory);
  const base = at / 4;
  floats.fill(0, base, base + (taps + 1) * fp);
  for (let t = 0; t < taps; t++) {
    const tap = plan.order[t]!;
    for (let f = 0; f < g.f; f++) floats[base + t * fp + f] = w[f * taps + tap]!;
  }
  return at;
}

/**
 * Each phase's rows through dw_rows_to: their pointer lists (conv-phases.ts's gathers, over dy's
 * rows of Fp) and the address each row is written at (its pixel of the output), kept between calls.
 */
function runPhases(module: NonNullable<ReturnType<typeof depthwiseModule>>, call: Call, memory: WebAssembly.Memory, plan: PhasePlan, dy: Float32Array, g: Geometry, fp: number, wAt: number, sourceAt: number, outAt: number): void {
  const rows = g.n * g.h * g.w;
  const taps = g.kh * g.kw;
  const zerosAt = call.scratch(fp);
  const listsAt = call.scratch(plan.listEntries);
  const outsAt = call.scratch(rows);
  const floats = floatsOf(memory);
  floats.fill(0, zerosAt / 4, zerosAt / 4 + fp);
  const padded: Geometry = { ...g, f: fp };
  const key = `${geometryKey(g)} ${fp}`;
  const buildLists = (into: Int32Array): void =>
    plan.phases.forEach((p, i) => phaseGather(dy, padded, p).pointers(into, plan.listStart[i]!, 0, g.n * p.ny * p.nx, sourceAt, zerosAt));
  const buildOuts = (into: Int32Array): void =>
    plan.phases.forEach((p, i) => {
      let o = plan.rowStart[i]!;
      for (let b = 0; b < g.n; b++) for (let jy = 0; jy < p.ny; jy++) for (let jx = 0; jx < p.nx; jx++) into[o++] = outAt + ((b * g.h + p.ry + jy * g.sh) * g.w + p.rx + jx * g.sw) * fp * 4;
    });
  const words = new Int32Array(floats.buffer);
  for (const [at, entries, kind, build] of [[listsAt, plan.listEntries, `lists ${sourceAt} ${zerosAt}`, buildLists], [outsAt, rows, `outs ${outAt}`, buildOuts]] as const) {
    const table = pointerTable(`depthwise phases ${kind} ${key}`, entries, build);
    if (table) words.set(table, at / 4);
    else build(words.subarray(at / 4, at / 4 + entries));
  }
  plan.phases.forEach((p, i) => {
    const count = g.n * p.ny * p.nx;
    const tapsP = p.taps.length;
    const args = [listsAt + plan.listStart[i]! * 4, wAt + plan.tapStart[i]! * fp * 4, wAt + taps * fp * 4, outsAt + plan.rowStart[i]! * 4, fp * 4, tapsP];
    parallelFor(module.threaded, 'dw_rows_to', args, count, count * Math.max(tapsP, 1) * fp);
  });
}
