import { firstNonFiniteTensor, type HostTensor } from '../runtime/tensor.js';
import { readSafetensors, writeSafetensors } from '../runtime/weights/safetensors.js';
import { readFileGuarded, writeFileAtomic } from '../files/guarded-files.js';
import { CliError } from './cli-error.js';

/** Reads a safetensors weights file (or its bytes) into plan-named tensors. */
export function readWeightsFile(source: string | Uint8Array): Map<string, HostTensor> {
  let bytes: Uint8Array;
  if (typeof source === 'string') bytes = readFileGuarded(source, { code: 'NNR1201', what: 'weights' });
  else bytes = source;
  return new Map(readSafetensors(bytes, typeof source === 'string' ? source : 'embedded weights').tensors);
}

/** Writes weights as safetensors, atomically (a crash never leaves a half-written file); `prepareOutput` the path first. */
export function writeWeightsFile(path: string, weights: ReadonlyMap<string, HostTensor>, metadata: Record<string, string> = {}): void {
  const bad = firstNonFiniteTensor(weights);
  if (bad !== null) throw new CliError('NNR5101', `weight '${bad}' holds NaN or infinity; nothing was written`, path);
  writeFileAtomic(path, writeSafetensors(weights, metadata));
}
