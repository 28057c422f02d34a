import type { CpuKernel } from '../kernel-interface.js';
import { f32 } from '../kernel-interface.js';
import { poolingKernels, window, type Window } from '../kernels/pooling.js';
import { instantiateThreaded } from '../threads/threaded-module.js';
import { poolModuleBytes, POOL_FUNCTIONS } from './pool-module.js';
import { callLayout, floatsOf } from './kernel-memory.js';
import { sgemmModule, type SgemmModule } from './sgemm-simd.js';

/**
 * maxpool2d and its gradient on WebAssembly SIMD (pool-module.ts), in the GEMM module's memory above
 * its resident weights: the operands are used where they lie when they are an executor's tensors in that
 * memory (kernel-memory.ts), else copied in (one memcpy each); pooled four channels at a time; the
 * result is written in place or copied out. Bit-identical to the JS kernels (runtime/cpu/kernels/pooling.ts), which
 * still run for fewer than 4 channels, for overlapping windows when C is not a multiple of 4 (the
 * last channel group overlaps the one before, so the gradient could not accumulate), and without
 * WASM SIMD.
 */
type PoolExports = {
  maxpool: (...args: number[]) => void;
  maxpool_grad: (...args: number[]) => void;
};

const instances = new WeakMap<SgemmModule, PoolExports | null>();

function poolModule(): { gemm: SgemmModule; pool: PoolExports } | null {
  const gemm = sgemmModule();
  if (!gemm) return null;
  if (!instances.has(gemm)) {
    const threaded = instantiateThreaded(poolModuleBytes, POOL_FUNCTIONS, gemm.threaded);
    instances.set(gemm, threaded && (threaded.exports as unknown as PoolExports));
  }
  const pool = instances.get(gemm)!;
  return pool ? { gemm, pool } : null;
}

/** Whether two windows can share a cell (the gradient then accumulates). */
const overlapping = (g: Window): boolean => g.sh < g.kh || g.sw < g.kw;

const windowArgs = (g: Window): number[] => [g.n, g.h, g.w, g.c * 4, g.oh, g.ow, g.kh, g.kw, g.sh, g.sw, g.top, g.left];

export const maxpoolSimd: CpuKernel = (ctx, inputs, outputs, attrs) => {
  const x = inputs[0]!;
  const y = outputs[0]!;
  const g = window(x.shape, y.shape, attrs);
  const module = g.c >= 4 ? poolModule() : null;
  if (!module) return poolingKernels.maxpool2d(ctx, inputs, outputs, attrs);
  const call = callLayout(module.gemm.memory);
  const xAt = call.input(f32(x));
  const yAt = call.output(f32(y));
  module.pool.maxpool(xAt, yAt, ...windowArgs(g));
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
  // Cells no window covers get no gradient.
  floatsOf(module.gemm.memory).fill(0, dxAt / 4, dxAt / 4 + f32(dx).length);
  module.pool.maxpool_grad(dyAt, xAt, dxAt, ...windowArgs(g), accumulate ? 1 : 0);
  call.copyOut(f32(dx), dxAt);
};
