import type { CpuKernel, CpuKernelMap } from '../kernel-interface.js';
import { f32 } from '../kernel-interface.js';
import { checkLabel, classWeightsOf, hasLabelAttrs, lossKernels, smoothingOf } from '../kernels/losses.js';
import { softmaxKernels as jsSoftmaxKernels } from '../kernels/softmax.js';
import { parallelFor } from '../threads/threaded-module.js';
import { overGemmMemory, type GemmMemoryModule } from './gemm-memory.js';
import { callLayout, floatsOf } from './kernel-memory.js';
import { SOFTMAX_FUNCTIONS, softmaxModuleBytes, type SoftmaxFunction } from './softmax-module.js';
import { withFmaWhereValid } from './transcendental-module.js';

/**
 * softmax, log_softmax, their gradients and the softmax cross-entropies (sparse and dense, with or
 * without label smoothing and class weights; masked sparse without them) on WebAssembly
 * SIMD (softmax-module.ts) over the last axis, in the GEMM module's memory: operands that are an
 * executor's tensors there are used where they lie (kernel-memory.ts), others are copied in above
 * its resident weights and the results copied out. Rows are split over the worker pool (each row
 * computed alone: the same bits on any number of threads). Per row, JS does only what is one number
 * a row (ln Σ for log-softmax, the label's term of the loss). The JS kernels (kernels/softmax.ts,
 * kernels/losses.ts) run below MIN_VALUES, without WASM SIMD, and for the masked cross-entropy with
 * label smoothing or class weights.
 *
 * Numerics: float32 exp (transcendental-module.ts) and float32 sums four lanes at a time, where the
 * JS kernels use Math.exp and float64 sums; tolerances in test/runtime/cpu/softmax-simd.test.ts.
 */
export type SoftmaxExports = Record<SoftmaxFunction, (...args: number[]) => void>;

/** The JS kernels, as kernels (the map's own types take fewer parameters). */
const softmaxKernels: Record<keyof typeof jsSoftmaxKernels, CpuKernel> = jsSoftmaxKernels;

export const softmaxModule = overGemmMemory<SoftmaxExports>(withFmaWhereValid(softmaxModuleBytes), SOFTMAX_FUNCTIONS);

/** Below this, copying in and out costs about what the JS loop does. */
const MIN_VALUES = 16;

/**
 * One value's work in the threshold's multiply-adds (threaded-module.ts): a pass with exp takes
 * ~3.4 ns a value (~36 multiply-adds of the GEMM), so it splits from some 28 K values (~95 µs
 * alone); a pass without (the gradients' sums) from 250 K, as the element-wise kernels'
 * (elementwise-simd.ts). Measured as activation-simd.ts's VALUE_COST says.
 */
export const EXP_VALUE_COST = 36;
export const VALUE_COST = 4;

/** Argument lists by length, refilled per call: nothing allocated per step. */
const args4 = [0, 0, 0, 0];
const args5 = [0, 0, 0, 0, 0];
const args6 = [0, 0, 0, 0, 0, 0];
const args8 = [0, 0, 0, 0, 0, 0, 0, 0];

const lastDim = (shape: number[]): number => shape[shape.length - 1] ?? 1;

function moduleFor(values: number, cols: number): GemmMemoryModule<SoftmaxExports> | null {
  return values >= MIN_VALUES && cols > 0 ? softmaxModule() : null;
}

/** softmaxRows's result, one object refilled per call: nothing allocated per step. */
const laidOut = { call: callLayout as unknown as ReturnType<typeof callLayout>, xAt: 0, yAt: 0, statsAt: 0 };

/**
 * y = softmax(x) / divisor by rows of `cols`, y left in the memory at the returned layout's output
 * address; per row, max and Σ e^(x − max) at `statsAt` (2 floats a row). The caller copies y out.
 * A whole divisor (1, or the rows a loss averages over), not its float reciprocal: a float argument
 * was boxed on every call.
 */
