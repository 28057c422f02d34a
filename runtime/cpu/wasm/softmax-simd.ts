import type { CpuKernel, CpuKernelMap } from '../kernel-interface.js';
import { f32 } from '../kernel-interface.js';
import { checkLabel, labelAttrs, lossKernels } from '../kernels/losses.js';
import { softmaxKernels as jsSoftmaxKernels } from '../kernels/softmax.js';
import { parallelFor } from '../threads/threaded-module.js';
import { overGemmMemory, type GemmMemoryModule } from './gemm-memory.js';
import { callLayout, floatsOf } from './kernel-memory.js';
import { SOFTMAX_FUNCTIONS, softmaxModuleBytes, type SoftmaxFunction } from './softmax-module.js';
import { withFmaWhereValid } from './transcendental-module.js';

/**
 * softmax, log_softmax, their gradients and the plain sparse softmax cross-entropy on WebAssembly
 * SIMD (softmax-module.ts) over the last axis, in the GEMM module's memory: operands that are an
 * executor's tensors there are used where they lie (kernel-memory.ts), others are copied in above
 * its resident weights and the results copied out. Rows are split over the worker pool (each row
 * computed alone: the same bits on any number of threads). Per row, JS does only what is one number
 * a row (ln Σ for log-softmax, the label's term of the loss). The JS kernels (kernels/softmax.ts,
 * kernels/losses.ts) run below MIN_VALUES, without WASM SIMD, and for the cross-entropies with label
 * smoothing, class weights or a mask.
 *
 * Numerics: float32 exp (transcendental-module.ts) and float32 sums four lanes at a time, where the
 * JS kernels use Math.exp and float64 sums; tolerances in test/runtime/cpu/softmax-simd.test.ts.
 */
type SoftmaxExports = Record<SoftmaxFunction, (...args: number[]) => void>;

/** The JS kernels, as kernels (the map's own types take fewer parameters). */
const softmaxKernels: Record<keyof typeof jsSoftmaxKernels, CpuKernel> = jsSoftmaxKernels;

const softmaxModule = overGemmMemory<SoftmaxExports>(withFmaWhereValid(softmaxModuleBytes), SOFTMAX_FUNCTIONS);

/** Below this, copying in and out costs about what the JS loop does. */
const MIN_VALUES = 16;

/**
 * One value's work in the threshold's multiply-adds (threaded-module.ts): a pass with exp (about 20
 * vector instructions a value) splits from some 60 K values, a pass without (the gradients' sums)
 * from 250 K, as the element-wise kernels' (elementwise-simd.ts).
 */
const EXP_VALUE_COST = 16;
const VALUE_COST = 4;

/** Argument lists by length, refilled per call: nothing allocated per step. */
const args4 = [0, 0, 0, 0];
const args5 = [0, 0, 0, 0, 0];

const lastDim = (shape: number[]): number => shape[shape.length - 1] ?? 1;

function moduleFor(values: number, cols: number): GemmMemoryModule<SoftmaxExports> | null {
  return values >= MIN_VALUES && cols > 0 ? softmaxModule() : null;
}

/**
 * y = scale · softmax(x) by rows of `cols`, y left in the memory at the returned layout's output
 * address; per row, max and Σ e^(x − max) at `statsAt` (2 floats a row). The caller copies y out.
 */
function softmaxRows(module: GemmMemoryModule<SoftmaxExports>, x: Float32Array, y: Float32Array, cols: number, scale: number): { call: ReturnType<typeof callLayout>; xAt: number; yAt: number; statsAt: number } {
  const rows = x.length / cols;
  const call = callLayout(module.gemm.memory);
  const xAt = call.input(x);
  const yAt = call.output(y);
  const statsAt = call.scratch(rows * 2);
  const scalarsAt = call.scratch(4);
  floatsOf(module.gemm.memory)[scalarsAt / 4] = scale;
  const a = args5;
  a[0] = xAt;
  a[1] = yAt;
  a[2] = statsAt;
  a[3] = cols * 4;
  a[4] = scalarsAt;
  parallelFor(module.threaded, 'softmax', a, rows, x.length * EXP_VALUE_COST);
  return { call, xAt, yAt, statsAt };
}

