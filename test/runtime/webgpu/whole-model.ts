import { expect } from 'vitest';
import { compileModel } from '../../../compiler/compile.js';
import { checkSource } from '../../../compiler/index.js';
import { createCpuExecutor } from '../../../runtime/cpu/index.js';
import { mulberry32 } from '../../../runtime/plan/random.js';
import type { Plan } from '../../../runtime/plan/format.js';
import { f32, type HostTensor } from '../../../runtime/tensor.js';
import { createWebGpuExecutor } from '../../../runtime/webgpu/index.js';

/** The tolerance between the CPU and WebGPU back ends (the op suite's). */
const TOLERANCE = 1e-4;

/** Seeded feeds for `names`: the batch bound to 3, other symbolic dims to 5; integer inputs (ids, classes) below 4. */
function feedsFor(plan: Plan, names: string[], seed: number): Record<string, HostTensor> {
  const random = mulberry32(seed);
  const feeds: Record<string, HostTensor> = {};
  for (const name of names) {
    const t = plan.tensors.find((x) => x.name === name)!;
    const shape = t.shape.map((d) => (typeof d === 'number' ? d : d === 'batch' ? 3 : 5));
    const size = shape.reduce((a, b) => a * b, 1);
    feeds[name] = t.dtype === 'i32' ? { shape, dtype: 'i32', data: Int32Array.from({ length: size }, () => Math.floor(random() * 4)) } : f32(shape, Array.from({ length: size }, () => random()));
  }
  return feeds;
}

function maxAbsDiff(a: HostTensor, b: HostTensor): number {
  let worst = a.data.length === b.data.length ? 0 : Infinity;
  for (let i = 0; i < a.data.length; i++) worst = Math.max(worst, Math.abs(a.data[i]! - b.data[i]!));
  return worst;
}

/**
 * Compiles the source's first model for training on both back ends and expects, within 1e-4: the same
 * outputs, the same loss of one Adam step, and the same weights after it.
 */
export async function expectBackEndsAgree(text: string, device: GPUDevice): Promise<void> {
  const check = checkSource(text, { path: 'model.nnet' });
  expect(check.diagnostics).toEqual([]);
  const model = check.models[0]!.name;
  const { plan: cpuPlan, weights } = compileModel(check, model, { target: 'cpu', fuse: true, training: true });
  const { plan: gpuPlan } = compileModel(check, model, { target: 'webgpu', fuse: true, training: true });
  const cpu = createCpuExecutor(cpuPlan!, weights);
  const webgpu = await createWebGpuExecutor(gpuPlan!, weights, { device });
  const inputs = feedsFor(cpuPlan!, cpuPlan!.inputs, 7);
  const expected = await cpu.infer(inputs);
  const actual = await webgpu.infer(inputs);
  for (const [output, want] of Object.entries(expected)) {
    expect(actual[output]!.shape, output).toEqual(want.shape);
    expect(maxAbsDiff(actual[output]!, want), `${output}: max abs diff`).toBeLessThanOrEqual(TOLERANCE);
  }
  const all = { ...inputs, ...feedsFor(cpuPlan!, cpuPlan!.labels, 8) };
  const cpuStep = await cpu.trainStep(all, { lr: 0.01, seed: 1 });
  const gpuStep = await webgpu.trainStep(all, { lr: 0.01, seed: 1 });
  expect(Math.abs(gpuStep.loss - cpuStep.loss)).toBeLessThanOrEqual(TOLERANCE * Math.max(1, Math.abs(cpuStep.loss)));
  const [cpuWeights, gpuWeights] = [await cpu.getWeights(), await webgpu.getWeights()];
  for (const [weight, want] of cpuWeights) expect(maxAbsDiff(gpuWeights.get(weight)!, want), weight).toBeLessThanOrEqual(TOLERANCE);
  webgpu.dispose();
}
