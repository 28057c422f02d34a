import type { CpuKernel } from '../kernel-interface.js';
import { f32 } from '../kernel-interface.js';
import { normalizationKernels } from '../kernels/normalization.js';
import { mixSeeds } from '../random.js';
import { parallelFor } from '../threads/threaded-module.js';
import { DROPOUT_FUNCTIONS, dropoutModuleBytes } from './dropout-module.js';
import { TILE_FLOATS } from './elementwise-module.js';
import { overGemmMemory } from './gemm-memory.js';
import { callLayout, floatsOf, intsOf } from './kernel-memory.js';

/**
 * Dropout's training pass on WebAssembly SIMD (dropout-module.ts): the mask and y by tiles on the
 * worker pool in the GEMM module's memory (operands in place when they lie there, else copied; a
 * count that is not a multiple of 4 padded in scratch). The mask has the JS kernel's bits (the same
 * mulberry32 draws, the same float32 keep); y = x·mask is one float32 product where the JS kernel
 * rounds x·keep from float64 (within 1 ulp: test/runtime/cpu/dropout-simd.test.ts). Inference and
 * rate 0 (a copy), fewer than MIN_VALUES values and hosts without WASM SIMD run the JS kernel
 * (kernels/normalization.ts); its gradient, dy·mask, is elementwise-simd.ts's product.
 */
const dropoutModule = overGemmMemory<Record<(typeof DROPOUT_FUNCTIONS)[number], (...args: number[]) => void>>(dropoutModuleBytes, DROPOUT_FUNCTIONS);

/** Below this, copying in and out costs about what the JS loop does. */
const MIN_VALUES = 16;

/** One value's work in the threshold's multiply-adds: a dozen integer operations, memory-bound as elementwise-simd.ts's passes. */
const VALUE_COST = 4;

/** The export's argument list (x, y, mask, bytes, scalars), refilled per call. */
const args = [0, 0, 0, 0, 0];

const fallback = normalizationKernels.dropout;

export const dropoutSimd: CpuKernel = (ctx, inputs, outputs, attrs) => {
  const rate = attrs.rate as number;
  const x = f32(inputs[0]!);
  const y = f32(outputs[0]!);
  const mask = f32(outputs[1]!);
  // Kept where u ≥ ⌈rate·2³²⌉; a rate at or within 2⁻³² of 1 keeps nothing and has no u32 threshold.
  const threshold = Math.ceil(rate * 2 ** 32);
  const module = ctx.training && rate > 0 && threshold < 2 ** 32 && x.length >= MIN_VALUES ? dropoutModule() : null;
  if (!module) return fallback(ctx, inputs, outputs, attrs);
  const n = x.length;
  const padded = Math.ceil(n / 4) * 4;
  const memory = module.gemm.memory;
  const call = callLayout(memory);
  let yAt: number;
  let maskAt: number;
  if (n === padded) {
    args[0] = call.input(x);
    yAt = call.output(y);
    maskAt = call.output(mask);
  } else {
    args[0] = call.scratch(padded);
    floatsOf(memory).set(x, args[0] / 4);
    yAt = call.scratch(padded);
    maskAt = call.scratch(padded);
  }
  const scalarsAt = call.scratch(4);
  intsOf(memory)[scalarsAt / 4] = mixSeeds(ctx.seed, attrs.seed as number);
  intsOf(memory)[scalarsAt / 4 + 1] = threshold;
  floatsOf(memory)[scalarsAt / 4 + 2] = 1 / (1 - rate);
  args[1] = yAt;
  args[2] = maskAt;
  args[3] = padded * 4;
  args[4] = scalarsAt;
  parallelFor(module.threaded, 'dropout', args, Math.ceil(padded / TILE_FLOATS), n * VALUE_COST);
  call.copyOut(y, yAt);
  call.copyOut(mask, maskAt);
};
