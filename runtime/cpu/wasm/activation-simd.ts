import type { Attrs, CpuKernel, CpuKernelMap } from '../kernel-interface.js';
import { f32 } from '../kernel-interface.js';
import { activationKernels, activationRange, type RangeFn } from '../kernels/activations.js';
import { parallelFor } from '../threads/threaded-module.js';
import { ACTIVATION_FUNCTIONS, activationModuleBytes, type ActivationFunction } from './activation-module.js';
import { runTiledMap } from './elementwise-simd.js';
import { TILE_FLOATS } from './elementwise-module.js';
import { overGemmMemory } from './gemm-memory.js';
import { addressIn } from './kernel-memory.js';
import { withFmaWhereValid } from './transcendental-module.js';

/**
 * gelu, silu and softplus and their gradients on WebAssembly SIMD (activation-module.ts), as the
 * element-wise kernels run (elementwise-simd.ts: tiles on the worker pool in the GEMM module's
 * memory, operands in place or copied in, a count that is not a multiple of 4 padded in scratch),
 * and the same passes, with sigmoid and tanh, as the fused epilogue of a matmul or convolution
 * (`activationRangeSimd`: in place on the rows the GEMM just stored, when its output lies in that
 * memory: LeNet-5's tanh convolutions spent 11% of their step in the JS range function). The JS kernels
 * (kernels/activations.ts) run below MIN_VALUES and without WASM SIMD.
 */
type ActivationExports = Record<ActivationFunction, (...args: number[]) => void>;

const activationModule = overGemmMemory<ActivationExports>(withFmaWhereValid(activationModuleBytes), ACTIVATION_FUNCTIONS);

/** Below this, copying in and out costs about what the JS loop does. */
const MIN_VALUES = 16;

/**
 * One value's work in the threshold's multiply-adds (threaded-module.ts, ~11 G a second): ~2.9 ns,
 * so a pass splits from some 31 K values (~90 µs alone), where the element-wise kernels' ~100 µs
 * rule puts it (elementwise-simd.ts). Measured with 1 vs 2 threads, interleaved, the threshold
 * lowered to 0, at a real-time priority (chrt -f 1) on the shared 2-vCPU Xeon, 2026-12-03: gelu
 * ~2.9 ns a value alone (1.77× on two threads at 8 K values, 1.93× at 64 K), softmax ~3.4 ns (1.30×
 * at 1 K values, 1.93× at 64 K), layernorm ~0.6 ns (0.66× at 1 K, 1.04× at 4 K, 1.66× at 64 K).
 * Without the real-time priority, on the loaded machine, two threads lost below ~250 K values
 * (load average ~18): the threshold stays where a worker's hand-off is a small part of the job.
 */
const VALUE_COST = 32;

type Simple = 'gelu' | 'silu' | 'softplus';

/** The activations a fused epilogue runs here: the kernels' three, and sigmoid and tanh (whose own kernels are recurrent-simd.ts's). */
type RangeActivation = Simple | 'sigmoid' | 'tanh';

function forward(name: Simple): CpuKernel {
  const fallback = activationKernels[name];
  return (ctx, inputs, outputs, attrs) => {
    const x = f32(inputs[0]!);
    const module = x.length >= MIN_VALUES ? activationModule() : null;
    if (!runTiledMap(module, name, x, null, f32(outputs[0]!), null, VALUE_COST)) fallback(ctx, inputs, outputs, attrs);
  };
}

/** `<name>_grad(dy, x or y) → dx`. */
function gradient(name: Simple): CpuKernel {
  const fn = `${name}_grad` as const;
  const fallback = activationKernels[fn];
  return (ctx, inputs, outputs, attrs) => {
    const dy = f32(inputs[0]!);
    const module = dy.length >= MIN_VALUES ? activationModule() : null;
    if (!runTiledMap(module, fn, dy, f32(inputs[1]!), f32(outputs[0]!), null, VALUE_COST)) fallback(ctx, inputs, outputs, attrs);
  };
}

export const activationSimdKernels = {
  gelu: forward('gelu'),
  silu: forward('silu'),
  softplus: forward('softplus'),
  gelu_grad: gradient('gelu'),
  silu_grad: gradient('silu'),
  softplus_grad: gradient('softplus'),
} satisfies CpuKernelMap;

/** The epilogue's argument list (x, y, bytes), refilled per call. */
const rangeArgs = [0, 0, 0];

/**
 * The activation `name` over data[start, end) in place, for a fused epilogue: in WASM when `data`
 * lies in the GEMM module's memory (the first multiple of 4 values; the JS range function does the
 * last 1–3), in JS otherwise. It uses no scratch, so it may run inside a GEMM call (between its
 * passes) without touching that call's packed operands.
 */
export function activationRangeSimd(name: RangeActivation, attrs: Attrs): RangeFn {
  const js = activationRange(name, attrs);
  return (data, start, end) => {
    const module = end - start >= MIN_VALUES ? activationModule() : null;
    const at = module ? addressIn(module.gemm.memory, data) : null;
    if (module === null || at === null) return js(data, start, end);
    const whole = (end - start) & ~3;
    rangeArgs[0] = at + start * 4;
    rangeArgs[1] = rangeArgs[0];
    rangeArgs[2] = whole * 4;
    parallelFor(module.threaded, name, rangeArgs, Math.ceil(whole / TILE_FLOATS), whole * VALUE_COST);
    if (whole < end - start) js(data, start + whole, end);
  };
}
