import type { CpuKernel, CpuKernelMap } from '../kernel-interface.js';
import { f32 } from '../kernel-interface.js';
import { classWeightsOf, hasLabelAttrs, lossKernels, smoothingOf } from '../kernels/losses.js';
import { parallelFor } from '../threads/threaded-module.js';
import { TILE_FLOATS } from './elementwise-module.js';
import { overGemmMemory } from './gemm-memory.js';
import { callLayout, floatsOf } from './kernel-memory.js';
import { LOSS_FUNCTIONS, lossModuleBytes, type LossFunction } from './loss-module.js';
import { withFmaWhereValid } from './transcendental-module.js';

/**
 * mse, mae, huber, binary cross-entropy and its sigmoid (from logits) form, KL divergence and the
 * cross-entropy of probabilities on WebAssembly SIMD
 * (loss-module.ts): dpred for every value and a float32 loss sum per tile of TILE_FLOATS values, on
 * the worker pool in the GEMM module's memory (operands in place when they lie there, else copied;
 * a count that is not a multiple of 4 padded in scratch); JS adds the tiles' sums in tile order
 * (float64), so the loss has the same bits on any number of threads. With a mask (the masked_
 * kernels) the module leaves the masked values out and the mean is over the kept ones. The JS kernels
 * (kernels/losses.ts) run below MIN_VALUES, without WASM SIMD, for a mask that is not float32 or does
 * not divide the values, and for the cross-entropy of probabilities with label smoothing or class
 * weights (the binary ones have labelled exports).
 */
const lossModule = overGemmMemory<Record<LossFunction, (...args: number[]) => void>>(withFmaWhereValid(lossModuleBytes), LOSS_FUNCTIONS);

type Loss = Exclude<LossFunction, `masked_${string}`>;

/** Each loss's masked export. */
const MASKED = {
  mse: 'masked_mse',
  mae: 'masked_mae',
  huber: 'masked_huber',
  bce: 'masked_bce',
  sigmoid_bce: 'masked_sigmoid_bce',
  kl: 'masked_kl',
  ce: 'masked_ce',
  labelled_bce: 'masked_labelled_bce',
  labelled_sigmoid_bce: 'masked_labelled_sigmoid_bce',
} satisfies Record<Loss, LossFunction>;

/** Below this, copying in and out costs about what the JS loop does. */
const MIN_VALUES = 16;

/** One value's work in the threshold's multiply-adds: the logs and exps of the cross-entropies, as activation-simd.ts's gelu. */
const VALUE_COST = 32;

/** The exports' argument lists (without a mask, with one), refilled per call. */
const plainArgs = [0, 0, 0, 0, 0, 0];
const maskedArgs = [0, 0, 0, 0, 0, 0, 0, 0, 0];

/** The mask's nonzero entries, at least 1 (every value masked: loss 0 and no gradient, as the JS kernels). */
function kept(mask: Float32Array): number {
  let n = 0;
  for (let r = 0; r < mask.length; r++) if (mask[r] !== 0) n++;
  return Math.max(n, 1);
}

/**
 * A loss kernel on the module's `fn`. `perRow`: a class loss (kl, ce), averaged over the rows of the
 * last axis, its mask one entry a row; else averaged over the values.
 */
