import { describe, expect, it } from 'vitest';
import { parseKernelName } from '../../../runtime/plan/kernels.js';
import { ONNX_OPS } from '../../../runtime/export/onnx-ops.js';
import { compareWithOnnxRuntime, compiled } from './onnx-harness.js';
import { RANDOM_MODEL_SEEDS, randomModel } from './random-models.js';

/** Seeded random models (test/runtime/export/random-models.ts), fused and unfused, in onnxruntime against nnet run. */

describe('ONNX export of seeded random models, run in onnxruntime against nnet run (tolerance 1e-5)', () => {
  const reached = new Set<string>();
  for (const seed of RANDOM_MODEL_SEEDS) {
    it(`model ${seed}`, async () => {
      const source = randomModel(seed);
      for (const fuse of [true, false]) {
        const model = compiled(source, { fuse });
        for (const step of model.plan.forward) for (const part of step.kernel.split('+')) reached.add(part);
        const { maxDiff } = await compareWithOnnxRuntime(model, seed);
        expect(maxDiff, `${source}fuse: ${fuse}`).toBeLessThan(1e-5);
      }
    });
  }

  it('reach every kernel the language produces at inference', () => {
    // scale, copy, slice and log_softmax come from gradients and losses, not from layers, the
    // compiler drops a linear activation, and the random models draw no random_normal (a layer
    // whose inference output is a constant): the op cases (onnx-op-cases.test.ts) cover them.
    const notFromLayers = ['scale', 'copy', 'slice', 'log_softmax', 'linear', 'random'];
    const mapped = Object.keys(ONNX_OPS).filter((k) => !notFromLayers.includes(k));
    expect(mapped.filter((k) => !reached.has(parseKernelName(k).base))).toEqual([]);
  });
});
