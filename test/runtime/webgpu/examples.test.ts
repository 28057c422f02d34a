import { describe, expect, it } from 'vitest';
import { compileModel } from '../../../compiler/compile.js';
import { checkSource } from '../../../compiler/index.js';
import { createCpuExecutor } from '../../../runtime/cpu/index.js';
import { randomInputs } from '../../../runtime/verify/random-inputs.js';
import { TARGET_TOLERANCES, verifyLayers } from '../../../runtime/verify/verify.js';
import { createWebGpuExecutor } from '../../../runtime/webgpu/index.js';
import { exampleWebGpuPlans } from '../../compiler/emit/webgpu/example-plans.js';
import { readFileSync } from 'node:fs';
import { testDevice } from './gpu.js';

/**
 * Every example model, end to end on both back ends, with the comparison `nnet verify` makes
 * (runtime/verify/): the same compiled model (CPU plan and WebGPU plan, same weights) on the same
 * seeded random batch (batch 2, other symbolic dims 6) gives every layer's values within the CPU-vs-
 * WebGPU tolerance (1e-4 × max(1, |value|)), and the same loss (`evaluate`: inference-mode forward +
 * loss). Training steps are compared in the op suite and training tests: dropout masks differ by design.
 */
const gpu = await testDevice();
const tolerance = TARGET_TOLERANCES.webgpu;

describe.skipIf(!gpu)('examples: CPU and WebGPU agree, layer by layer', () => {
  for (const example of exampleWebGpuPlans()) {
    it(example.name, async () => {
      const webgpuPlan = example.plan!;
      const file = example.path;
      const text = readFileSync(file, 'utf8');
      const check = checkSource(text, { path: file });
      const training = webgpuPlan.training !== null;
      const { plan: cpuPlan, weights } = compileModel(check, webgpuPlan.model, { target: 'cpu', fuse: true, training, text, path: file });
      const { weights: gpuWeights } = compileModel(check, webgpuPlan.model, { target: 'webgpu', fuse: true, training, text, path: file });
      const cpu = createCpuExecutor(cpuPlan!, weights);
      const webgpu = await createWebGpuExecutor(webgpuPlan, gpuWeights, { device: gpu!.device });
      const inputs = randomInputs(cpuPlan!, 7);
      const result = await verifyLayers(cpuPlan!, (i, n) => cpu.inferTensors(i, n), (i, n) => webgpu.inferTensors(i, n), inputs, tolerance);
      expect(result.layers.length).toBeGreaterThan(0);
      for (const layer of result.layers) {
        expect(layer.diff, `${layer.layer}: compared`).not.toBeNull();
        expect(layer.passed, `${layer.layer} (${layer.op} at line ${layer.line}): max abs ${layer.diff?.maxAbs} in ${layer.worst}`).toBe(true);
      }
      const expected = await cpu.infer(inputs);
      const actual = await webgpu.infer(inputs);
      for (const [name, want] of Object.entries(expected)) expect(actual[name]!.shape, name).toEqual(want.shape);
      if (training) {
        const all = randomInputs(cpuPlan!, 8, { labels: true });
        const cpuLoss = (await cpu.evaluate(all)).loss;
        const gpuLoss = (await webgpu.evaluate(all)).loss;
        expect(Math.abs(gpuLoss - cpuLoss), `loss ${gpuLoss} vs ${cpuLoss}`).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(cpuLoss)));
      }
      webgpu.dispose();
    });
  }
});
