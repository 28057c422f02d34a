import { describe, expect, it } from 'vitest';
import { emitWebGpuPrograms } from '../../../compiler/emit/webgpu/index.js';
import type { Executor } from '../../../runtime/executor.js';
import { createCpuExecutor } from '../../../runtime/cpu/index.js';
import type { HostTensor } from '../../../runtime/tensor.js';
import { createWebGpuExecutor } from '../../../runtime/webgpu/index.js';
import { testDevice } from './gpu.js';
import { OP_CASES, type OpCase } from './op-cases.js';
import { opPlan } from './op-plan.js';

/**
 * The one op suite: every kernel WebGPU implements, forward and backward, run on the CPU back end
 * and on WebGPU (lavapipe in CI) from the same one-step plan; max abs difference ≤ 1e-4 unless a case
 * states its own tolerance.
 */
const gpu = await testDevice();

async function runCase(executor: Executor, c: OpCase, feeds: Record<string, HostTensor>, stored: string[]): Promise<Map<string, HostTensor>> {
  const results = new Map<string, HostTensor>();
  if (c.mode === 'update' || c.mode === 'train-forward') {
    const outputs = executor.plan.outputs.map((o) => o.name);
    const step = await executor.trainStep(feeds, { lr: 0.05, seed: 3, outputs });
    for (const [k, v] of Object.entries(step.outputs)) results.set(k, v);
    // Two steps for optimizers, so slot updates and the step counter (Adam's bias correction) count.
    if (c.mode === 'update') await executor.trainStep(feeds, { lr: 0.05, seed: 4 });
    const weights = await executor.getWeights();
    const slots = (await executor.getOptimizerState()).slots;
    for (const name of stored) results.set(name, weights.get(name) ?? slots.get(name)!);
  } else {
    for (const [k, v] of Object.entries(await executor.infer(feeds))) results.set(k, v);
  }
  return results;
}

function maxAbsDiff(a: HostTensor, b: HostTensor): number {
  let worst = 0;
  for (let i = 0; i < a.data.length; i++) worst = Math.max(worst, Math.abs(a.data[i]! - b.data[i]!));
  return a.data.length === b.data.length ? worst : Infinity;
}

describe.skipIf(!gpu)('op suite: CPU vs WebGPU', () => {
  for (const c of OP_CASES) {
    it(`${c.name} (${c.kernel})`, async () => {
      const { plan, weights, feeds, stored } = opPlan(c);
      const cpu = createCpuExecutor(plan, weights);
      const webgpu = await createWebGpuExecutor(emitWebGpuPrograms(plan), weights, { device: gpu!.device });
      const expected = await runCase(cpu, c, feeds, stored);
      const actual = await runCase(webgpu, c, feeds, stored);
      webgpu.dispose();
      expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [name, want] of expected) {
        const got = actual.get(name)!;
        expect(got.shape, name).toEqual(want.shape);
        expect(maxAbsDiff(got, want), `${name}: max abs diff`).toBeLessThanOrEqual(c.tolerance ?? 1e-4);
      }
    });
  }
});
