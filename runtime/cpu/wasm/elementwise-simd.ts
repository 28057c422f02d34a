import { activationAlpha } from '../../plan/activations.js';
import type { CpuKernel, CpuKernelMap } from '../kernel-interface.js';
import { f32 } from '../kernel-interface.js';
import { activationKernels } from '../kernels/activations.js';
import { elementwiseKernels, isTrailing } from '../kernels/elementwise.js';
import { normalizationKernels } from '../kernels/normalization.js';
import { parallelFor } from '../threads/threaded-module.js';
import { ELEMENTWISE_FUNCTIONS, elementwiseModuleBytes, TILE_FLOATS, type ElementwiseFunction } from './elementwise-module.js';
import { overGemmMemory, type GemmMemoryModule } from './gemm-memory.js';
import { callLayout, floatsOf } from './kernel-memory.js';

/**
 * The element-wise kernels of elementwise-module.ts in place of the JS ones (relu and the activation
 * gradients, the equal-shape binaries, scale), computed by tiles on the worker pool in the GEMM
 * module's memory: operands that are an executor's tensors there are used where they lie
 * (kernel-memory.ts), others are copied in above its resident weights and the output copied out.
 * A count that is not a multiple of 4 is padded in scratch (the lanes past the end are computed and
 * dropped), so there is no JS tail. A binary whose operand repeats along the output (a bias over
 * the last axis, a scalar) runs too, as a `_rows` pass. Fewer than MIN_VALUES values, other
 * broadcasts and hosts without WASM SIMD run the JS kernels.
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

/** One argument list per length (operands, output, bytes, [scalars]: 3 to 5), refilled per call: only small integers. */
const argLists: number[][] = [[], [], [], [0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0, 0]];

/**
 * out = fn(a[, b][, scalar]) in WASM; false when the module is missing (the caller runs JS). `scalar`
 * (alpha, factor; null when the function takes none) reaches the kernel through a float32 in scratch.
 * Operands and settings are arguments, not arrays: nothing allocated per call.
 */
function runMap(fn: ElementwiseFunction, a: Float32Array, b: Float32Array | null, out: Float32Array, scalar: number | null): boolean {
  return runTiledMap(out.length >= MIN_VALUES ? elementwiseModule() : null, fn, a, b, out, scalar, VALUE_COST);
}

/**
 * runMap on any module of elementwise-module.ts's form (its `mapFunction` loop: activation-module.ts
 * too), `valueCost` its threshold's work per value; false when `module` is null.
 */
export function runTiledMap<E>(module: GemmMemoryModule<E> | null, fn: string, a: Float32Array, b: Float32Array | null, out: Float32Array, scalar: number | null, valueCost: number): boolean {
  if (!module) return false;
  const n = out.length;
  const padded = Math.ceil(n / 4) * 4;
  const memory = module.gemm.memory;
  const call = callLayout(memory);
  const args = argLists[(b === null ? 3 : 4) + (scalar === null ? 0 : 1)]!;
  let i = 0;
  let outAt: number;
  if (n === padded) {
    args[i++] = call.input(a);
    if (b !== null) args[i++] = call.input(b);
    outAt = call.output(out);
  } else {
    // The lanes past the end are read and written in scratch, never next to a tensor in place.
    args[i++] = paddedCopy(call, memory, a, padded);
    if (b !== null) args[i++] = paddedCopy(call, memory, b, padded);
    outAt = call.scratch(padded);
  }
  args[i++] = outAt;
  args[i++] = padded * 4;
  if (scalar !== null) {
    const at = call.scratch(4);
    floatsOf(memory)[at / 4] = scalar;
    args[i] = at;
  }
  parallelFor(module.threaded, fn, args, Math.ceil(padded / TILE_FLOATS), n * valueCost);
  call.copyOut(out, outAt);
  return true;
}

/** A copy of `data` in `padded` floats of scratch; its address. */
function paddedCopy(call: ReturnType<typeof callLayout>, memory: WebAssembly.Memory, data: Float32Array, padded: number): number {
  const at = call.scratch(padded);
  floatsOf(memory).set(data, at / 4);
  return at;
}

