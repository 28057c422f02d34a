import type { CpuKernel } from '../kernel-interface.js';
import { f32 } from '../kernel-interface.js';
import { upsampleGeometry, upsampleKernels, type Tap } from '../kernels/upsample.js';
import { parallelFor } from '../threads/threaded-module.js';
import { overGemmMemory } from './gemm-memory.js';
import { callLayout, floatsOf } from './kernel-memory.js';
import { UPSAMPLE_FUNCTIONS, upsampleModuleBytes } from './upsample-module.js';

/**
 * upsample2d and its gradient on WebAssembly SIMD (upsample-module.ts) for channels-last [N, H, W, C]
 * with C a multiple of 4: both are separable, so each runs as two weighted gathers, one along the rows
 * and one along the columns, four channels a vector, tiles over threads. The forward's lists are the
 * taps of kernels/upsample.ts (a source row and the next, with 1 − frac and frac); the gradient's are
 * the same taps transposed (for each source cell, the outputs that read it, with their weights), so
 * the two agree by construction, as the JS kernels do. The JS kernels for other channel counts.
 *
 * Numerics: the forward is (1 − fr)·((1 − fc)·x00 + fc·x01) + fr·(…) in float32 rather than the four
 * products summed in float64; nearest (one tap of weight 1) copies exactly.
 */
type Lists = Array<Array<[number, number]>>;

/** The forward's list per output index: (source index, weight), zero weights left out, a repeated index merged. */
function forwardLists(taps: readonly Tap[]): Lists {
  return taps.map((t) => {
    if (t.lo === t.hi) return [[t.lo, 1 - t.frac + t.frac]];
    return [[t.lo, 1 - t.frac] as [number, number], [t.hi, t.frac] as [number, number]].filter(([, w]) => w !== 0);
  });
}

/** The transposed lists: per source index, the outputs that read it, in order. */
function gradientLists(taps: readonly Tap[], size: number): Lists {
  const lists: Lists = Array.from({ length: size }, () => []);
  forwardLists(taps).forEach((list, o) => {
    for (const [i, w] of list) lists[i]!.push([o, w]);
  });
  return lists;
}

/** Writes `lists` as offsets [count + 1] then entries (index, weight) at byte `at`; the entries' byte address. */
function place(memory: WebAssembly.Memory, at: number, lists: Lists): number {
  const ints = new Int32Array(memory.buffer);
  const floats = floatsOf(memory);
  const entriesAt = at + Math.ceil(((lists.length + 1) * 4) / 16) * 16;
  let e = 0;
  lists.forEach((list, i) => {
    ints[at / 4 + i] = e;
    for (const [index, weight] of list) {
      ints[entriesAt / 4 + 2 * e] = index;
      floats[entriesAt / 4 + 2 * e + 1] = weight;
      e++;
    }
  });
  ints[at / 4 + lists.length] = e;
  return entriesAt;
}

const listFloats = (lists: Lists): number => lists.length + 4 + 2 * lists.reduce((n, l) => n + l.length, 0);

const upsampleModule = overGemmMemory<unknown>(upsampleModuleBytes, UPSAMPLE_FUNCTIONS);

/** One value's work in the threshold's multiply-adds: memory-bound, as the element-wise kernels'. */
const VALUE_COST = 16;

interface Pass {
  src: number;
  dst: number;
  lists: Lists;
  outer: number;
  inCount: number;
  innerFloats: number;
}

/** Both passes, one after the other, each split over threads by its output blocks. */
function run(memory: WebAssembly.Memory, call: ReturnType<typeof callLayout>, passes: readonly Pass[]): void {
  const module = upsampleModule()!;
  const placed = passes.map((p) => {
    const at = call.scratch(listFloats(p.lists));
    return { at, entries: place(memory, at, p.lists) };
  });
  passes.forEach((p, k) => {
    const tiles = p.outer * p.lists.length;
    const args = [p.src, p.dst, placed[k]!.at, placed[k]!.entries, p.inCount, p.lists.length, p.innerFloats * 4];
    parallelFor(module.threaded, 'gather_axis', args, tiles, tiles * p.innerFloats * VALUE_COST);
  });
}

export const upsampleSimd: CpuKernel = (ctx, inputs, outputs, attrs) => {
  const [x] = inputs;
  const [y] = outputs;
  const g = upsampleGeometry(x!.shape, attrs);
  const module = g.c % 4 === 0 && g.c > 0 ? upsampleModule() : null;
  if (!module) return upsampleKernels.upsample2d(ctx, inputs, outputs, attrs);
  const oh = g.rows.length;
  const memory = module.gemm.memory;
  const call = callLayout(memory);
  const xAt = call.input(f32(x!));
  const yAt = call.output(f32(y!));
  // Rows: t[b, oy, ix, :] from x[b, iy, ix, :]; then columns: y[b, oy, ox, :] from t[b, oy, ix, :].
  const tAt = call.scratch(g.n * oh * g.w * g.c);
  run(memory, call, [
    { src: xAt, dst: tAt, lists: forwardLists(g.rows), outer: g.n, inCount: g.h, innerFloats: g.w * g.c },
    { src: tAt, dst: yAt, lists: forwardLists(g.cols), outer: g.n * oh, inCount: g.w, innerFloats: g.c },
  ]);
  call.copyOut(f32(y!), yAt);
};

export const upsampleGradSimd: CpuKernel = (ctx, inputs, outputs, attrs) => {
  const [dy] = inputs;
  const [dx] = outputs;
  const g = upsampleGeometry(dx!.shape, attrs);
  const module = g.c % 4 === 0 && g.c > 0 ? upsampleModule() : null;
  if (!module) return upsampleKernels.upsample2d_grad(ctx, inputs, outputs, attrs);
  const [oh, ow] = [g.rows.length, g.cols.length];
  const memory = module.gemm.memory;
  const call = callLayout(memory);
  const dyAt = call.input(f32(dy!));
  const dxAt = call.output(f32(dx!));
  // Columns: t[b, oy, ix, :] from dy[b, oy, ox, :]; then rows: dx[b, iy, ix, :] from t[b, oy, ix, :].
  const tAt = call.scratch(g.n * oh * g.w * g.c);
  run(memory, call, [
    { src: dyAt, dst: tAt, lists: gradientLists(g.cols, g.w), outer: g.n * oh, inCount: ow, innerFloats: g.c },
    { src: tAt, dst: dxAt, lists: gradientLists(g.rows, g.h), outer: g.n, inCount: oh, innerFloats: g.w * g.c },
  ]);
  call.copyOut(f32(dx!), dxAt);
};
