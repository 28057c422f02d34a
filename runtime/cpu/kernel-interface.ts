import type { PlanAttr } from '../plan/format.js';
import type { KernelName } from '../plan/kernels.js';

/**
 * The CPU kernel interface. Every kernel of runtime/plan/kernels.ts has one implementation here
 * (kernels/<family>.ts), registered by name in kernel-registry.ts. A faster implementation (WASM SIMD,
 * worker threads) replaces kernels one by one with `registerCpuKernel`, without touching the compiler
 * or the executor.
 *
 * Kernels read `inputs` and write `outputs` (views of preallocated buffers, already sized for the
 * bound dims) and never allocate per call except small scratch. Shapes are concrete.
 */
export interface CpuTensor {
  shape: number[];
  data: Float32Array | Int32Array;
}

export interface KernelContext {
  /** Inference: dropout copies, batchnorm uses running statistics. */
  training: boolean;
  /** This step's learning rate (update kernels). */
  lr: number;
  /** 1-based optimizer step count (Adam bias correction). */
  step: number;
  /** This step's seed (dropout masks). */
  seed: number;
}

export type Attrs = Readonly<Record<string, PlanAttr>>;

export type CpuKernel = (ctx: KernelContext, inputs: CpuTensor[], outputs: CpuTensor[], attrs: Attrs) => void;

/** A family's kernels by name (kernels/<family>.ts); kernel-registry.ts checks that together they cover the table. */
export type CpuKernelMap = Partial<Record<KernelName, CpuKernel>>;

/**
 * The fused tail of a matmul or conv: add `bias` over the last axis, keep the pre-activation in `pre`
 * when asked, then apply `activation` in place. Applied per block of rows right after they are
 * computed, while they are still in cache.
 */
export interface Epilogue {
  bias: Float32Array | null;
  pre: Float32Array | null;
  activation: ((data: Float32Array, start: number, end: number) => void) | null;
  /**
   * The activation's kernel name (runtime/plan/kernels.ts), so that a kernel may apply the simple ones
   * inside its tiles (wasm/matmul-simd.ts); `activation` stays the reference. Absent: none or unknown.
   */
  activationName?: string | null;
  /**
   * A pooling epilogue's window [ph, pw] (runtime/plan/kernels.ts's POOL_EPILOGUE): the output is
   * max-pooled over non-overlapping windows after the activation (kernels/pooled-conv.ts). Absent: none.
   */
  pool?: readonly number[] | null;
}

export type EpilogueKernel = (ctx: KernelContext, inputs: CpuTensor[], outputs: CpuTensor[], attrs: Attrs, epilogue: Epilogue) => void;

export function f32(t: CpuTensor): Float32Array {
  return t.data as Float32Array;
}

/**
 * The epilogue less its bias (for a kernel that added it in its product), kept per epilogue object
 * (the executor's, one per step): no copy per call.
 */
const unbiased = new WeakMap<Epilogue, Epilogue>();
export function withoutBias(epilogue: Epilogue): Epilogue {
  let kept = unbiased.get(epilogue);
  if (!kept) unbiased.set(epilogue, (kept = { ...epilogue }));
  kept.activation = epilogue.activation;
  kept.activationName = epilogue.activationName ?? null;
  kept.pre = epilogue.pre;
  kept.bias = null;
  return kept;
}

/** Applies an epilogue to rows [rowStart, rowEnd) of a row-major [rows, n] output. */
export function applyEpilogue(y: Float32Array, n: number, rowStart: number, rowEnd: number, epilogue: Epilogue): void {
  const { bias, pre, activation } = epilogue;
  const start = rowStart * n;
  const end = rowEnd * n;
  if (bias) {
    for (let r = rowStart; r < rowEnd; r++) {
      const o = r * n;
      for (let j = 0; j < n; j++) y[o + j]! += bias[j]!;
    }
  }
  if (pre) pre.set(y.subarray(start, end), start);
  if (activation) activation(y, start, end);
}
