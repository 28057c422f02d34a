import type { CpuKernel, CpuTensor } from '../kernel-interface.js';
import { f32 } from '../kernel-interface.js';
import { normalizationKernels } from '../kernels/normalization.js';
import { parallelFor } from '../threads/threaded-module.js';
import { overGemmMemory } from './gemm-memory.js';
import { callLayout, floatsOf } from './kernel-memory.js';
import { LAYERNORM_FUNCTIONS, layernormModuleBytes, type LayernormFunction } from './layernorm-module.js';

/**
 * layernorm and its gradient on WebAssembly SIMD (layernorm-module.ts) for any last axis (1-3 tail
 * columns a row taken one at a time), in the GEMM module's memory: operands that are an executor's tensors there are used
 * where they lie (kernel-memory.ts), others are copied in above its resident weights and the results
 * copied out. The row passes are split over the worker pool by rows, the parameter gradients by
 * groups of 4 channels (each channel's sums over the rows in order): the same bits on any number of
 * threads. The JS kernels (kernels/normalization.ts) run without WASM SIMD.
 */
const layernormModule = overGemmMemory<Record<LayernormFunction, (...args: number[]) => void>>(layernormModuleBytes, LAYERNORM_FUNCTIONS);

/**
 * One value's work in the threshold's multiply-adds (threaded-module.ts): the forward's three passes
 * take ~0.6 ns a value (~7 multiply-adds of the GEMM), so it splits from some 125 K values (~75 µs
 * alone). Measured as activation-simd.ts's VALUE_COST says.
 */
const VALUE_COST = 8;

const lastDim = (t: CpuTensor): number => t.shape[t.shape.length - 1] ?? 1;

/** Argument lists, refilled per call: nothing allocated per step. */
const rowArgs = [0, 0, 0, 0, 0, 0, 0, 0];

/** The address of two float32 (ε, C) in the call's scratch. */
function scalars(call: ReturnType<typeof callLayout>, memory: WebAssembly.Memory, eps: number, c: number): number {
  const at = call.scratch(4);
  const floats = floatsOf(memory);
  floats[at / 4] = eps;
  floats[at / 4 + 1] = c;
  return at;
}

export const layernormSimd: CpuKernel = (ctx, inputs, outputs, attrs) => {
  const c = lastDim(inputs[0]!);
  const module = c > 0 ? layernormModule() : null;
  if (!module) return normalizationKernels.layernorm(ctx, inputs, outputs, attrs);
  const x = f32(inputs[0]!);
  const y = f32(outputs[0]!);
  const mean = f32(outputs[1]!);
  const invstd = f32(outputs[2]!);
  const memory = module.gemm.memory;
  const call = callLayout(memory);
  const a = rowArgs;
  a[0] = call.input(x);
  a[1] = call.output(y);
  a[2] = call.output(mean);
  a[3] = call.output(invstd);
  a[4] = call.input(f32(inputs[1]!));
  a[5] = call.input(f32(inputs[2]!));
  a[6] = c * 4;
  a[7] = scalars(call, memory, attrs.epsilon as number, c);
  parallelFor(module.threaded, 'ln_forward', a, x.length / c, x.length * VALUE_COST);
  call.copyOut(y, a[1]);
  call.copyOut(mean, a[2]);
  call.copyOut(invstd, a[3]);
};

export const layernormGradSimd: CpuKernel = (ctx, inputs, outputs, attrs) => {
  const c = lastDim(inputs[1]!);
  const module = c > 0 ? layernormModule() : null;
  if (!module) return normalizationKernels.layernorm_grad(ctx, inputs, outputs, attrs);
  const x = f32(inputs[1]!);
  const dx = f32(outputs[0]!);
  const dg = f32(outputs[1]!);
  const db = f32(outputs[2]!);
  const rows = x.length / c;
  const memory = module.gemm.memory;
  const call = callLayout(memory);
  const dyAt = call.input(f32(inputs[0]!));
  const xAt = call.input(x);
  const meanAt = call.input(f32(inputs[3]!));
  const invstdAt = call.input(f32(inputs[4]!));
  const dxAt = call.output(dx);
  const a = rowArgs;
  a[0] = dyAt;
  a[1] = xAt;
  a[2] = call.input(f32(inputs[2]!));
  a[3] = meanAt;
  a[4] = invstdAt;
  a[5] = dxAt;
  a[6] = c * 4;
  a[7] = scalars(call, memory, 0, c);
  parallelFor(module.threaded, 'ln_grad_rows', a, rows, x.length * VALUE_COST);
  const dgAt = call.output(dg);
  const dbAt = call.output(db);
  const floats = floatsOf(memory);
  floats.fill(0, dgAt / 4, dgAt / 4 + c);
  floats.fill(0, dbAt / 4, dbAt / 4 + c);
  a[0] = dyAt;
  a[1] = xAt;
  a[2] = meanAt;
  a[3] = invstdAt;
  a[4] = dgAt;
  a[5] = dbAt;
  a[6] = rows;
  a[7] = c * 4;
  parallelFor(module.threaded, 'ln_param_grads', a, Math.ceil(c / 4), x.length * VALUE_COST);
  call.copyOut(dx, dxAt);
  call.copyOut(dg, dgAt);
  call.copyOut(db, dbAt);
};
