import type { Executor } from '../executor.js';
import type { WeightValue } from '../plan/check-weights.js';
import type { Plan } from '../plan/format.js';
import { CpuExecutor } from './executor.js';
import { installSimdKernels } from './wasm/install.js';

export { CpuExecutor } from './executor.js';
export { registerCpuKernel, registerCpuEpilogueKernel, resolveCpuKernel } from './kernel-registry.js';
export type { CpuKernel, CpuTensor, EpilogueKernel, KernelContext } from './kernel-interface.js';

/** Whether the matmul runs on WebAssembly SIMD (see wasm/install.ts) rather than plain JS. */
export const cpuSimdMatmul = installSimdKernels();

/**
 * The CPU back end: validates `plan` and `weights` (throws PlanError with an NNR1xxx code on any
 * mismatch) and returns an Executor (runtime/executor.ts). `weights` maps plan tensor names to
 * HostTensors or bare typed arrays; optimizer slots missing from it start at zero.
 */
export function createCpuExecutor(plan: Plan | unknown, weights: ReadonlyMap<string, WeightValue>): Executor {
  return new CpuExecutor(plan, weights);
}
