import type { Attrs, CpuKernel } from '../kernel-interface.js';
import { f32 } from '../kernel-interface.js';
import { poolingKernels, window, type Window } from '../kernels/pooling.js';
import { parallelFor } from '../threads/threaded-module.js';
import { overGemmMemory } from './gemm-memory.js';
import { callLayout } from './kernel-memory.js';
import { poolModuleBytes, POOL_FUNCTIONS } from './pool-module.js';

/**
 * maxpool2d and its gradient on WebAssembly SIMD (pool-module.ts), in the GEMM module's memory above
 * its resident weights: the operands are used where they lie when they are an executor's tensors in that
 * memory (kernel-memory.ts), else copied in (one memcpy each); pooled four channels at a time on the
 * worker pool (output rows, or images for the gradient unless its 2×2 windows tile the map, split
 * over the threads: the same bits on any number of them); the result is written in place or copied out. Bit-identical to the JS kernels
 * (runtime/cpu/kernels/pooling.ts), which still run for fewer than 4 channels, for overlapping windows
 * when C is not a multiple of 4 (the last channel group overlaps the one before, so the gradient
 * could not accumulate), and without WASM SIMD.
 */
const poolModule = overGemmMemory<Record<(typeof POOL_FUNCTIONS)[number], (...args: number[]) => void>>(poolModuleBytes, POOL_FUNCTIONS);

/**
 * One window cell's work in the threshold's multiply-adds (threaded-module.ts): a compare (and, for
 * the gradient, a second pass routing dy) over memory the GEMM would read ~10 times faster.
 */
const CELL_COST = 8;

/** Whether two windows can share a cell (the gradient then accumulates). */
const overlapping = (g: Window): boolean => g.sh < g.kh || g.sw < g.kw;

/** Whether the windows tile the image exactly, each cell in one window: the gradient then stores every cell and need not zero dx first. */
const tiling = (g: Window): boolean => g.sh === g.kh && g.sw === g.kw && g.top === 0 && g.left === 0 && g.oh * g.kh === g.h && g.ow * g.kw === g.w;

/** The windows maxpool_grad_2x2 takes: 2×2 at stride 2, tiling the image, whole groups of four channels. */
const twoByTwoTiling = (g: Window): boolean => g.kh === 2 && g.kw === 2 && tiling(g) && g.c % 4 === 0;

/**
 * A step's window and the export's argument list (addresses first, filled per call: `pointers` of
 * them; then the window; then, for a gradient, whether windows overlap and, for maxpool's, whether dx must be zeroed first), kept per attrs object while
 * the shapes stay the same: a steady-state call allocates nothing. `global`: the window is the whole
 * of each image (global pooling, [N, ..., C] as [N, 1, cells, C]).
 */
interface Job {
  g: Window;
  args: number[];
}
type JobKind = 'forward' | 'maxpool_grad' | 'avgpool_grad';
const jobs: Record<JobKind, WeakMap<Attrs, { x: number[]; y: number[]; job: Job }>> = { forward: new WeakMap(), maxpool_grad: new WeakMap(), avgpool_grad: new WeakMap() };
function jobFor(attrs: Attrs, xShape: number[], yShape: number[], kind: JobKind, global = false): Job {
  const kept = jobs[kind].get(attrs);
  if (kept && sameShape(kept.x, xShape) && sameShape(kept.y, yShape)) return kept.job;
  const g = global ? globalWindow(xShape) : window(xShape, yShape, attrs);
  const windowArgs = [g.n, g.h, g.w, g.c * 4, g.oh, g.ow, g.kh, g.kw, g.sh, g.sw, g.top, g.left];
  const pointers = kind === 'maxpool_grad' ? 4 : 2;
  const gradientArgs = kind === 'forward' ? [] : [overlapping(g) ? 1 : 0, ...(kind === 'maxpool_grad' ? [tiling(g) ? 0 : 1] : [])];
  const args = [...new Array<number>(pointers).fill(0), ...windowArgs, ...gradientArgs];
  const job = { g, args };
  jobs[kind].set(attrs, { x: [...xShape], y: [...yShape], job });
  return job;
}

/** Global pooling's window: each image's cells as one row, pooled whole. */
function globalWindow(xShape: number[]): Window {
  const n = xShape[0]!;
  const c = xShape[xShape.length - 1]!;
  const cells = xShape.slice(1, -1).reduce((a, b) => a * b, 1);
  return { n, h: 1, w: cells, c, oh: 1, ow: 1, kh: 1, kw: cells, sh: 1, sw: cells, top: 0, left: 0 };
}
function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Window cells visited over the whole batch (four channels at a time, as the module does). */
const cells = (g: Window): number => g.n * g.oh * g.ow * g.kh * g.kw * Math.ceil(g.c / 4) * 4;

