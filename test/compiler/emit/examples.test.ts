import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileModel } from '../../../compiler/compile.js';
import { checkSource } from '../../../compiler/index.js';
import { createCpuExecutor } from '../../../runtime/cpu/index.js';
import type { Plan } from '../../../runtime/plan/format.js';
import { validatePlan } from '../../../runtime/plan/validate.js';
import type { HostTensor } from '../../../runtime/tensor.js';
import { f32 } from '../../../runtime/tensor.js';

/** The examples through the real front end: each model compiles (inference and training) and verifies. */
const EXAMPLES = new URL('../../../examples/', import.meta.url);
/** Models whose layers the back end cannot lower yet. */
const NOT_YET = new Set<string>([]);

/** Random feeds for a plan's inputs and labels: symbolic dims bound to 2 (batch) or 5; ids and classes small. */
function randomFeeds(plan: Plan): Record<string, HostTensor> {
  const feeds: Record<string, HostTensor> = {};
  for (const name of [...plan.inputs, ...plan.labels]) {
    const t = plan.tensors.find((x) => x.name === name)!;
    const shape = t.shape.map((d) => (typeof d === 'number' ? d : d === 'batch' ? 2 : 5));
    const size = shape.reduce((a, b) => a * b, 1);
    feeds[name] = t.dtype === 'i32'
      ? { shape, dtype: 'i32', data: Int32Array.from({ length: size }, (_, i) => i % 2) }
      : { shape, dtype: 'f32', data: Float32Array.from({ length: size }, (_, i) => (Math.sin(i) + 1) / 2) };
  }
  return feeds;
}

function load(file: string) {
  const text = readFileSync(new URL(file, EXAMPLES), 'utf8');
  return { text, check: checkSource(text, { path: file }) };
}

describe('examples through the back end', () => {
  it('seed.nnet gives [0.60530524, 0.65013656] for x = [0.7, -1.5, 0.2] to 1e-6', async () => {
    const { text, check } = load('seed.nnet');
    const { plan, weights, diagnostics } = compileModel(check, 'Seed', { target: 'cpu', fuse: true, training: false, text, verify: true });
    expect(diagnostics).toEqual([]);
    const { y } = await createCpuExecutor(plan!, weights).infer({ x: f32([1, 3], [0.7, -1.5, 0.2]) });
    expect(Math.abs(y!.data[0]! - 0.60530524)).toBeLessThan(1e-6);
    expect(Math.abs(y!.data[1]! - 0.65013656)).toBeLessThan(1e-6);
  });

  for (const file of readdirSync(EXAMPLES).filter((f) => f.endsWith('.nnet'))) {
    it(`${file}: every model compiles, fused and unfused, validates, and takes a training step`, async () => {
      const { text, check } = load(file);
      const steps: Promise<void>[] = [];
      for (const model of check.models.filter((m) => m.ok)) {
        for (const fuse of [true, false]) {
          // The path: weights loaded from files (`load("data/...")`) are relative to the example.
          const result = compileModel(check, model.name, { target: 'cpu', fuse, training: model.train !== null, text, verify: true, path: new URL(file, EXAMPLES).pathname });
          if (NOT_YET.has(model.name)) {
            expect(result.diagnostics[0]?.code).toBe('NN5003');
            continue;
          }
          expect(result.diagnostics).toEqual([]);
          expect(() => validatePlan(JSON.parse(JSON.stringify(result.plan)))).not.toThrow();
          const executor = createCpuExecutor(result.plan!, result.weights);
          if (result.plan!.training) steps.push(executor.trainStep(randomFeeds(result.plan!), { lr: 1e-3, seed: 1 }).then((r) => expect(Number.isFinite(r.loss)).toBe(true)));
        }
      }
      await Promise.all(steps);
    });
  }
});
