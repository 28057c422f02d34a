import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileModel } from '../../../../compiler/compile.js';
import { checkSource } from '../../../../compiler/index.js';
import type { Plan } from '../../../../runtime/plan/format.js';

/** Every model of examples/*.nnet compiled for WebGPU (training plans where the model trains). */
const EXAMPLES_DIR = join(import.meta.dirname, '..', '..', '..', '..', 'examples');

export interface ExamplePlan {
  /** `<file stem>` or `<file stem>-<model>` when a file holds several models. */
  name: string;
  /** The .nnet file. */
  path: string;
  plan: Plan | null;
  problems: string[];
}

export function exampleWebGpuPlans(fuse = true): ExamplePlan[] {
  const out: ExamplePlan[] = [];
  for (const file of readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.nnet')).sort()) {
    const path = join(EXAMPLES_DIR, file);
    const text = readFileSync(path, 'utf8');
    const check = checkSource(text, { path });
    const stem = file.replace(/\.nnet$/, '');
    for (const model of check.models) {
      const result = compileModel(check, model.name, { target: 'webgpu', fuse, training: model.train !== null && model.train !== undefined, text, path });
      out.push({
        name: check.models.length > 1 ? `${stem}-${model.name}` : stem,
        path,
        plan: result.plan,
        problems: result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`),
      });
    }
  }
  return out;
}
