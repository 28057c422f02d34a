import { describe, expect, it } from 'vitest';
import { emitWebGpuPrograms } from '../../../compiler/emit/webgpu/index.js';
import { createCpuExecutor } from '../../../runtime/cpu/index.js';
import { f32, i32 } from '../../../runtime/tensor.js';
import { createWebGpuExecutor } from '../../../runtime/webgpu/index.js';
import { testDevice } from './gpu.js';
import { xorModel } from './models.js';

/** The executor contract beyond single steps: batch sizes, weights and optimizer state round trips. */
const gpu = await testDevice();

describe.skipIf(!gpu)('WebGPU executor', () => {
  it('binds any batch size, including more sizes than it keeps bound at once', async () => {
    const { plan, weights } = xorModel();
    const cpu = createCpuExecutor(plan, weights);
    const webgpu = await createWebGpuExecutor(emitWebGpuPrograms(plan), weights, { device: gpu!.device });
    for (const batch of [1, 3, 2, 5, 7, 1, 3]) {
      const x = f32([batch, 2], Array.from({ length: batch * 2 }, (_, i) => (i % 3) - 1));
      const want = (await cpu.infer({ x })).logits!;
      const got = (await webgpu.infer({ x })).logits!;
      expect(got.shape).toEqual([batch, 2]);
      got.data.forEach((v, i) => expect(Math.abs(v - want.data[i]!)).toBeLessThan(1e-5));
    }
    webgpu.dispose();
  });

  it('round-trips weights and optimizer state, and training resumes identically from them', async () => {
    const { plan, weights } = xorModel();
    const gpuPlan = emitWebGpuPrograms(plan);
    const a = await createWebGpuExecutor(gpuPlan, weights, { device: gpu!.device });
    const feeds = { x: f32([4, 2], [0, 0, 0, 1, 1, 0, 1, 1]), label: i32([4], [0, 1, 1, 0]) };
    for (let s = 0; s < 3; s++) await a.trainStep(feeds, { lr: 0.05, seed: s });
    const saved = { weights: await a.getWeights(), optimizer: await a.getOptimizerState() };
    expect(saved.optimizer.step).toBe(3);
    expect(saved.optimizer.slots.size).toBeGreaterThan(0);

    const b = await createWebGpuExecutor(gpuPlan, weights, { device: gpu!.device });
    await b.setWeights(saved.weights);
    await b.setOptimizerState(saved.optimizer);
    const next = { lr: 0.05, seed: 9 };
    const lossA = (await a.trainStep(feeds, next)).loss;
    const lossB = (await b.trainStep(feeds, next)).loss;
    expect(lossB).toBe(lossA);
    const wa = await a.getWeights();
    const wb = await b.getWeights();
    for (const [name, t] of wa) expect(Array.from(wb.get(name)!.data), name).toEqual(Array.from(t.data));
    a.dispose();
    b.dispose();
  });
});