function softmaxRows(module: GemmMemoryModule<SoftmaxExports>, x: Float32Array, y: Float32Array, cols: number, divisor: number): typeof laidOut {
  const rows = x.length / cols;
  const call = callLayout(module.gemm.memory);
  const xAt = call.input(x);
  const yAt = call.output(y);
  const statsAt = call.scratch(rows * 2);
  const scalarsAt = call.scratch(4);
  floatsOf(module.gemm.memory)[scalarsAt / 4] = 1 / divisor;
  const a = args5;
  a[0] = xAt;
  a[1] = yAt;
  a[2] = statsAt;
  a[3] = cols * 4;
  a[4] = scalarsAt;
  parallelFor(module.threaded, 'softmax', a, rows, x.length * EXP_VALUE_COST);
  laidOut.call = call;
  laidOut.xAt = xAt;
  laidOut.yAt = yAt;
  laidOut.statsAt = statsAt;
  return laidOut;
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

/**
 * Sparse softmax cross-entropy from logits: dpred = (softmax − onehot(label)) / rows, in WASM as
 * softmax/rows and then 1/rows off each label's value; the loss from each row's max and Σ:
 * −ln p_label = ln Σ + max − z_label.
 */
const sparseSoftmaxCrossEntropy: CpuKernel = (ctx, inputs, outputs, attrs) => {
  const z = f32(inputs[0]!);
  const g = f32(outputs[1]!);
  const cols = lastDim(inputs[0]!.shape);
  const module = moduleFor(z.length, cols);
  if (!module) return lossKernels.sparse_softmax_cross_entropy_loss(ctx, inputs, outputs, attrs);
  const rows = z.length / cols;
  const labels = inputs[1]!.data;
  if (hasLabelAttrs(attrs)) return smoothedSparse(module, z, labels, g, f32(outputs[0]!), cols, smoothingOf(attrs), classWeightsOf(attrs));
  const { call, yAt, statsAt } = softmaxRows(module, z, g, cols, rows);
  call.copyOut(g, yAt);
  const floats = floatsOf(module.gemm.memory);
  let total = 0;
  for (let r = 0, s = statsAt / 4; r < rows; r++, s += 2) {
    const label = labels[r]!;
    checkLabel(label, cols, r);
    const logp = z[r * cols + label]! - floats[s]! - Math.log(floats[s + 1]!);
    total -= logp;
    g[r * cols + label]! -= 1 / rows;
  }
  f32(outputs[0]!)[0] = total / rows;
};

/**
 * Masked sparse softmax cross-entropy (a mask of the rows, the third input): as the plain one over
 * the rows whose mask is nonzero, averaged over them; a masked row's dpred is 0 and its label unread.
 */
const maskedSparseSoftmaxCrossEntropy: CpuKernel = (ctx, inputs, outputs, attrs) => {
  const z = f32(inputs[0]!);
  const g = f32(outputs[1]!);
  const cols = lastDim(inputs[0]!.shape);
  const module = hasLabelAttrs(attrs) ? null : moduleFor(z.length, cols);
  if (!module) return lossKernels.masked_sparse_softmax_cross_entropy_loss(ctx, inputs, outputs, attrs);
  const labels = inputs[1]!.data;
  const mask = inputs[2]!.data;
  let counted = 0;
  for (let r = 0; r < mask.length; r++) if (mask[r] !== 0) counted++;
  // Every row masked: loss 0 and no gradient (not 0/0), as the JS kernel.
  const rows = Math.max(counted, 1);
  const { call, yAt, statsAt } = softmaxRows(module, z, g, cols, rows);
  call.copyOut(g, yAt);
  const floats = floatsOf(module.gemm.memory);
  let total = 0;
  for (let r = 0, s = statsAt / 4; r < z.length / cols; r++, s += 2) {
    if (mask[r] === 0) {
      g.fill(0, r * cols, (r + 1) * cols);
      continue;
    }
    const label = labels[r]!;
    checkLabel(label, cols, r);
    total -= z[r * cols + label]! - floats[s]! - Math.log(floats[s + 1]!);
    g[r * cols + label]! -= 1 / rows;
  }
  f32(outputs[0]!)[0] = total / rows;
};

/**
 * Dense softmax cross-entropy from logits (float targets t): loss −Σ t·log_softmax(z) per row, dpred
 * (softmax·Σt − t)/rows; the softmax pass, ln Σ per row in JS, then cross_entropy_rows.
 */
const softmaxCrossEntropy: CpuKernel = (ctx, inputs, outputs, attrs) => {
  const z = f32(inputs[0]!);
  const t = inputs[1]!.data;
  const g = f32(outputs[1]!);
  const cols = lastDim(inputs[0]!.shape);
  const module = t instanceof Float32Array && t.length === z.length ? moduleFor(z.length, cols) : null;
  if (!module) return lossKernels.softmax_cross_entropy_loss(ctx, inputs, outputs, attrs);
  if (hasLabelAttrs(attrs)) return smoothedDense(module, z, t as Float32Array, g, f32(outputs[0]!), cols, smoothingOf(attrs), classWeightsOf(attrs));
  const rows = z.length / cols;
  const { call, xAt, yAt, statsAt } = softmaxRows(module, z, g, cols, 1);
  const tAt = call.input(t as Float32Array);
  const scalarsAt = call.scratch(4);
  const floats = floatsOf(module.gemm.memory);
  floats[scalarsAt / 4] = 1 / rows;
  for (let r = 0, s = statsAt / 4; r < rows; r++, s += 2) floats[s] = floats[s]! + Math.log(floats[s + 1]!);
  const a = args6;
  a[0] = xAt;
  a[1] = tAt;
  a[2] = yAt;
  a[3] = statsAt;
  a[4] = cols * 4;
  a[5] = scalarsAt;
  parallelFor(module.threaded, 'cross_entropy_rows', a, rows, z.length * VALUE_COST);
  call.copyOut(g, yAt);
  let total = 0;
  for (let r = 0, s = statsAt / 4 + 1; r < rows; r++, s += 2) total += floats[s]!;
  f32(outputs[0]!)[0] = total / rows;
};

/**
 * The sparse softmax cross-entropy with label smoothing ε and class weights (kernels/losses.ts's
 * weightedCE): the softmax pass, then smoothed_rows for the target's uniform part ε/K, and per row in
 * JS the label's: −w·(1 − ε)·z_label on the loss, −w·(1 − ε)/rows on dpred at the label.
 */
function smoothedSparse(module: GemmMemoryModule<SoftmaxExports>, z: Float32Array, labels: ArrayLike<number>, g: Float32Array, loss: Float32Array, cols: number, eps: number, cw: readonly number[] | null): void {
  const rows = z.length / cols;
  const { call, xAt, yAt, statsAt } = softmaxRows(module, z, g, cols, 1);
  const weightsAt = call.scratch(rows);
  const scalarsAt = call.scratch(4);
  const floats = floatsOf(module.gemm.memory);
  for (let r = 0, s = statsAt / 4; r < rows; r++, s += 2) {
    const label = labels[r]!;
    checkLabel(label, cols, r);
    floats[weightsAt / 4 + r] = cw ? cw[label]! : 1;
    floats[s] = floats[s]! + Math.log(floats[s + 1]!);
  }
  floats[scalarsAt / 4] = 1 / rows;
  floats[scalarsAt / 4 + 1] = eps / cols;
  const a = args6;
  a[0] = xAt;
  a[1] = yAt;
  a[2] = statsAt;
  a[3] = weightsAt;
  a[4] = cols * 4;
  a[5] = scalarsAt;
  parallelFor(module.threaded, 'smoothed_rows', a, rows, z.length * VALUE_COST);
  call.copyOut(g, yAt);
  let total = 0;
  for (let r = 0, s = statsAt / 4 + 1; r < rows; r++, s += 2) {
    const label = labels[r]!;
    const w = floats[weightsAt / 4 + r]! * (1 - eps);
    total += floats[s]! - w * z[r * cols + label]!;
    g[r * cols + label]! -= w / rows;
  }
  loss[0] = total / rows;
}

/** The dense softmax cross-entropy with label smoothing ε and class weights: the softmax pass, then label_cross_entropy_rows. */
function smoothedDense(module: GemmMemoryModule<SoftmaxExports>, z: Float32Array, t: Float32Array, g: Float32Array, loss: Float32Array, cols: number, eps: number, cw: readonly number[] | null): void {
  const rows = z.length / cols;
  const { call, xAt, yAt, statsAt } = softmaxRows(module, z, g, cols, 1);
  const tAt = call.input(t);
  // The class weights (read only when there are some: `weighted`).
  const cwAt = call.scratch(cols);
  const scalarsAt = call.scratch(4);
  const floats = floatsOf(module.gemm.memory);
  if (cw) for (let j = 0; j < cols; j++) floats[cwAt / 4 + j] = cw[j]!;
  floats[scalarsAt / 4] = 1 / rows;
  floats[scalarsAt / 4 + 1] = 1 - eps;
  floats[scalarsAt / 4 + 2] = eps / cols;
  for (let r = 0, s = statsAt / 4; r < rows; r++, s += 2) floats[s] = floats[s]! + Math.log(floats[s + 1]!);
  const a = args8;
  a[0] = xAt;
  a[1] = tAt;
  a[2] = yAt;
  a[3] = statsAt;
  a[4] = cwAt;
  a[5] = cw ? 1 : 0;
  a[6] = cols * 4;
  a[7] = scalarsAt;
  parallelFor(module.threaded, 'label_cross_entropy_rows', a, rows, z.length * VALUE_COST);
  call.copyOut(g, yAt);
  let total = 0;
  for (let r = 0, s = statsAt / 4 + 1; r < rows; r++, s += 2) total += floats[s]!;
  loss[0] = total / rows;
}

export const softmaxSimdKernels = {
  softmax,
  log_softmax: logSoftmax,
  softmax_grad: gradient('softmax_grad', VALUE_COST),
  log_softmax_grad: gradient('log_softmax_grad', EXP_VALUE_COST),
  sparse_softmax_cross_entropy_loss: sparseSoftmaxCrossEntropy,
  masked_sparse_softmax_cross_entropy_loss: maskedSparseSoftmaxCrossEntropy,
  softmax_cross_entropy_loss: softmaxCrossEntropy,
} satisfies CpuKernelMap;
