import type { CpuKernel } from '../kernel-interface.js';
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

const windowArgs = (g: Window): number[] => [g.n, g.h, g.w, g.c * 4, g.oh, g.ow, g.kh, g.kw, g.sh, g.sw, g.top, g.left];

/** Window cells visited over the whole batch (four channels at a time, as the module does). */
const cells = (g: Window): number => g.n * g.oh * g.ow * g.kh * g.kw * Math.ceil(g.c / 4) * 4;

export const maxpoolSimd: CpuKernel = (ctx, inputs, outputs, attrs) => {
  const x = inputs[0]!;
  const y = outputs[0]!;
  const g = window(x.shape, y.shape, attrs);
  const module = g.c >= 4 ? poolModule() : null;
  if (!module) return poolingKernels.maxpool2d(ctx, inputs, outputs, attrs);
  const call = callLayout(module.gemm.memory);
  const xAt = call.input(f32(x));
  const yAt = call.output(f32(y));
  parallelFor(module.threaded, 'maxpool', [xAt, yAt, ...windowArgs(g)], g.n * g.oh, cells(g) * CELL_COST);
  call.copyOut(f32(y), yAt);
};

export const maxpoolGradSimd: CpuKernel = (ctx, inputs, outputs, attrs) => {
  const dy = inputs[0]!;
  const x = inputs[1]!;
  const dx = outputs[0]!;
  const g = window(x.shape, dy.shape, attrs);
  const accumulate = overlapping(g);
  const module = g.c >= 4 && (g.c % 4 === 0 || !accumulate) ? poolModule() : null;
  if (!module) return poolingKernels.maxpool2d_grad(ctx, inputs, outputs, attrs);
  const call = callLayout(module.gemm.memory);
  const dyAt = call.input(f32(dy));
  const xAt = call.input(f32(x));
  const dxAt = call.output(f32(dx));
  parallelFor(module.threaded, 'maxpool_grad', [dyAt, xAt, dxAt, ...windowArgs(g), accumulate ? 1 : 0], g.n, 2 * cells(g) * CELL_COST);
  call.copyOut(f32(dx), dxAt);
};
