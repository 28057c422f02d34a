import { activationAlpha } from '../../plan/activations.js';
import type { CpuKernel, CpuKernelMap } from '../kernel-interface.js';
import { f32 } from '../kernel-interface.js';
import { activationKernels } from '../kernels/activations.js';
import { elementwiseKernels } from '../kernels/elementwise.js';
import { parallelFor } from '../threads/threaded-module.js';
import { ELEMENTWISE_FUNCTIONS, elementwiseModuleBytes, TILE_FLOATS, type ElementwiseFunction } from './elementwise-module.js';
import { overGemmMemory } from './gemm-memory.js';
import { callLayout, floatsOf } from './kernel-memory.js';

/**
 * The element-wise kernels of elementwise-module.ts in place of the JS ones (relu and the activation
 * gradients, the equal-shape binaries, scale), computed by tiles on the worker pool in the GEMM
 * module's memory: operands that are an executor's tensors there are used where they lie
 * (kernel-memory.ts), others are copied in above its resident weights and the output copied out.
 * A count that is not a multiple of 4 is padded in scratch (the lanes past the end are computed and
 * dropped), so there is no JS tail. Fewer than MIN_VALUES values, broadcasting binaries and hosts
 * without WASM SIMD run the JS kernels.
 */
const elementwiseModule = overGemmMemory<Record<ElementwiseFunction, (...args: number[]) => void>>(elementwiseModuleBytes, ELEMENTWISE_FUNCTIONS);

/** Below this, copying in and out costs about what the JS loop does. */
const MIN_VALUES = 16;

/**
 * One value's work in the threshold's multiply-adds (threaded-module.ts): these passes run at ~1-5 G
 * values/s on one thread (memory-bound, in place) against ~11 GMAC/s for the GEMM, so a job is split
 * from some 250 K values (~100 µs alone): below that, the hand-off and the wait for a worker that the
 * loaded 2-vCPU host does not schedule at once cost more than they save (relu_grad on the MLP's
 * 65 K values ran 3× slower split than alone at a load average of 19, 2026-12-03).
 */
const VALUE_COST = 4;

/** One argument list, refilled per call (parallelFor copies it before returning): nothing allocated per call. */
const args: number[] = [];

/** out = fn(operands..., scalars...) in WASM; false when the module is missing (the caller runs JS). */
function runMap(fn: ElementwiseFunction, operands: readonly Float32Array[], out: Float32Array, scalars: readonly number[]): boolean {
  const module = out.length >= MIN_VALUES ? elementwiseModule() : null;
  if (!module) return false;
  const n = out.length;
  const padded = Math.ceil(n / 4) * 4;
  const memory = module.gemm.memory;
  const call = callLayout(memory);
  args.length = 0;
  let outAt: number;
  if (n === padded) {
    for (const data of operands) args.push(call.input(data));
    outAt = call.output(out);
  } else {
    // The lanes past the end are read and written in scratch, never next to a tensor in place.
    for (const data of operands) {
      const at = call.scratch(padded);
      floatsOf(memory).set(data, at / 4);
      args.push(at);
    }
    outAt = call.scratch(padded);
  }
  args.push(outAt, padded * 4);
  for (const scalar of scalars) args.push(scalar);
  parallelFor(module.threaded, fn, args, Math.ceil(padded / TILE_FLOATS), n * VALUE_COST);
  call.copyOut(out, outAt);
  return true;
}

/** An activation gradient `(dy, y) → dx`, with the step's alpha when it takes one. */
function gradient(name: 'relu' | 'leaky_relu' | 'elu' | 'sigmoid' | 'tanh', withAlpha: boolean): CpuKernel {
  const fn = `${name}_grad` as const;
  const fallback = activationKernels[fn];
  return (ctx, inputs, outputs, attrs) => {
    const scalars = withAlpha ? [activationAlpha(name, attrs)] : [];
    if (!runMap(fn, [f32(inputs[0]!), f32(inputs[1]!)], f32(outputs[0]!), scalars)) fallback(ctx, inputs, outputs, attrs);
  };
}

/** add/sub/mul/div of two operands of the output's size; broadcasting ones run the JS kernel. */
function binary(name: 'add' | 'sub' | 'mul' | 'div'): CpuKernel {
  const fallback = elementwiseKernels[name];
  return (ctx, inputs, outputs, attrs) => {
    const [a, b, y] = [f32(inputs[0]!), f32(inputs[1]!), f32(outputs[0]!)];
    if (a.length !== y.length || b.length !== y.length || !runMap(name, [a, b], y, [])) fallback(ctx, inputs, outputs, attrs);
  };
}

export const elementwiseSimdKernels = {
  relu: (ctx, inputs, outputs, attrs) => {
    if (!runMap('relu', [f32(inputs[0]!)], f32(outputs[0]!), [])) activationKernels.relu(ctx, inputs, outputs, attrs);
  },
  relu_grad: gradient('relu', false),
  leaky_relu_grad: gradient('leaky_relu', true),
  elu_grad: gradient('elu', true),
  sigmoid_grad: gradient('sigmoid', false),
  tanh_grad: gradient('tanh', false),
  add: binary('add'),
  sub: binary('sub'),
  mul: binary('mul'),
  div: binary('div'),
  scale: (ctx, inputs, outputs, attrs) => {
    if (!runMap('scale', [f32(inputs[0]!)], f32(outputs[0]!), [attrs.factor as number])) elementwiseKernels.scale(ctx, inputs, outputs, attrs);
  },
} satisfies CpuKernelMap;
