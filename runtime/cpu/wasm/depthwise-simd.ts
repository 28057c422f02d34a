import type { Epilogue } from '../kernel-interface.js';
import { applyEpilogue, withoutBias } from '../kernel-interface.js';
import type { Geometry } from '../kernels/conv.js';
import { parallelFor } from '../threads/threaded-module.js';
import { forwardGather, geometryKey, gradInputGather, type Gather } from './conv-indirect.js';
import { keptPhaseGather, phasesOf, type Phase } from './conv-phases.js';
import { DEPTHWISE_FUNCTIONS, depthwiseModuleBytes } from './depthwise-module.js';
import { pointerTable } from './pointer-tables.js';
import { callLayout, floatsOf, intsOf } from './kernel-memory.js';
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
 * A steady-state call allocates nothing (train-step-heap.test.ts): what it derives from the geometry
 * (padded geometries, gathers, table keys, stride phases) is kept per geometry object, the lists are
 * written by module-level writers reading `pending`, and the argument lists are reused.
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

/**
 * Fp zeros (the padding taps' run), then the gather's pointer lists, copied from the kept table or
 * written in place: `key` names the table (its addresses filled in when they move).
 */
function placeLists(call: Call, memory: WebAssembly.Memory, gather: Gather, key: TableKey, fp: number, sourceAt: number): number {
  const zerosAt = call.scratch(fp);
  const entries = Math.ceil(gather.rows / 4) * 4 * gather.taps;
  const listsAt = call.scratch(entries);
  floatsOf(memory).fill(0, zerosAt / 4, zerosAt / 4 + fp);
  pending.gather = gather;
  pending.sourceAt = sourceAt;
  pending.zerosAt = zerosAt;
  const table = pointerTable(key.at(sourceAt, zerosAt), entries, buildLists);
  const words = intsOf(memory);
  if (table) words.set(table, listsAt / 4);
  else writeLists(words, listsAt / 4);
  return listsAt;
}

/**
 * A pointer table's key: what the lists depend on besides addresses, then the two addresses they
 * hold; the string is made again only when those move (steady-state calls make none).
 */
class TableKey {
  private first = -1;
  private second = -1;
  private key = '';

  constructor(private readonly prefix: string) {}

  at(first: number, second: number): string {
    if (first !== this.first || second !== this.second) {
      this.first = first;
      this.second = second;
      this.key = `${this.prefix} ${first} ${second}`;
    }
    return this.key;
  }
}

/** What the list writers below write: the current call's (one writer for every call, not a closure per call). */
const pending = {
  gather: null as Gather | null,
  sourceAt: 0,
  zerosAt: 0,
  outAt: 0,
  dy: null as Float32Array | null,
  g: null as Geometry | null,
  layout: null as Layout | null,
};

/** Every row's pointers of the pending gather, from `at`. */
function writeLists(into: Int32Array, at: number): void {
  const gather = pending.gather!;
  gather.pointers(into, at, 0, gather.rows, pending.sourceAt, pending.zerosAt);
}
const buildLists = (into: Int32Array): void => writeLists(into, 0);

/** The arguments of dw_rows / dw_rows_to and of dw_grad, reused by every call (parallelFor reads them before it returns). */
const rowsArgs: number[] = new Array<number>(6).fill(0);
const gradArgs: number[] = new Array<number>(6).fill(0);

/** `count` rows through dw_rows (`to`: dw_rows_to, `outAt` a list of row addresses), `taps` pointers a row. */
function runRows(module: DepthwiseModule, fn: 'dw_rows' | 'dw_rows_to', listsAt: number, wAt: number, biasAt: number, outAt: number, fp: number, taps: number, count: number): void {
  const a = rowsArgs;
  a[0] = listsAt;
  a[1] = wAt;
  a[2] = biasAt;
  a[3] = outAt;
  a[4] = fp * 4;
  a[5] = taps;
  parallelFor(module.threaded, fn, a, count, count * Math.max(taps, 1) * fp);
}