/** An activation gradient `(dy, y) → dx`, with the step's alpha when it takes one. */
function gradient(name: 'relu' | 'leaky_relu' | 'elu' | 'sigmoid' | 'tanh', withAlpha: boolean): CpuKernel {
  const fn = `${name}_grad` as const;
  const fallback = activationKernels[fn];
  return (ctx, inputs, outputs, attrs) => {
    const alpha = withAlpha ? activationAlpha(name, attrs) : null;
    if (!runMap(fn, f32(inputs[0]!), f32(inputs[1]!), f32(outputs[0]!), alpha)) fallback(ctx, inputs, outputs, attrs);
  };
}

/** The argument list of the `_rows` functions (a, b, y, bytes, period), refilled per call. */
const rowsArgs = [0, 0, 0, 0, 0];

/**
 * y = a ∘ b with b repeating along y (its trailing axes: a bias, a scalar) in WASM; false when the
 * module is missing. A b whose length is not a multiple of 4 is repeated 4 times in scratch, so
 * that the period is whole vectors.
 */
function runRows(fn: `${Binary}_rows`, a: Float32Array, b: Float32Array, y: Float32Array): boolean {
  const module = y.length >= MIN_VALUES ? elementwiseModule() : null;
  if (!module) return false;
  const n = y.length;
  const m = b.length;
  const padded = Math.ceil(n / 4) * 4;
  const memory = module.gemm.memory;
  const call = callLayout(memory);
  rowsArgs[0] = n === padded ? call.input(a) : paddedCopy(call, memory, a, padded);
  if (m % 4 === 0) {
    rowsArgs[1] = call.input(b);
    rowsArgs[4] = m * 4;
  } else {
    rowsArgs[1] = call.scratch(4 * m);
    const floats = floatsOf(memory);
    for (let r = 0; r < 4; r++) floats.set(b, rowsArgs[1] / 4 + r * m);
    rowsArgs[4] = 16 * m;
  }
  const outAt = n === padded ? call.output(y) : call.scratch(padded);
  rowsArgs[2] = outAt;
  rowsArgs[3] = padded * 4;
  parallelFor(module.threaded, fn, rowsArgs, Math.ceil(padded / TILE_FLOATS), n * VALUE_COST);
  call.copyOut(y, outAt);
  return true;
}

type Binary = 'add' | 'sub' | 'mul' | 'div';

/**
 * add/sub/mul/div of two operands of the output's size, or of one of its size and one repeating
 * along it (b, or a for the commutative add and mul); other broadcasts run the JS kernel `fallback`.
 */
function binary(name: Binary, fallback: CpuKernel = elementwiseKernels[name]): CpuKernel {
  const commutes = name === 'add' || name === 'mul';
  // The `_rows` export's name, made once (a template string per call would be an allocation per step).
  const rows = `${name}_rows` as const satisfies ElementwiseFunction;
  return (ctx, inputs, outputs, attrs) => {
    const a = f32(inputs[0]!);
    const b = f32(inputs[1]!);
    const y = f32(outputs[0]!);
    const n = y.length;
    let done = false;
    if (a.length === n && b.length === n) done = runMap(name, a, b, y, null);
    else if (a.length === n && b.length > 0 && n % b.length === 0 && isTrailing(inputs[1]!, outputs[0]!)) done = runRows(rows, a, b, y);
    else if (commutes && b.length === n && a.length > 0 && n % a.length === 0 && isTrailing(inputs[0]!, outputs[0]!)) done = runRows(rows, b, a, y);
    if (!done) fallback(ctx, inputs, outputs, attrs);
  };
}

export const elementwiseSimdKernels = {
  relu: (ctx, inputs, outputs, attrs) => {
    if (!runMap('relu', f32(inputs[0]!), null, f32(outputs[0]!), null)) activationKernels.relu(ctx, inputs, outputs, attrs);
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
  bias_add: binary('add', elementwiseKernels.bias_add),
  // dropout's gradient dy·mask: the product of two tensors of one shape.
  dropout_grad: binary('mul', normalizationKernels.dropout_grad),
  scale: (ctx, inputs, outputs, attrs) => {
    if (!runMap('scale', f32(inputs[0]!), null, f32(outputs[0]!), attrs.factor as number)) elementwiseKernels.scale(ctx, inputs, outputs, attrs);
  },
} satisfies CpuKernelMap;
