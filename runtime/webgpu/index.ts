import type { Executor } from '../executor.js';
import type { Plan } from '../plan/format.js';
import { checkWeights, type WeightValue } from '../plan/check-weights.js';
import { validatePlan } from '../plan/validate.js';
import { sizeOf } from '../tensor.js';
import { bufferBytes, concreteShape, isPersistent, STORAGE_USAGE } from './bound-plan.js';
import { acquireDevice, type DeviceOptions } from './device.js';
import { WebGpuError } from './errors.js';
import { WebGpuExecutor } from './executor.js';
import { compilePrograms } from './pipelines.js';
import { checkWebGpuPlan } from './program-check.js';

export { acquireDevice, hasAdapter, describeAdapter, type AcquiredDevice, type DeviceOptions } from './device.js';
export { WebGpuError, NO_ADAPTER_HELP } from './errors.js';
export { WebGpuExecutor } from './executor.js';

export interface WebGpuExecutorOptions extends DeviceOptions {
  /** A device to run on; by default one is acquired (navigator.gpu in a browser, Dawn in Node). */
  device?: GPUDevice;
}

/**
 * Loads a WebGPU plan: checks it, compiles every pipeline asynchronously up front, allocates the
 * persistent tensors (params, state, optimizer slots) once and fills them from `weights` (optimizer
 * slots missing from `weights` start at zero). The plan and weights are validated first, like the CPU
 * back end (runtime/plan/validate.ts, check-weights.ts). Per-batch buffers are allocated on the first call for each batch size.
 */
export async function createWebGpuExecutor(
  document: Plan | unknown,
  weights: ReadonlyMap<string, WeightValue>,
  options: WebGpuExecutorOptions = {},
): Promise<Executor> {
  const plan = validatePlan(document);
  checkWeights(plan, weights, { allowMissingOptimizer: true });
  const programs = checkWebGpuPlan(plan);
  const device = options.device ?? (await acquireDevice(options)).device;
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  const compiled = await compilePrograms(device, programs);
  const persistent = new Map<string, GPUBuffer>();
  for (const t of plan.tensors) {
    if (!isPersistent(t)) continue;
    if (t.shape.some((d) => typeof d === 'string')) throw new WebGpuError('NNR6002', `persistent tensor '${t.name}' has a symbolic shape [${t.shape.join(', ')}]`);
    const size = sizeOf(concreteShape(t, {}));
    const buffer = device.createBuffer({ label: t.name, size: bufferBytes(size), usage: STORAGE_USAGE, mappedAtCreation: true });
    const initial = weights.get(t.name); // checked by checkWeights; optimizer slots may start at zero
    if (initial) {
      const view = t.dtype === 'i32' ? new Int32Array(buffer.getMappedRange()) : new Float32Array(buffer.getMappedRange());
      view.set('data' in initial ? initial.data : initial);
    }
    buffer.unmap();
    persistent.set(t.name, buffer);
  }
  const runtimeUniform = device.createBuffer({ label: 'runtime', size: 16, usage: 0x40 /* UNIFORM */ | 0x08 /* COPY_DST */ });
  const validation = await device.popErrorScope();
  const memory = await device.popErrorScope();
  const error = validation ?? memory;
  if (error) throw new WebGpuError('NNR6003', `could not load the plan on the GPU: ${error.message.trim()}`);
  const maxWorkgroups = device.limits.maxComputeWorkgroupsPerDimension;
  return new WebGpuExecutor(plan, device, { device, plan, programs: compiled, persistent, runtimeUniform, maxWorkgroups });
}
