import type { Attrs, CpuKernel, CpuTensor, Epilogue, EpilogueKernel, KernelContext } from '../kernel-interface.js';

/**
 * A convolution whose epilogue ends in max pooling (a plan's `conv2d+…+maxpool`: runtime/plan/kernels.ts's
 * POOL_EPILOGUE), where the convolution cannot pool in its own tiles: it writes its output (bias and
 * activation applied) into an intermediate, then `maxpool` (the plan's maxpool2d kernel, non-overlapping
 * windows of `epilogue.pool`, valid) pools that into y. The same values as the unfused steps.
 *
 * `intermediate(floats)` gives the buffer (the caller's: a block of the kernels' memory for the
 * WebAssembly kernels, so they write it in place); it is live only during this call, so every step
 * may share one. The tensor objects and the pooling attrs are kept per epilogue object (the kernel
 * registry's, one per step): a steady-state call allocates nothing.
 */
export function convThenPool(
  conv: EpilogueKernel,
  maxpool: CpuKernel,
  intermediate: (floats: number) => Float32Array,
  ctx: KernelContext,
  inputs: CpuTensor[],
  outputs: CpuTensor[],
  attrs: Attrs,
  epilogue: Epilogue,
  unpooledShape: readonly number[],
): void {
  const kept = keptFor(epilogue);
  const shape = kept.unpooled.shape;
  shape.length = unpooledShape.length;
  let floats = 1;
  for (let i = 0; i < unpooledShape.length; i++) floats *= shape[i] = unpooledShape[i]!;
  kept.unpooled.data = intermediate(floats);
  const inner = kept.epilogue;
  inner.bias = epilogue.bias;
  inner.activation = epilogue.activation;
  inner.activationName = epilogue.activationName ?? null;
  conv(ctx, inputs, kept.unpooledList, attrs, inner);
  if (kept.attrsOf !== epilogue.pool) {
    kept.poolAttrs = { size: [...epilogue.pool!], strides: [...epilogue.pool!], padding: 'valid' };
    kept.attrsOf = epilogue.pool!;
  }
  maxpool(ctx, kept.unpooledList, outputs, kept.poolAttrs);
}

interface Kept {
  unpooled: CpuTensor;
  unpooledList: CpuTensor[];
  /** The epilogue without its pooling: what the convolution applies. */
  epilogue: Epilogue;
  poolAttrs: Attrs;
  attrsOf: readonly number[] | null;
}

const kept = new WeakMap<Epilogue, Kept>();
function keptFor(epilogue: Epilogue): Kept {
  let k = kept.get(epilogue);
  if (!k) {
    const unpooled: CpuTensor = { shape: [], data: new Float32Array(0) };
    k = { unpooled, unpooledList: [unpooled], epilogue: { bias: null, pre: null, activation: null, activationName: null, pool: null }, poolAttrs: {}, attrsOf: null };
    kept.set(epilogue, k);
  }
  return k;
}

/** The JS kernels' intermediate: one array, grown as needed (steps run one at a time), viewed at each length once. */
let jsBuffer = new Float32Array(0);
const jsViews = new Map<number, Float32Array>();
export function jsIntermediate(floats: number): Float32Array {
  if (floats > jsBuffer.length) {
    jsBuffer = new Float32Array(floats);
    jsViews.clear();
  }
  let view = jsViews.get(floats);
  if (!view) jsViews.set(floats, (view = jsBuffer.subarray(0, floats)));
  return view;
}
