import { readFileSync } from 'node:fs';
import type { HostTensor } from '../runtime/tensor.js';
import { readSafetensors, writeSafetensors } from '../runtime/weights/safetensors.js';
import { writeFileAtomic } from '../runtime/train/atomic-write.js';
import { CliError } from './cli-error.js';

/** Reads a safetensors weights file (or its bytes) into plan-named tensors. */
export function readWeightsFile(source: string | Uint8Array): Map<string, HostTensor> {
  let bytes: Uint8Array;
  if (typeof source === 'string') {
    try {
      bytes = readFileSync(source);
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
      throw new CliError('NNR1201', `cannot read weights: ${reason}`, source);
    }
  } else bytes = source;
  return new Map(readSafetensors(bytes, typeof source === 'string' ? source : 'embedded weights').tensors);
}

/** Writes weights as safetensors, atomically (a crash never leaves a half-written file). */
export function writeWeightsFile(path: string, weights: ReadonlyMap<string, HostTensor>, metadata: Record<string, string> = {}): void {
  writeFileAtomic(path, writeSafetensors(weights, metadata));
}
