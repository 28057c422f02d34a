import { dirname, resolve } from 'node:path';
import { readFileGuarded, readTextGuarded } from '../../files/guarded-files.js';
import { loadPlan, type LoadedPlan } from './load.js';

/** Plan documents above this are refused before reading (the largest example plan is 2 MiB). */
const MAX_PLAN_BYTES = 256 * 1024 * 1024;

/**
 * Node only: reads a plan file and the weights file it names (relative to the plan), both through
 * the guarded file layer: a missing file, a folder or a device (`"file": "/dev/zero"`) is an NNR1201
 * (weights) or NN4005 (the plan) error before anything is read.
 */
export async function loadPlanFile(path: string, weightsPath?: string): Promise<LoadedPlan> {
  const text = readTextGuarded(path, { code: 'NN4005', what: 'the plan', maxBytes: MAX_PLAN_BYTES });
  const named = namedWeightsFile(text);
  const file = weightsPath ?? (named !== undefined ? resolve(dirname(path), named) : undefined);
  const bytes = file ? readFileGuarded(file, { code: 'NNR1201', what: 'the weights' }) : undefined;
  return loadPlan(text, bytes, path);
}

/** The `weights.file` the plan names, if the text parses; loadPlan reports invalid JSON with its code. */
function namedWeightsFile(text: string): string | undefined {
  try {
    const doc = JSON.parse(text) as { weights?: { file?: unknown } | null } | null;
    const file = doc?.weights?.file;
    return typeof file === 'string' ? file : undefined;
  } catch {
    return undefined;
  }
}
