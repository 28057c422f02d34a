import type { Plan } from '../plan/format.js';
import type { HostTensor } from '../tensor.js';
import { readSafetensors } from '../weights/safetensors.js';
import { WebGpuError } from './errors.js';

/**
 * The browser entry of the runtime bundle (dist/web/nnet-runtime.js, built by examples/web/build.mjs):
 * the WebGPU executor and what a page needs to load a compiled plan, without the compiler.
 */
export { createWebGpuExecutor, acquireDevice, describeAdapter, WebGpuError } from './index.js';
export { f32, i32 } from '../tensor.js';

function base64Bytes(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * A plan document with its weights embedded (`"weights": { "base64": ... }`, safetensors bytes), as
 * `nnet compile --target webgpu` writes for the web; or pass the weights file's bytes separately.
 */
export function loadPlan(document: unknown, weightsFile?: Uint8Array): { plan: Plan; weights: Map<string, HostTensor> } {
  const plan = document as Plan;
  const embedded = plan?.weights && 'base64' in plan.weights ? base64Bytes(plan.weights.base64) : undefined;
  const bytes = weightsFile ?? embedded;
  if (!bytes) throw new WebGpuError('NNR6005', 'the plan has no embedded weights; pass the weights file');
  return { plan, weights: readSafetensors(bytes).tensors };
}
