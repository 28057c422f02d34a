import type { Plan } from './format.js';
import type { HostTensor } from '../tensor.js';
import { writeSafetensors } from '../weights/safetensors.js';

/**
 * Plan + weights → files. `weights` maps tensor names to values; typed arrays take their shape from
 * the plan. With `embed`, the safetensors bytes go into the plan as base64; otherwise the plan names
 * `weightsFile` and the caller writes the returned bytes there.
 */
export function weightsToTensors(plan: Plan, weights: ReadonlyMap<string, HostTensor | Float32Array | Int32Array>): Map<string, HostTensor> {
  const byName = new Map(plan.tensors.map((t) => [t.name, t]));
  const out = new Map<string, HostTensor>();
  for (const [name, value] of weights) {
    if ('data' in value) {
      out.set(name, value);
      continue;
    }
    const spec = byName.get(name);
    const shape = spec ? spec.shape.map((d) => (typeof d === 'number' ? d : value.length)) : [value.length];
    out.set(name, { shape, dtype: value instanceof Int32Array ? 'i32' : 'f32', data: value });
  }
  return out;
}

export function serializePlan(
  plan: Plan,
  weights: ReadonlyMap<string, HostTensor | Float32Array | Int32Array>,
  options: { embed: true } | { embed: false; weightsFile: string },
): { json: string; weightsBytes: Uint8Array | null } {
  const bytes = writeSafetensors(weightsToTensors(plan, weights), { format: 'nnet-weights', model: plan.model });
  if (options.embed) {
    return { json: JSON.stringify({ ...plan, weights: { base64: toBase64(bytes) } }, null, 1), weightsBytes: null };
  }
  return { json: JSON.stringify({ ...plan, weights: { file: options.weightsFile } }, null, 1), weightsBytes: bytes };
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
