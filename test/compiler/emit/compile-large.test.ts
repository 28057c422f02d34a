import { describe, expect, it } from 'vitest';
import { compileModel } from '../../../compiler/compile.js';
import { initialValues, hashSeed } from '../../../compiler/emit/init-weights.js';
import { mulberry32 } from '../../../runtime/plan/random.js';
import { checkSource } from '../../../compiler/index.js';
// The generated model that bench/parse-check.mjs and bench/cpu time.
import { generateModel } from '../../../bench/generated-model.mjs';

/**
 * The 1,000-layer model compiles for training to the same plan as before the compile-time work
 * (issue 9: index maps instead of scans): the operation counts are pinned, and the loss steps that
 * lead the backward pass are exactly the steps writing a loss tensor. Wall time is the bench's job.
 */
describe('compiling a 1,000-layer model for training', () => {
  const { text } = generateModel(1000);
  const check = checkSource(text);

  it('emits the same steps, tensors and weights', () => {
    const { plan, weights, diagnostics } = compileModel(check, 'Big', { target: 'cpu', fuse: true, training: true, text });
    expect(diagnostics).toEqual([]);
    expect([plan!.forward.length, plan!.backward.length, plan!.update.length, plan!.training!.lossSteps]).toEqual([876, 2996, 1250, 249]);
    expect(plan!.tensors.length).toBe(7750);
    expect(weights.size).toBe(3750);
    const roles = new Map(plan!.tensors.map((t) => [t.name, t.role]));
    const lossSteps = plan!.backward.slice(0, plan!.training!.lossSteps);
    // Every loss step writes a tensor of the loss subgraph; the scalar loss is written by one of them.
    expect(lossSteps.some((s) => s.outputs.includes(plan!.training!.loss))).toBe(true);
    for (const step of plan!.backward.slice(plan!.training!.lossSteps)) expect(step.outputs).not.toContain(plan!.training!.loss);
    expect(roles.get(plan!.training!.loss)).toBe('loss');
  });
});

describe('uniform initialisers', () => {
  it('draw the values of the mulberry32 stream, (u·2 − 1)·limit', () => {
    const shape = [7, 5];
    const values = initialValues({ kind: 'glorot_uniform' }, shape, 3, 'layer.weight');
    const next = mulberry32(hashSeed(3, 'layer.weight'));
    const limit = Math.sqrt(6 / (5 + 7));
    expect(Array.from(values)).toEqual(Array.from(Float32Array.from({ length: 35 }, () => (next() * 2 - 1) * limit)));
  });
});
