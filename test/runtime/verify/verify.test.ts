import { describe, expect, it } from 'vitest';
import { createCpuExecutor } from '../../../runtime/cpu/index.js';
import { emitWebGpuPrograms } from '../../../compiler/emit/webgpu/index.js';
import type { Plan } from '../../../runtime/plan/format.js';
import { planLayers } from '../../../runtime/verify/layers.js';
import { onnxTracer } from '../../../runtime/verify/onnx-tracer.js';
import { randomInputs } from '../../../runtime/verify/random-inputs.js';
import { TARGET_TOLERANCES, verifyLayers, type Tracer } from '../../../runtime/verify/verify.js';
import { createWebGpuExecutor } from '../../../runtime/webgpu/index.js';
import { testDevice } from '../webgpu/gpu.js';
import { compileProbe, withWrongAdd } from './verify-model.js';

/**
 * `nnet verify`'s comparison with a deliberately wrong CPU kernel (`add` off by 1e-3 in one element):
 * the layer that runs it is the first one past the tolerance, the layers before it agree, and without
 * the injection every layer agrees. Against ONNX (onnxruntime-web, always here) and WebGPU (lavapipe;
 * skipped without an adapter); and the other way round, a wrong WebGPU `add` (its WGSL edited).
 */
const gpu = await testDevice();

describe('the plan layers verify compares', () => {
  it('one row per source layer in execution order, a fused step under the layer it came from', () => {
    const { plan } = compileProbe();
    const layers = planLayers(plan);
    expect(layers.map((l) => [l.layer, l.op, l.line, l.column])).toEqual([
      ['h', 'dense', 3, 7],
      ['s/dense', 'dense', 4, 14],
      ['s', 'add', 4, 7],
      ['y', 'dense', 5, 7],
      ['probs', 'softmax', 6, 18],
    ]);
    expect(layers[0]!.tensors).toEqual([plan.forward[0]!.outputs[0]]);
    expect(plan.forward[0]!.kernel).toBe('matmul+bias+tanh');
  });
});

async function check(target: (plan: ReturnType<typeof compileProbe>) => Promise<Tracer>, tolerance: number): Promise<void> {
  const probe = compileProbe();
  const inputs = randomInputs(probe.plan);
  const trace = await target(probe);
  const right = createCpuExecutor(probe.plan, probe.weights);
  const passing = await verifyLayers(probe.plan, (i, n) => right.inferTensors(i, n), trace, inputs, tolerance);
  expect(passing.firstFailure).toBe(-1);
  expect(passing.layers.every((l) => l.diff !== null && l.diff.maxAbs <= tolerance)).toBe(true);

  const failing = await withWrongAdd(1e-3, async () => {
    const wrong = createCpuExecutor(probe.plan, probe.weights);
    return verifyLayers(probe.plan, (i, n) => wrong.inferTensors(i, n), trace, inputs, tolerance);
  });
  expect(failing.layers[failing.firstFailure]!.layer).toBe('s');
  expect(failing.layers.slice(0, failing.firstFailure).every((l) => l.passed)).toBe(true);
  const s = failing.layers[failing.firstFailure]!;
  expect(s.diff!.maxAbs).toBeGreaterThan(0.9e-3);
  expect(s.diff!.maxAbs).toBeLessThan(1.1e-3);
}

/** The WebGPU plan of the probe with its `add` program off by 1e-3 in element 2 (its WGSL edited). */
function wrongWebGpuAdd(plan: Plan): Plan {
  const gpuPlan = emitWebGpuPrograms(plan);
  const key = gpuPlan.forward.find((s) => s.kernel === 'add')!.program!;
  const program = gpuPlan.programs[key]!;
  const code = program.code.replace('y[i] = a[i] + b[i];', 'y[i] = a[i] + b[i] + select(0.0, 0.001, i == 2u);');
  expect(code).not.toBe(program.code);
  return { ...gpuPlan, programs: { ...gpuPlan.programs, [key]: { ...program, code } } };
}

describe('verify finds an injected wrong kernel', () => {
  it('against ONNX (tolerance 1e-5)', async () => {
    await check(async ({ plan, weights }) => (await onnxTracer(plan, weights)).trace, TARGET_TOLERANCES.onnx);
  });

  it.skipIf(!gpu)('against WebGPU (tolerance 1e-4)', async () => {
    await check(async ({ plan, weights }) => {
      const executor = await createWebGpuExecutor(emitWebGpuPrograms(plan), weights, { device: gpu!.device });
      return (i, n) => executor.inferTensors(i, n);
    }, TARGET_TOLERANCES.webgpu);
  });

  it.skipIf(!gpu)('a wrong WebGPU kernel: its layer is marked first', async () => {
    const { plan, weights } = compileProbe();
    const inputs = randomInputs(plan);
    const cpu = createCpuExecutor(plan, weights);
    const webgpu = await createWebGpuExecutor(wrongWebGpuAdd(plan), weights, { device: gpu!.device });
    const result = await verifyLayers(plan, (i, n) => cpu.inferTensors(i, n), (i, n) => webgpu.inferTensors(i, n), inputs, TARGET_TOLERANCES.webgpu);
    webgpu.dispose();
    expect(result.firstFailure).toBe(2);
    expect(result.layers[2]!.layer).toBe('s');
    expect(result.layers[result.firstFailure]!.diff!.maxAbs).toBeCloseTo(1e-3, 5);
  });
});
