import type { CpuKernel } from '../kernel-interface.js';
import { f32 } from '../kernel-interface.js';
import { poolingKernels, window, type Window } from '../kernels/pooling.js';
import { instantiateThreaded } from '../threads/threaded-module.js';
import { poolModuleBytes, POOL_FUNCTIONS } from './pool-module.js';
import { floatsOf, sgemmModule, type SgemmModule } from './sgemm-simd.js';

/**
 * maxpool2d and its gradient on WebAssembly SIMD (pool-module.ts), in the GEMM module's memory above
 * its resident weights: the operands are copied in (one memcpy each), pooled four channels at a time,
 * and the result copied out. Bit-identical to the JS kernels (runtime/cpu/kernels/pooling.ts), which
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

const align16 = (bytes: number): number => Math.ceil(bytes / 16) * 16;

/** Whether two windows can share a cell (the gradient then accumulates). */
const overlapping = (g: Window): boolean => g.sh < g.kh || g.sw < g.kw;

const windowArgs = (g: Window): number[] => [g.n, g.h, g.w, g.c * 4, g.oh, g.ow, g.kh, g.kw, g.sh, g.sw, g.top, g.left];

export const maxpoolSimd: CpuKernel = (ctx, inputs, outputs, attrs) => {
  const x = inputs[0]!;
  const y = outputs[0]!;
  const g = window(x.shape, y.shape, attrs);
  const module = g.c >= 4 ? poolModule() : null;
  if (!module) return poolingKernels.maxpool2d(ctx, inputs, outputs, attrs);
  const { memory, resident } = module.gemm;
  const xd = f32(x);
  const yd = f32(y);
  const xAt = align16(resident.scratchStart());
  const yAt = align16(xAt + xd.length * 4);
  resident.reserve(yAt + yd.length * 4);
  const floats = floatsOf(memory);
  floats.set(xd, xAt / 4);
  module.pool.maxpool(xAt, yAt, ...windowArgs(g));
  yd.set(floats.subarray(yAt / 4, yAt / 4 + yd.length));
};

export const maxpoolGradSimd: CpuKernel = (ctx, inputs, outputs, attrs) => {
  const dy = inputs[0]!;
  const x = inputs[1]!;
  const dx = outputs[0]!;
  const g = window(x.shape, dy.shape, attrs);
  const accumulate = overlapping(g);
  const module = g.c >= 4 && (g.c % 4 === 0 || !accumulate) ? poolModule() : null;
  if (!module) return poolingKernels.maxpool2d_grad(ctx, inputs, outputs, attrs);
  const { memory, resident } = module.gemm;
  const [dyd, xd, dxd] = [f32(dy), f32(x), f32(dx)];
  const dyAt = align16(resident.scratchStart());
  const xAt = align16(dyAt + dyd.length * 4);
  const dxAt = align16(xAt + xd.length * 4);
  resident.reserve(dxAt + dxd.length * 4);
  const floats = floatsOf(memory);
  floats.set(dyd, dyAt / 4);
  floats.set(xd, xAt / 4);
  // Cells no window covers get no gradient.
  floats.fill(0, dxAt / 4, dxAt / 4 + dxd.length);
  module.pool.maxpool_grad(dyAt, xAt, dxAt, ...windowArgs(g), accumulate ? 1 : 0);
  dxd.set(floats.subarray(dxAt / 4, dxAt / 4 + dxd.length));
};