export const maxpoolSimd: CpuKernel = (ctx, inputs, outputs, attrs) => {
  const x = inputs[0]!;
  const y = outputs[0]!;
  const { g, args } = jobFor(attrs, x.shape, y.shape, 'forward');
  const module = g.c >= 4 ? poolModule() : null;
  if (!module) return poolingKernels.maxpool2d(ctx, inputs, outputs, attrs);
  const call = callLayout(module.gemm.memory);
  const xAt = call.input(f32(x));
  const yAt = call.output(f32(y));
  args[0] = xAt;
  args[1] = yAt;
  parallelFor(module.threaded, 'maxpool', args, g.n * g.oh, cells(g) * CELL_COST);
  call.copyOut(f32(y), yAt);
};

export const maxpoolGradSimd: CpuKernel = (ctx, inputs, outputs, attrs) => {
  const dy = inputs[0]!;
  const x = inputs[1]!;
  const dx = outputs[0]!;
  const { g, args } = jobFor(attrs, x.shape, dy.shape, 'maxpool_grad');
  const accumulate = overlapping(g);
  const module = g.c >= 4 && (g.c % 4 === 0 || !accumulate) ? poolModule() : null;
  if (!module) return poolingKernels.maxpool2d_grad(ctx, inputs, outputs, attrs);
  const call = callLayout(module.gemm.memory);
  const dyAt = call.input(f32(dy));
  const xAt = call.input(f32(x));
  const dxAt = call.output(f32(dx));
  args[0] = dyAt;
  args[1] = xAt;
  args[2] = dxAt;
  if (twoByTwoTiling(g)) {
    // Output rows as tiles, each window's cells in registers: no scratch (pool-module.ts).
    parallelFor(module.threaded, 'maxpool_grad_2x2', args, g.n * g.oh, cells(g) * CELL_COST);
  } else {
    // Each image's running best and index of its current window: 2·C floats an image (pool-module.ts).
    args[3] = call.scratch(2 * g.n * g.c);
    parallelFor(module.threaded, 'maxpool_grad', args, g.n, 2 * cells(g) * CELL_COST);
  }
  call.copyOut(f32(dx), dxAt);
};

/**
 * Average pooling, windowed (avgpool2d; avgpool1d is lowered to it) or global, on the module: the
 * sums are the JS kernel's float32 sums in the same order (windowed: the same bits; global: the JS
 * kernel sums in float64, so within float32 rounding). Fewer than 4 channels run the JS kernels.
 */
function avgpool(global: boolean): CpuKernel {
  const fallback = global ? poolingKernels.global_avg_pool : poolingKernels.avgpool2d;
  return (ctx, inputs, outputs, attrs) => {
    const x = inputs[0]!;
    const y = outputs[0]!;
    const { g, args } = jobFor(attrs, x.shape, y.shape, 'forward', global);
    const module = g.c >= 4 ? poolModule() : null;
    if (!module) return fallback(ctx, inputs, outputs, attrs);
    const call = callLayout(module.gemm.memory);
    const yd = f32(y);
    args[0] = call.input(f32(x));
    args[1] = call.output(yd);
    parallelFor(module.threaded, 'avgpool', args, g.n * g.oh, cells(g) * CELL_COST);
    call.copyOut(yd, args[1]);
  };
}

/**
 * Its gradient: dy/cells spread over each window. Overlapping windows accumulate (then C must be a
 * multiple of 4, as for maxpool2d_grad); where no two windows share a cell (global pooling, the
 * usual stride = size) each cell gets +0 + dy/cells, the JS kernel's bits.
 */
function avgpoolGrad(global: boolean): CpuKernel {
  const fallback = global ? poolingKernels.global_avg_pool_grad : poolingKernels.avgpool2d_grad;
  return (ctx, inputs, outputs, attrs) => {
    const dy = inputs[0]!;
    const dx = outputs[0]!;
    const { g, args } = jobFor(attrs, dx.shape, dy.shape, 'avgpool_grad', global);
    const module = g.c >= 4 && (g.c % 4 === 0 || !overlapping(g)) ? poolModule() : null;
    if (!module) return fallback(ctx, inputs, outputs, attrs);
    const call = callLayout(module.gemm.memory);
    const dxd = f32(dx);
    args[0] = call.input(f32(dy));
    args[1] = call.output(dxd);
    parallelFor(module.threaded, 'avgpool_grad', args, g.n, cells(g) * CELL_COST);
    call.copyOut(dxd, args[1]);
  };
}

export const avgpoolSimd = avgpool(false);
export const avgpoolGradSimd = avgpoolGrad(false);
export const globalAvgPoolSimd = avgpool(true);
export const globalAvgPoolGradSimd = avgpoolGrad(true);
