import type { CpuKernel } from '../kernel-interface.js';
import { f32 } from '../kernel-interface.js';
import { upsampleGeometry, upsampleKernels, type Tap } from '../kernels/upsample.js';
import { callLayout } from './kernel-memory.js';
import { encodeLists, gatherBlocks, gatherModule, type EncodedLists, type Lists } from './gather-lists.js';

/**
 * upsample2d and its gradient on WebAssembly SIMD (upsample-module.ts) for channels-last [N, H, W, C]
 * with C a multiple of 4: both are separable, so each runs as two weighted gathers, one along the rows
 * and one along the columns, four channels a vector, tiles over threads. The forward's lists are the
 * taps of kernels/upsample.ts (a source row and the next, with 1 − frac and frac); the gradient's are
 * the same taps transposed (for each source cell, the outputs that read it, with their weights), so
 * the two agree by construction, as the JS kernels do. The JS kernels for other channel counts.
 * The lists are encoded once per attrs object and shape and copied into each call's scratch: a
 * steady-state call allocates nothing.
 *
 * Numerics: the forward is (1 − fr)·((1 − fc)·x00 + fc·x01) + fr·(…) in float32 rather than the four
 * products summed in float64; nearest (one tap of weight 1) copies exactly.
 */
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

/** An upsampling's sizes and the four passes' lists (forward rows, columns; gradient columns, rows), kept per attrs object while x's shape stays. */
interface Kept {
  shape: number[];
  n: number;
  h: number;
  w: number;
  c: number;
  oh: number;
  ow: number;
  forwardRows: EncodedLists;
  forwardCols: EncodedLists;
  gradientCols: EncodedLists;
  gradientRows: EncodedLists;
}

const kept = new WeakMap<object, Kept>();
function keptFor(xShape: number[], attrs: Readonly<Record<string, unknown>>): Kept {
  const k = kept.get(attrs);
  if (k && k.shape.length === xShape.length && k.shape.every((d, i) => d === xShape[i])) return k;
  const g = upsampleGeometry(xShape, attrs);
  const fresh: Kept = {
    shape: [...xShape],
    n: g.n,
    h: g.h,
    w: g.w,
    c: g.c,
    oh: g.rows.length,
    ow: g.cols.length,
    forwardRows: encodeLists(forwardLists(g.rows)),
    forwardCols: encodeLists(forwardLists(g.cols)),
    gradientCols: encodeLists(gradientLists(g.cols, g.w)),
    gradientRows: encodeLists(gradientLists(g.rows, g.h)),
  };
  kept.set(attrs, fresh);
  return fresh;
}

// Operands by index, not destructured: destructuring allocates per call where V8 does not optimize it away (train-step-heap.test.ts).
export const upsampleSimd: CpuKernel = (ctx, inputs, outputs, attrs) => {
  const x = f32(inputs[0]!);
  const y = f32(outputs[0]!);
  const c = inputs[0]!.shape[3]!;
  const module = c % 4 === 0 && c > 0 ? gatherModule() : null;
  if (!module) return upsampleKernels.upsample2d(ctx, inputs, outputs, attrs);
  const g = keptFor(inputs[0]!.shape, attrs);
  const call = callLayout(module.gemm.memory);
  const xAt = call.input(x);
  const yAt = call.output(y);
  // Rows: t[b, oy, ix, :] from x[b, iy, ix, :]; then columns: y[b, oy, ox, :] from t[b, oy, ix, :].
  const tAt = call.scratch(g.n * g.oh * g.w * g.c);
  gatherBlocks(module, call, xAt, tAt, g.forwardRows, g.n, g.h, g.w * g.c);
  gatherBlocks(module, call, tAt, yAt, g.forwardCols, g.n * g.oh, g.w, g.c);
  call.copyOut(y, yAt);
};

export const upsampleGradSimd: CpuKernel = (ctx, inputs, outputs, attrs) => {
  const dy = f32(inputs[0]!);
  const dx = f32(outputs[0]!);
  const c = outputs[0]!.shape[3]!;
  const module = c % 4 === 0 && c > 0 ? gatherModule() : null;
  if (!module) return upsampleKernels.upsample2d_grad(ctx, inputs, outputs, attrs);
  const g = keptFor(outputs[0]!.shape, attrs);
  const call = callLayout(module.gemm.memory);
  const dyAt = call.input(dy);
  const dxAt = call.output(dx);
  // Columns: t[b, oy, ix, :] from dy[b, oy, ox, :]; then rows: dx[b, iy, ix, :] from t[b, oy, ix, :].
  const tAt = call.scratch(g.n * g.oh * g.w * g.c);
  gatherBlocks(module, call, dyAt, tAt, g.gradientCols, g.n * g.oh, g.ow, g.c);
  gatherBlocks(module, call, tAt, dxAt, g.gradientRows, g.n, g.oh, g.w * g.c);
  call.copyOut(dx, dxAt);
};
