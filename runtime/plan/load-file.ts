import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { loadPlan, type LoadedPlan } from './load.js';

/** Node only: reads a plan file and the weights file it names (relative to the plan). */
export async function loadPlanFile(path: string, weightsPath?: string): Promise<LoadedPlan> {
  const text = await readFile(path, 'utf8');
  const named = namedWeightsFile(text);
  const file = weightsPath ?? (named !== undefined ? resolve(dirname(path), named) : undefined);
  const bytes = file ? new Uint8Array(await readFile(file)) : undefined;
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