const softmax: CpuKernel = (ctx, inputs, outputs, attrs) => {
  const x = f32(inputs[0]!);
  const y = f32(outputs[0]!);
  const cols = lastDim(inputs[0]!.shape);
  const module = moduleFor(x.length, cols);
  if (!module) return softmaxKernels.softmax(ctx, inputs, outputs, attrs);
  const { call, yAt } = softmaxRows(module, x, y, cols, 1);
  call.copyOut(y, yAt);
};

const logSoftmax: CpuKernel = (ctx, inputs, outputs, attrs) => {
  const x = f32(inputs[0]!);
  const y = f32(outputs[0]!);
  const cols = lastDim(inputs[0]!.shape);
  const module = moduleFor(x.length, cols);
  if (!module) return softmaxKernels.log_softmax(ctx, inputs, outputs, attrs);
  const rows = x.length / cols;
  // The softmax pass gives each row's max and Σ (its y is overwritten below); ln Σ is one Math.log a row.
  const { call, xAt, yAt, statsAt } = softmaxRows(module, x, y, cols, 1);
  const floats = floatsOf(module.gemm.memory);
  for (let r = 0, s = statsAt / 4; r < rows; r++, s += 2) floats[s] = floats[s]! + Math.log(floats[s + 1]!);
  const a = args4;
  a[0] = xAt;
  a[1] = yAt;
  a[2] = statsAt;
  a[3] = cols * 4;
  parallelFor(module.threaded, 'sub_rows', a, rows, x.length * VALUE_COST);
  call.copyOut(y, yAt);
};

/** dx = f(dy, y) by rows: softmax_grad or log_softmax_grad. */
function gradient(fn: 'softmax_grad' | 'log_softmax_grad', cost: number): CpuKernel {
  const fallback = softmaxKernels[fn];
  return (ctx, inputs, outputs, attrs) => {
    const dy = f32(inputs[0]!);
    const y = f32(inputs[1]!);
    const dx = f32(outputs[0]!);
    const cols = lastDim(inputs[1]!.shape);
    const module = moduleFor(y.length, cols);
    if (!module) return fallback(ctx, inputs, outputs, attrs);
    const call = callLayout(module.gemm.memory);
    const a = args4;
    a[0] = call.input(dy);
    a[1] = call.input(y);
    a[2] = call.output(dx);
    a[3] = cols * 4;
    parallelFor(module.threaded, fn, a, y.length / cols, y.length * cost);
    call.copyOut(dx, a[2]);
  };
}

/** −ln of the smallest probability the JS kernel takes the log of (it clamps p at 1e-30). */
const LOG_FLOOR = Math.log(1e-30);

/**
 * Sparse softmax cross-entropy from logits: dpred = (softmax − onehot(label)) / rows, in WASM as
 * softmax/rows and then 1/rows off each label's value; the loss from each row's max and Σ:
 * −ln p_label = ln Σ + max − z_label.
 */
const sparseSoftmaxCrossEntropy: CpuKernel = (ctx, inputs, outputs, attrs) => {
  const z = f32(inputs[0]!);
  const g = f32(outputs[1]!);
  const cols = lastDim(inputs[0]!.shape);
  const module = labelAttrs(attrs) === null ? moduleFor(z.length, cols) : null;
  if (!module) return lossKernels.sparse_softmax_cross_entropy_loss(ctx, inputs, outputs, attrs);
  const rows = z.length / cols;
  const labels = inputs[1]!.data;
  const { call, yAt, statsAt } = softmaxRows(module, z, g, cols, 1 / rows);
  call.copyOut(g, yAt);
  const floats = floatsOf(module.gemm.memory);
  let total = 0;
  for (let r = 0, s = statsAt / 4; r < rows; r++, s += 2) {
    const label = labels[r]!;
    checkLabel(label, cols, r);
    const logp = z[r * cols + label]! - floats[s]! - Math.log(floats[s + 1]!);
    total -= Math.max(logp, LOG_FLOOR);
    g[r * cols + label]! -= 1 / rows;
  }
  f32(outputs[0]!)[0] = total / rows;
};

export const softmaxSimdKernels = {
  softmax,
  log_softmax: logSoftmax,
  softmax_grad: gradient('softmax_grad', VALUE_COST),
  log_softmax_grad: gradient('log_softmax_grad', EXP_VALUE_COST),
  sparse_softmax_cross_entropy_loss: sparseSoftmaxCrossEntropy,
} satisfies CpuKernelMap;
