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
 * worker pool (output rows, or images for the gradient, split over the threads: the same bits on any
 * number of them); the result is written in place or copied out. Bit-identical to the JS kernels
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

/**
 * A step's window and the export's argument list (addresses first, filled per call; then the
 * window; then, for the gradient, whether windows overlap), kept per attrs object while the shapes
 * stay the same: a steady-state call allocates nothing.
 */
interface Job {
  g: Window;
  args: number[];
}
const forwardJobs = new WeakMap<Attrs, { x: number[]; y: number[]; job: Job }>();
const gradientJobs = new WeakMap<Attrs, { x: number[]; y: number[]; job: Job }>();
function jobFor(attrs: Attrs, xShape: number[], yShape: number[], gradient: boolean): Job {
  const jobs = gradient ? gradientJobs : forwardJobs;
  const kept = jobs.get(attrs);
  if (kept && sameShape(kept.x, xShape) && sameShape(kept.y, yShape)) return kept.job;
  const g = window(xShape, yShape, attrs);
  const windowArgs = [g.n, g.h, g.w, g.c * 4, g.oh, g.ow, g.kh, g.kw, g.sh, g.sw, g.top, g.left];
  const args = gradient ? [0, 0, 0, ...windowArgs, overlapping(g) ? 1 : 0] : [0, 0, ...windowArgs];
  const job = { g, args };
  jobs.set(attrs, { x: [...xShape], y: [...yShape], job });
  return job;
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
  const { g, args } = jobFor(attrs, x.shape, y.shape, false);
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
  const { g, args } = jobFor(attrs, x.shape, dy.shape, true);
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
  parallelFor(module.threaded, 'maxpool_grad', args, g.n, 2 * cells(g) * CELL_COST);
  call.copyOut(f32(dx), dxAt);
};