/** wᵀ [taps, Fp] from w [F, taps], padded with zeros, then the bias (or zeros): the address of wᵀ. */
function placeWeights(call: Call, memory: WebAssembly.Memory, w: Float32Array, bias: Float32Array | null, g: Geometry, fp: number): number {
  const taps = g.kh * g.kw;
  const at = call.scratch((taps + 1) * fp);
  const floats = floatsOf(memory);
  const base = at / 4;
  floats.fill(0, base, base + (taps + 1) * fp);
  for (let f = 0; f < g.f; f++) for (let t = 0; t < taps; t++) floats[base + t * fp + f] = w[f * taps + t]!;
  if (bias) floats.set(bias.length === g.f ? bias : bias.subarray(0, g.f), base + taps * fp);
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

/**
 * What g's calls derive from it, made once per geometry object (conv.ts keeps those per step), so
 * that a steady-state call allocates nothing: Fp, the padded geometries the gathers read (x copied
 * with rows of Fp channels; dy's rows of Fp filters), the tables' keys, the stride phases.
 */
interface Layout {
  fp: number;
  taps: number;
  forwardG: Geometry;
  gradInputG: Geometry;
  forwardKey: TableKey;
  gradInputKey: TableKey;
  /** The weight gradient reads the forward's lists (the same table when at the same addresses), its own key object: its addresses differ from the forward's. */
  gradWeightKey: TableKey;
  phases: PhasePlan | null;
}

const layouts = new WeakMap<Geometry, Layout>();
function layoutOf(g: Geometry): Layout {
  let layout = layouts.get(g);
  if (layout) return layout;
  const fp = Math.ceil(g.f / 4) * 4;
  const key = `${geometryKey(g)} ${fp}`;
  layout = {
    fp,
    taps: g.kh * g.kw,
    forwardG: { ...g, c: fp },
    gradInputG: { ...g, f: fp },
    forwardKey: new TableKey(`depthwise forward ${key}`),
    gradInputKey: new TableKey(`depthwise grad input ${key}`),
    gradWeightKey: new TableKey(`depthwise forward ${key}`),
    phases: g.sh > 1 || g.sw > 1 ? phasePlan(g, key) : null,
  };
  layouts.set(g, layout);
  return layout;
}

type DepthwiseModule = NonNullable<ReturnType<typeof depthwiseModule>>;

/** The forward: y [N·OH·OW, F], bias in the kernel, the activation (and `pre`) after. */
export function depthwiseForward(x: Float32Array, w: Float32Array, y: Float32Array, g: Geometry, epilogue: Epilogue): boolean {
  const module = depthwiseModule();
  if (!module) return false;
  const rows = g.n * g.oh * g.ow;
  const layout = layoutOf(g);
  const { fp, taps } = layout;
  const memory = module.gemm.memory;
  const call = callLayout(memory);
  const wAt = placeWeights(call, memory, w, epilogue.bias, g, fp);
  const sourceAt = placeSource(call, memory, x, g.n * g.h * g.w, g.c, g.f / g.c, fp);
  const listsAt = placeLists(call, memory, forwardGather(x, layout.forwardG), layout.forwardKey, fp, sourceAt);
  const outAt = placeOut(call, y, rows, fp, g.f);
  runRows(module, 'dw_rows', listsAt, wAt, wAt + taps * fp * 4, outAt, fp, taps, rows);
  takeOut(call, memory, outAt, fp, y, rows, g.f);
  applyEpilogue(y, g.f, 0, rows, withoutBias(epilogue));
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
  const layout = layoutOf(g);
  const { fp, taps } = layout;
  const m = g.f / g.c;
  const memory = module.gemm.memory;
  const call = callLayout(memory);
  const plan = layout.phases;
  const wAt = plan ? placePhaseWeights(call, memory, w, g, fp, plan) : placeWeights(call, memory, w, null, g, fp);
  const sourceAt = placeSource(call, memory, dy, g.n * g.oh * g.ow, g.f, 1, fp);
  const outAt = m === 1 ? placeOut(call, dx, rows, fp, g.c) : call.scratch(rows * fp);
  if (plan) runPhases(module, call, memory, plan, dy, g, layout, wAt, sourceAt, outAt);
  else {
    const listsAt = placeLists(call, memory, gradInputGather(dy, layout.gradInputG), layout.gradInputKey, fp, sourceAt);
    runRows(module, 'dw_rows', listsAt, wAt, wAt + taps * fp * 4, outAt, fp, taps, rows);
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
  const layout = layoutOf(g);
  const { fp, taps } = layout;
  const memory = module.gemm.memory;
  const call = callLayout(memory);
  const dwAt = call.scratch(taps * fp);
  const sourceAt = placeSource(call, memory, x, g.n * g.h * g.w, g.c, g.f / g.c, fp);
  const dyAt = placeSource(call, memory, dy, rows, g.f, 1, fp);
  const listsAt = placeLists(call, memory, forwardGather(x, layout.forwardG), layout.gradWeightKey, fp, sourceAt);
  const floats = floatsOf(memory);
  floats.fill(0, dwAt / 4, dwAt / 4 + taps * fp);
  const a = gradArgs;
  a[0] = listsAt;
  a[1] = dyAt;
  a[2] = dwAt;
  a[3] = fp * 4;
  a[4] = taps;
  a[5] = rows;
  parallelFor(module.threaded, 'dw_grad', a, fp / 4, rows * taps * fp);
  const base = dwAt / 4;
  for (let f = 0; f < g.f; f++) for (let t = 0; t < taps; t++) dw[f * taps + t] = floats[base + t * fp + f]!;
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
  listsKey: TableKey;
  outsKey: TableKey;
}

function phasePlan(g: Geometry, key: string): PhasePlan {
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
  return {
    phases,
    order: phases.flatMap((p) => p.taps),
    tapStart,
    rowStart,
    listStart,
    listEntries: lists,
    listsKey: new TableKey(`depthwise phases lists ${key}`),
    outsKey: new TableKey(`depthwise phases outs ${key}`),
  };
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

/** Every phase's pointer lists (conv-phases.ts's gathers over dy's rows of Fp), from `at`. */
function writePhaseLists(into: Int32Array, at: number): void {
  const { dy, g, layout, sourceAt, zerosAt } = pending;
  const plan = layout!.phases!;
  for (let i = 0; i < plan.phases.length; i++) {
    const p = plan.phases[i]!;
    keptPhaseGather(dy!, layout!.gradInputG, p).pointers(into, at + plan.listStart[i]!, 0, g!.n * p.ny * p.nx, sourceAt, zerosAt);
  }
}
const buildPhaseLists = (into: Int32Array): void => writePhaseLists(into, 0);

/** Every phase row's output address (its pixel of dx, rows of Fp at pending.outAt), from `at`. */
function writePhaseOuts(into: Int32Array, at: number): void {
  const { g, layout, outAt } = pending;
  const { h, w, n, sh, sw } = g!;
  const { fp, phases: plan } = layout!;
  for (let i = 0; i < plan!.phases.length; i++) {
    const p = plan!.phases[i]!;
    let o = at + plan!.rowStart[i]!;
    for (let b = 0; b < n; b++) for (let jy = 0; jy < p.ny; jy++) for (let jx = 0; jx < p.nx; jx++) into[o++] = outAt + ((b * h + p.ry + jy * sh) * w + p.rx + jx * sw) * fp * 4;
  }
}
const buildPhaseOuts = (into: Int32Array): void => writePhaseOuts(into, 0);

/**
 * Each phase's rows through dw_rows_to: their pointer lists and the address each row is written at
 * (its pixel of the output), kept between calls.
 */
function runPhases(module: DepthwiseModule, call: Call, memory: WebAssembly.Memory, plan: PhasePlan, dy: Float32Array, g: Geometry, layout: Layout, wAt: number, sourceAt: number, outAt: number): void {
  const { fp, taps } = layout;
  const rows = g.n * g.h * g.w;
  const zerosAt = call.scratch(fp);
  const listsAt = call.scratch(plan.listEntries);
  const outsAt = call.scratch(rows);
  floatsOf(memory).fill(0, zerosAt / 4, zerosAt / 4 + fp);
  pending.dy = dy;
  pending.g = g;
  pending.layout = layout;
  pending.sourceAt = sourceAt;
  pending.zerosAt = zerosAt;
  pending.outAt = outAt;
  const words = intsOf(memory);
  const lists = pointerTable(plan.listsKey.at(sourceAt, zerosAt), plan.listEntries, buildPhaseLists);
  if (lists) words.set(lists, listsAt / 4);
  else writePhaseLists(words, listsAt / 4);
  const outs = pointerTable(plan.outsKey.at(outAt, 0), rows, buildPhaseOuts);
  if (outs) words.set(outs, outsAt / 4);
  else writePhaseOuts(words, outsAt / 4);
  for (let i = 0; i < plan.phases.length; i++) {
    const p = plan.phases[i]!;
    const count = g.n * p.ny * p.nx;
    runRows(module, 'dw_rows_to', listsAt + plan.listStart[i]! * 4, wAt + plan.tapStart[i]! * fp * 4, wAt + taps * fp * 4, outsAt + plan.rowStart[i]! * 4, fp, p.taps.length, count);
  }
}