function loss(plainFn: Loss, kernel: keyof typeof lossKernels, labelledFn: Loss | 'js' | null, perRow = false): CpuKernel {
  const fallback = lossKernels[kernel] as CpuKernel;
  return (ctx, inputs, outputs, attrs) => {
    const p = inputs[0]!.data;
    const t = inputs[1]!.data;
    const n = p.length;
    // A mask (a third input, the masked_ kernels) of float32 entries each covering n/|mask| values.
    const mask = inputs.length === 3 ? inputs[2]!.data : null;
    const cols = perRow ? (inputs[0]!.shape[inputs[0]!.shape.length - 1] ?? 1) : 1;
    const maskFits = mask === null || (mask instanceof Float32Array && mask.length > 0 && (perRow ? mask.length * cols === n : n % mask.length === 0));
    // Label settings: the loss's labelled export, or the JS kernel where it has none.
    const label = labelledFn !== null && hasLabelAttrs(attrs);
    const fn = label && labelledFn !== 'js' ? labelledFn : plainFn;
    const plain = inputs.length <= 3 && maskFits && p instanceof Float32Array && t instanceof Float32Array && t.length === n && !(label && labelledFn === 'js');
    const module = plain && n >= MIN_VALUES ? lossModule() : null;
    if (!module) return fallback(ctx, inputs, outputs, attrs);
    const args = mask === null ? plainArgs : maskedArgs;
    // What the loss is averaged over: the values, or the rows (kept ones, under a mask).
    const count = perRow ? (mask === null ? n / cols : kept(mask as Float32Array)) : mask === null ? n : kept(mask as Float32Array) * (n / mask.length);
    const g = f32(outputs[1]!);
    const memory = module.gemm.memory;
    const call = callLayout(memory);
    const padded = Math.ceil(n / 4) * 4;
    let gAt: number;
    if (n === padded) {
      args[0] = call.input(p as Float32Array);
      args[1] = call.input(t as Float32Array);
      gAt = call.output(g);
    } else {
      // The lanes past the end are computed in scratch and left out of the sums.
      args[0] = call.scratch(padded);
      args[1] = call.scratch(padded);
      gAt = call.scratch(padded);
      const floats = floatsOf(memory);
      floats.set(p as Float32Array, args[0] / 4);
      floats.set(t as Float32Array, args[1] / 4);
    }
    const tiles = Math.ceil(padded / TILE_FLOATS);
    const partialsAt = call.scratch(tiles);
    const scalarsAt = call.scratch(8);
    const floats = floatsOf(memory);
    floats[scalarsAt / 4] = 1 / count;
    floats[scalarsAt / 4 + 1] = typeof attrs.delta === 'number' ? attrs.delta : 0;
    if (label) {
      const eps = smoothingOf(attrs);
      const cw = classWeightsOf(attrs);
      floats[scalarsAt / 4 + 2] = 1 - eps;
      floats[scalarsAt / 4 + 3] = eps / 2;
      floats[scalarsAt / 4 + 4] = cw ? (cw[0] ?? 1) : 1;
      floats[scalarsAt / 4 + 5] = cw ? (cw[1] ?? 1) : 1;
    }
    args[2] = gAt;
    args[3] = partialsAt;
    args[4] = n * 4;
    args[5] = scalarsAt;
    if (mask !== null) {
      args[6] = call.input(mask as Float32Array);
      args[7] = n / mask.length;
      args[8] = mask.length - 1;
    }
    parallelFor(module.threaded, mask === null ? fn : MASKED[fn], args, tiles, n * VALUE_COST);
    call.copyOut(g, gAt);
    const sums = floatsOf(memory);
    let total = 0;
    for (let i = 0; i < tiles; i++) total += sums[partialsAt / 4 + i]!;
    f32(outputs[0]!)[0] = total / count;
  };
}

// The JS kernels read a mask when a step gives one, so each masked_ kernel is its plain one, here too.
const mse = loss('mse', 'mse_loss', null);
const mae = loss('mae', 'mae_loss', null);
const huber = loss('huber', 'huber_loss', null);
const bce = loss('bce', 'binary_cross_entropy_loss', 'labelled_bce');
const sigmoidBce = loss('sigmoid_bce', 'sigmoid_binary_cross_entropy_loss', 'labelled_sigmoid_bce');
const kl = loss('kl', 'kl_divergence_loss', null, true);

export const lossSimdKernels = {
  mse_loss: mse,
  mae_loss: mae,
  huber_loss: huber,
  binary_cross_entropy_loss: bce,
  sigmoid_binary_cross_entropy_loss: sigmoidBce,
  masked_mse_loss: mse,
  masked_mae_loss: mae,
  masked_huber_loss: huber,
  masked_binary_cross_entropy_loss: bce,
  masked_sigmoid_binary_cross_entropy_loss: sigmoidBce,
  kl_divergence_loss: kl,
  masked_kl_divergence_loss: kl,
  // The cross-entropy of probabilities; with label smoothing or class weights, the JS kernel.
  cross_entropy_loss: loss('ce', 'cross_entropy_loss', 'js', true),
  masked_cross_entropy_loss: loss('ce', 'masked_cross_entropy_loss', 'js', true),
} satisfies CpuKernelMap;
