import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../../compiler/compile.js';
import { emitWebGpuPrograms } from '../../../compiler/emit/webgpu/index.js';
import type { Plan } from '../../../runtime/plan/format.js';
import { f32 } from '../../../runtime/tensor.js';
import { acquireDevice, createWebGpuExecutor, WebGpuError } from '../../../runtime/webgpu/index.js';
import { seedGraph } from '../../compiler/layer-graph.js';
import { testDevice } from './gpu.js';

/** What users see when something is wrong: stable NNR6xxx codes and messages that say what to do. */
const gpu = await testDevice();

function seedPlan(): { plan: Plan; weights: Map<string, Float32Array | Int32Array> } {
  const { plan, weights } = compileGraph(seedGraph().graph, 'Seed', null, { target: 'cpu', fuse: true, training: false });
  return { plan: emitWebGpuPrograms(plan!), weights };
}

async function rejection(promise: Promise<unknown>): Promise<WebGpuError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(WebGpuError);
    return error as WebGpuError;
  }
  throw new Error('expected a rejection');
}

describe('WebGPU runtime errors', () => {
  it('no adapter: NNR6001 says how to get one', async () => {
    // Dawn finds no adapter of a vendor that does not exist, which stands in for a machine without one.
    const error = await rejection(acquireDevice({ dawnOptions: ['adapter=no-such-adapter-anywhere'] }));
    expect(error.code).toBe('NNR6001');
    expect(error.message).toMatch(/scripts\/install-vulkan\.sh/);
    expect(error.message).toMatch(/--target cpu/);
  });

  it.skipIf(!gpu)('a CPU plan: NNR6002 asks for --target webgpu', async () => {
    const { plan, weights } = compileGraph(seedGraph().graph, 'Seed', null, { target: 'cpu', fuse: true, training: false });
    const error = await rejection(createWebGpuExecutor(plan!, weights, { device: gpu!.device }));
    expect(error.code).toBe('NNR6002');
    expect(error.message).toMatch(/--target webgpu/);
  });

  it.skipIf(!gpu)('a malformed program: NNR6002 names it', async () => {
    const { plan, weights } = seedPlan();
    const key = Object.keys(plan.programs)[0]!;
    const broken = { ...plan, programs: { ...plan.programs, [key]: { ...plan.programs[key]!, code: 'fn main( {' } } };
    const error = await rejection(createWebGpuExecutor(broken, weights, { device: gpu!.device }));
    expect(error.code).toBe('NNR6002');
    expect(error.message).toContain(key);
  });

  it.skipIf(!gpu)('an input of the wrong shape: NNR6005', async () => {
    const { plan, weights } = seedPlan();
    const executor = await createWebGpuExecutor(plan, weights, { device: gpu!.device });
    const error = await rejection(executor.infer({ x: f32([1, 4], [1, 2, 3, 4]) }));
    expect(error.code).toBe('NNR6005');
    expect(error.message).toContain("input 'x' has shape [1, 4], expected [batch, 3]");
    executor.dispose();
  });

  it.skipIf(!gpu)('a failed allocation: NNR6003, no hang', async () => {
    // A scratch activation of batch × 2³⁰ floats that no step uses: far beyond any device's buffer
    // limit. (An activation whose shape does not follow from its step's inputs, as this test once
    // used, is now refused by plan validation: NNR1015, below.)
    const { plan, weights } = seedPlan();
    const huge: Plan = {
      ...plan,
      dims: { ...plan.dims, huge: 2 ** 30 },
      tensors: [...plan.tensors, { name: 'scratch', shape: ['batch', 'huge'], dtype: 'f32', role: 'activation' }],
    };
    const executor = await createWebGpuExecutor(huge, weights, { device: gpu!.device });
    const error = await rejection(executor.infer({ x: f32([2, 3], [0, 0, 0, 0, 0, 0]) }));
    expect(error.code).toBe('NNR6003');
    expect(error.message).toMatch(/batch=2/);
    executor.dispose();
  });

  it('an activation shape that does not follow from its step is refused before any allocation (NNR1015)', async () => {
    const { plan, weights } = seedPlan();
    const huge: Plan = {
      ...plan,
      dims: { ...plan.dims, huge: 2 ** 30 },
      tensors: plan.tensors.map((t) => (t.role === 'activation' && t.name === plan.forward[0]!.outputs[0] ? { ...t, shape: ['batch', 'huge'] } : t)),
    };
    await expect(createWebGpuExecutor(huge, weights, gpu ? { device: gpu.device } : {})).rejects.toMatchObject({ code: 'NNR1015' });
  });
});
