import { describe, expect, it } from 'vitest';
import { compileModel } from '../../../compiler/compile.js';
import { checkSource } from '../../../compiler/index.js';
import { validatePlan } from '../../../runtime/plan/validate.js';
import { trainable } from '../../runtime/train/helpers.js';

// Issue 10: concat along a symbolic axis checked and ran, but compiling it for training ended in
// "internal error: concat gradient needs concrete sizes".
const SOURCE = `
model Cat {
  input x: [batch, seq, 3]
  input y: [batch, 1]
  a = dense(x, 3)
  c = concat(x, a, axis: 1)
  output out = c |> global_avgpool |> dense(1)
  train {
    loss mse(out, y)
    optimizer sgd(lr: 0.1)
    epochs 1  batch 2
  }
}
`;

describe('concat along a symbolic axis, trained', () => {
  it('compiles for training with slice bounds as dim expressions and a step on two sequence lengths lowers the loss', async () => {
    const { plan, executor } = trainable(SOURCE);
    expect(() => validatePlan(plan)).not.toThrow();
    const slices = plan.backward.filter((s) => s.kernel === 'slice');
    expect(slices.map((s) => s.attrs.start)).toEqual(['seq']);
    for (const seq of [2, 3]) {
      const data = Float32Array.from({ length: 2 * seq * 3 }, (_, i) => Math.sin(i + seq));
      const x = { shape: [2, seq, 3], dtype: 'f32' as const, data };
      const y = { shape: [2, 1], dtype: 'f32' as const, data: Float32Array.of(0.5, -0.5) };
      const inputs = { [plan.inputs[0]!]: x, [plan.labels[0]!]: y };
      const before = (await executor.evaluate(inputs)).loss;
      const step = await executor.trainStep(inputs, { lr: 0.1, seed: 1 });
      const after = (await executor.evaluate(inputs)).loss;
      expect(Number.isFinite(step.loss)).toBe(true);
      expect(after).toBeLessThan(before);
    }
  });

  it('emits the WebGPU slice with its start as a dim expression param', () => {
    const result = compileModel(checkSource(SOURCE), 'Cat', { target: 'webgpu', fuse: true, training: true, text: SOURCE, initialiseWeights: false });
    expect(result.diagnostics).toEqual([]);
    const plan = result.plan!;
    expect(() => validatePlan(plan)).not.toThrow();
    const slice = plan.backward.find((s) => s.kernel === 'slice')!;
    expect(plan.programs[slice.program!]!.params).toContainEqual({ name: 'start', type: 'u32', value: 'seq' });
  });
});
