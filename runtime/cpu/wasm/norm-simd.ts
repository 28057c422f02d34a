import type { CpuKernel, CpuTensor } from '../kernel-interface.js';
import { f32 } from '../kernel-interface.js';
import { elementwiseKernels, isTrailing } from '../kernels/elementwise.js';
import { normalizationKernels } from '../kernels/normalization.js';
import { parallelFor } from '../threads/threaded-module.js';
import { overGemmMemory, type GemmMemoryModule } from './gemm-memory.js';
import { callLayout, floatsOf } from './kernel-memory.js';
import { NORM_FUNCTIONS, normModuleBytes, type NormFunction } from './norm-module.js';

/**
 * batchnorm and its gradient on WebAssembly SIMD (norm-module.ts) for channels-last tensors whose C
 * is a multiple of 4: the passes over the [rows, C] values run in WASM four channels at a time, the
 * per-channel arithmetic between them (divisions, square roots, running statistics) in JS as the JS
 * kernel does it (runtime/cpu/kernels/normalization.ts, which runs otherwise). The [rows, C] operands
 * are used where they lie when they are an executor's tensors in the GEMM module's memory
 * (kernel-memory.ts); the rest are copied in above its resident weights and the results copied out.
 * The sums run on the worker pool split by groups of 4 channels (each channel's sums in row order
 * on whichever thread: the same bits on any number of threads), the element-wise passes split by rows.
 *
 * Numerics: the means are the JS kernel's to the bit (float32 sums in the same order); the squared
 * deviations and the products are taken in float32 rather than float64, within the tolerance of
 * test/runtime/cpu/norm-simd.test.ts.
 */
type NormExports = Record<NormFunction, (...args: number[]) => void>;

/** The module on the GEMM module's memory (so its operands share that scratch), once per GEMM module. */
export const normModule = overGemmMemory<NormExports>(normModuleBytes, NORM_FUNCTIONS);

/**
 * One value's work in the threshold's multiply-adds (threaded-module.ts): a pass bound by memory, as
 * the element-wise kernels' (elementwise-simd.ts).
 */
const VALUE_COST = 4;

/** Runs a sum `fn` over the [rows, C] values by groups of 4 channels, on the worker pool when it is big enough. */
export function byChannels(module: GemmMemoryModule<NormExports>, fn: NormFunction, args: readonly number[], rows: number, c: number): void {
  parallelFor(module.threaded, fn, args, Math.ceil(c / 4), rows * c * VALUE_COST);
}

/** Runs an element-wise pass `fn` over the [rows, C] values by rows (norm-module.ts says why), on the worker pool when it is big enough. */
export function byRows(module: GemmMemoryModule<NormExports>, fn: NormFunction, args: readonly number[], rows: number, c: number): void {
  parallelFor(module.threaded, fn, args, rows, rows * c * VALUE_COST);
}

const lastDim = (t: CpuTensor): number => t.shape[t.shape.length - 1] ?? 1;

/** The first `c` values of a per-channel operand: itself when it holds no more (no subarray view per call). */
const firstValues = (data: Float32Array, c: number): Float32Array => (data.length === c ? data : data.subarray(0, c));

/** Argument lists by length, refilled per pass (parallelFor reads them before it returns): nothing allocated per step. */
const args4: number[] = new Array<number>(4).fill(0);
const args5: number[] = new Array<number>(5).fill(0);
const args8: number[] = new Array<number>(8).fill(0);
const args11: number[] = new Array<number>(11).fill(0);

// Operands by index, not destructured: destructuring allocates per call where V8 does not optimize it away (train-step-heap.test.ts).
export const batchnormSimd: CpuKernel = (ctx, inputs, outputs, attrs) => {
  const c = lastDim(inputs[0]!);
  const module = c % 4 === 0 ? normModule() : null;
  if (!module) return normalizationKernels.batchnorm(ctx, inputs, outputs, attrs);
  const xd = f32(inputs[0]!);
  const rm = f32(inputs[3]!);
  const rv = f32(inputs[4]!);
  const yd = f32(outputs[0]!);
  const mean = f32(outputs[1]!);
  const invstd = f32(outputs[2]!);
  const rows = xd.length / c;
  const eps = attrs.epsilon as number;
  const momentum = attrs.momentum as number;
  const call = callLayout(module.gemm.memory);
  const xAt = call.input(xd);
  const yAt = call.output(yd);
  const meanAt = call.scratch(c);
  const invstdAt = call.scratch(c);
  const gAt = call.scratch(c);
  const bAt = call.scratch(c);
  const sumAt = call.scratch(c);
  const floats = floatsOf(module.gemm.memory);
  const cBytes = c * 4;
  if (ctx.training) {
    floats.fill(0, sumAt / 4, sumAt / 4 + c);
    const a = args4;
    a[0] = xAt;
    a[1] = rows;
    a[2] = cBytes;
    a[3] = sumAt;
    byChannels(module, 'bn_sum', a, rows, c);
    for (let j = 0; j < c; j++) mean[j] = floats[sumAt / 4 + j]! / rows;
    floats.set(firstValues(mean, c), meanAt / 4);
    floats.fill(0, sumAt / 4, sumAt / 4 + c);
    const b = args5;
    b[0] = xAt;
    b[1] = rows;
    b[2] = cBytes;
    b[3] = meanAt;
    b[4] = sumAt;
    byChannels(module, 'bn_sqdev', b, rows, c);
    for (let j = 0; j < c; j++) {
      const sq = floats[sumAt / 4 + j]!;
      invstd[j] = 1 / Math.sqrt(sq / rows + eps);
      rm[j] = momentum * rm[j]! + (1 - momentum) * mean[j]!;
      rv[j] = momentum * rv[j]! + (1 - momentum) * (rows > 1 ? sq / (rows - 1) : 0);
    }
  } else {
    for (let j = 0; j < c; j++) {
      mean[j] = rm[j]!;
      invstd[j] = 1 / Math.sqrt(rv[j]! + eps);
    }
    floats.set(firstValues(mean, c), meanAt / 4);
  }
  floats.set(firstValues(invstd, c), invstdAt / 4);
  floats.set(firstValues(f32(inputs[1]!), c), gAt / 4);
  floats.set(firstValues(f32(inputs[2]!), c), bAt / 4);
  const a = args8;
  a[0] = xAt;
  a[1] = yAt;
  a[2] = rows;
  a[3] = cBytes;
  a[4] = meanAt;
  a[5] = invstdAt;
  a[6] = gAt;
  a[7] = bAt;
  byRows(module, 'bn_apply', a, rows, c);
  call.copyOut(yd, yAt);
};

