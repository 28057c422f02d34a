import { describe, expect, it } from 'vitest';
import { emitWebGpuPrograms } from '../../../compiler/emit/webgpu/index.js';
import { createCpuExecutor } from '../../../runtime/cpu/index.js';
import { loadBuiltin } from '../../../runtime/data/builtins.js';
import { readLoopConfig } from '../../../runtime/train/config.js';
import { evaluateDataset, trainModel } from '../../../runtime/train/loop.js';
import { createWebGpuExecutor } from '../../../runtime/webgpu/index.js';
import { testDevice } from './gpu.js';
import { digitsModel, xorModel } from './models.js';

/**
 * Training on WebGPU through the real training loop (runtime/train): xor to 100%, and a digits MLP
 * for one epoch (all 8,000 training images of the built-in digits) landing within 1% accuracy of the
 * CPU run with the same seed and initial weights. The hidden layer is 32 wide to keep the run a few
 * seconds on lavapipe (~0.5 GFLOP/s).
 */
const gpu = await testDevice();

describe.skipIf(!gpu)('training on WebGPU', () => {
  it('xor reaches 100% accuracy', async () => {
    const { plan, weights } = xorModel();
    const webgpuPlan = emitWebGpuPrograms(plan);
    const executor = await createWebGpuExecutor(webgpuPlan, weights, { device: gpu!.device });
    const config = readLoopConfig(webgpuPlan, { validation: 0 });
    const data = loadBuiltin('xor');
    await trainModel({ executor, plan: webgpuPlan, config, train: data.train, validation: null });
    const result = await evaluateDataset(executor, webgpuPlan, config, data.test!);
    expect(result.accuracy).toBe(1);
    expect(result.loss).toBeLessThan(0.1);
    executor.dispose();
  });

  it('digits MLP, one epoch: WebGPU accuracy within 1% of the CPU run', async () => {
    const { plan, weights } = digitsModel();
    const data = loadBuiltin('digits');
    const train = data.train;
    const test = data.test!;
    const accuracy = async (webgpu: boolean): Promise<number> => {
      const runPlan = webgpu ? emitWebGpuPrograms(plan) : plan;
      const executor = webgpu ? await createWebGpuExecutor(runPlan, weights, { device: gpu!.device }) : createCpuExecutor(runPlan, weights);
      const config = readLoopConfig(runPlan, { validation: 0 });
      await trainModel({ executor, plan: runPlan, config, train, validation: null });
      const result = await evaluateDataset(executor, runPlan, config, test);
      executor.dispose();
      return result.accuracy!;
    };
    let t0 = performance.now();
    const cpu = await accuracy(false);
    const cpuSeconds = (performance.now() - t0) / 1000;
    t0 = performance.now();
    const webgpu = await accuracy(true);
    console.log(`digits MLP one epoch: CPU accuracy ${cpu} (${cpuSeconds.toFixed(1)} s), WebGPU ${webgpu} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    expect(cpu).toBeGreaterThan(0.7);
    expect(Math.abs(webgpu - cpu)).toBeLessThanOrEqual(0.01);
  }, 300_000);
});
