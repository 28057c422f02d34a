import { describe, expect, it } from 'vitest';
import { compileModel } from '../../../compiler/compile.js';
import { checkSource } from '../../../compiler/index.js';
import { createCpuExecutor } from '../../../runtime/cpu/index.js';
import { mulberry32 } from '../../../runtime/plan/random.js';
import type { Plan } from '../../../runtime/plan/format.js';
import { f32, i32, type HostTensor } from '../../../runtime/tensor.js';
import { createWebGpuExecutor } from '../../../runtime/webgpu/index.js';
import { exampleWebGpuPlans } from '../../compiler/emit/webgpu/example-plans.js';
import { readFileSync } from 'node:fs';
import { testDevice } from './gpu.js';

/**
 * Every example model, end to end on both back ends: the same compiled model (CPU plan and WebGPU
 * plan, same weights) on the same random batch (batch 2, symbolic lengths 6) gives the same outputs
 * (inference) and the same loss (`evaluate`: inference-mode forward + loss) within 1e-4.
 * Training steps are compared in the op suite and training tests: dropout masks differ by design.
 */
const gpu = await testDevice();

function feedsFor(plan: Plan, names: string[], seed: number): Record<string, HostTensor> {
  const random = mulberry32(seed);
  const feeds: Record<string, HostTensor> = {};
  for (const name of names) {
    const t = plan.tensors.find((x) => x.name === name)!;
    const shape = t.shape.map((d) => (typeof d === 'number' ? d : d === 'batch' ? 2 : 6));
    const size = shape.reduce((a, b) => a * b, 1);
    // Integer inputs are token ids or class labels: 0 and 1 are valid for every example.
    feeds[name] = t.dtype === 'i32' ? i32(shape, Array.from({ length: size }, () => Math.floor(random() * 2))) : f32(shape, Array.from({ length: size }, () => random()));
  }
  return feeds;
}

function maxAbsDiff(a: HostTensor, b: HostTensor): number {
  let worst = 0;
  for (let i = 0; i < a.data.length; i++) worst = Math.max(worst, Math.abs(a.data[i]! - b.data[i]!));
  return worst;
}

describe.skipIf(!gpu)('examples: CPU and WebGPU agree', () => {
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
      const inputs = feedsFor(cpuPlan!, cpuPlan!.inputs, 7);
      const expected = await cpu.infer(inputs);
      const actual = await webgpu.infer(inputs);
      for (const [name, want] of Object.entries(expected)) {
        expect(actual[name]!.shape, name).toEqual(want.shape);
        expect(maxAbsDiff(actual[name]!, want), `${name}: max abs diff`).toBeLessThanOrEqual(1e-4);
      }
      if (training) {
        const all = { ...inputs, ...feedsFor(cpuPlan!, cpuPlan!.labels, 8) };
        const cpuLoss = (await cpu.evaluate(all)).loss;
        const gpuLoss = (await webgpu.evaluate(all)).loss;
        expect(Math.abs(gpuLoss - cpuLoss), `loss ${gpuLoss} vs ${cpuLoss}`).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(cpuLoss)));
      }
      webgpu.dispose();
    });
  }
});