export const batchnormGradSimd: CpuKernel = (ctx, inputs, outputs, attrs) => {
  const c = lastDim(inputs[1]!);
  const module = c % 4 === 0 ? normModule() : null;
  if (!module) return normalizationKernels.batchnorm_grad(ctx, inputs, outputs, attrs);
  const dyd = f32(inputs[0]!);
  const xd = f32(inputs[1]!);
  const gm = f32(inputs[2]!);
  const mean = f32(inputs[3]!);
  const invstd = f32(inputs[4]!);
  const dxd = f32(outputs[0]!);
  const dg = f32(outputs[1]!);
  const db = f32(outputs[2]!);
  const rows = xd.length / c;
  const call = callLayout(module.gemm.memory);
  const dyAt = call.input(dyd);
  const xAt = call.input(xd);
  const dxAt = call.output(dxd);
  const meanAt = call.scratch(c);
  const invstdAt = call.scratch(c);
  const kAt = call.scratch(c);
  const dbAt = call.scratch(c);
  const dgAt = call.scratch(c);
  const floats = floatsOf(module.gemm.memory);
  const cBytes = c * 4;
  floats.set(firstValues(mean, c), meanAt / 4);
  floats.set(firstValues(invstd, c), invstdAt / 4);
  floats.fill(0, dbAt / 4, dbAt / 4 + c);
  floats.fill(0, dgAt / 4, dgAt / 4 + c);
  const a = args8;
  a[0] = dyAt;
  a[1] = xAt;
  a[2] = rows;
  a[3] = cBytes;
  a[4] = meanAt;
  a[5] = invstdAt;
  a[6] = dbAt;
  a[7] = dgAt;
  byChannels(module, 'bn_grad_sums', a, rows, c);
  for (let j = 0; j < c; j++) {
    db[j] = floats[dbAt / 4 + j]!;
    dg[j] = floats[dgAt / 4 + j]!;
    floats[kAt / 4 + j] = (gm[j]! * invstd[j]!) / rows;
  }
  const b = args11;
  b[0] = dyAt;
  b[1] = xAt;
  b[2] = dxAt;
  b[3] = rows;
  b[4] = cBytes;
  b[5] = meanAt;
  b[6] = invstdAt;
  b[7] = kAt;
  b[8] = dbAt;
  b[9] = dgAt;
  b[10] = rows;
  byRows(module, 'bn_grad_apply', b, rows, c);
  call.copyOut(dxd, dxAt);
};

/**
 * sum_to down to the trailing axes (every bias gradient): the row sums are bn_sum's loop, float32 in
 * row order like the JS kernel's, so bit-identical to it.
 *
 * m values a row that are not a multiple of 4 (LeNet-5's 6 filters, a 10-class layer) still go by
 * groups of 4: the last group's vector reads 1 to 3 floats past its row, the next row's first (past
 * the last row: whatever lies there, always inside the memory since this call's scratch is above
 * every block), summed into lanes that are never copied out; the sums are then kept in scratch,
 * padded to whole groups, so that storing them writes nothing next to the output. Each kept lane's
 * sum is unchanged. LeNet-5 training b64 (its first layer's bias gradient is [64·24·24, 6]), one
 * thread, CPU time a step (NNET_THREADS=1 node bench/cpu/step-time.mjs <checkout> LeNet5:train:64,
 * interleaved twice): 7.9 → 7.4–7.6 ms.
 */
export const sumToSimd: CpuKernel = (ctx, inputs, outputs, attrs) => {
  const x = inputs[0];
  const y = outputs[0];
  const xd = f32(x!);
  const out = f32(y!);
  const m = out.length;
  const module = m > 0 && m < xd.length && isTrailing(y!, x!) ? normModule() : null;
  if (!module) return elementwiseKernels.sum_to(ctx, inputs, outputs, attrs);
  const call = callLayout(module.gemm.memory);
  const xAt = call.input(xd);
  // The sums accumulate where the output lies when it is in the memory and holds whole groups (no
  // copy out), else in scratch.
  const groups = Math.ceil(m / 4);
  const sumAt = m % 4 === 0 ? call.output(out) : call.scratch(groups * 4);
  floatsOf(module.gemm.memory).fill(0, sumAt / 4, sumAt / 4 + groups * 4);
  const args = args4;
  args[0] = xAt;
  args[1] = xd.length / m;
  args[2] = m * 4;
  args[3] = sumAt;
  byChannels(module, 'bn_sum', args, xd.length / m, m);
  if (m % 4 === 0) return call.copyOut(out, sumAt);
  // The first m of the padded sums, by index: copyOut's subarray would be a view allocated per step.
  const floats = floatsOf(module.gemm.memory);
  for (let j = 0, from = sumAt / 4; j < m; j++) out[j] = floats[from + j]!;
};

