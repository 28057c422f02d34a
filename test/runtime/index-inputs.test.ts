import { describe, expect, it } from 'vitest';
import { compileModel } from '../../compiler/compile.js';
import { checkSource } from '../../compiler/index.js';
import { createCpuExecutor } from '../../runtime/cpu/index.js';
import { DataError } from '../../runtime/data/errors.js';
import { indexInputRanges } from '../../runtime/index-inputs.js';
import type { Executor } from '../../runtime/executor.js';
import type { PlanTarget } from '../../runtime/plan/format.js';
import type { HostTensor } from '../../runtime/tensor.js';
import { createWebGpuExecutor } from '../../runtime/webgpu/index.js';
import { trainable, XOR_SOURCE } from './train/helpers.js';
import { testDevice } from './webgpu/gpu.js';

const SOURCE = `
model Tokens {
  input ids: [batch, 3] int
  e = embedding(ids, 5, 4)
  output e
}`;

const gpu = await testDevice();

function compiled(target: PlanTarget) {
  const result = compileModel(checkSource(SOURCE), 'Tokens', { target, fuse: true, training: false, text: SOURCE });
  const plan = result.plan!;
  const weights = new Map<string, HostTensor>();
  for (const [name, data] of result.weights) weights.set(name, { shape: plan.tensors.find((t) => t.name === name)!.shape as number[], dtype: data instanceof Int32Array ? 'i32' : 'f32', data });
  return { plan, weights };
}

const ids = (values: number[]): HostTensor => ({ shape: [1, 3], dtype: 'i32', data: Int32Array.from(values) });

async function refusal(executor: Executor, values: number[]): Promise<DataError> {
  try {
    await executor.infer({ ids: ids(values) });
  } catch (error) {
    expect(error).toBeInstanceOf(DataError);
    return error as DataError;
  }
  throw new Error('expected the ids to be refused');
}

describe('indices outside their range', () => {
  it('finds the inputs that index a table, with its row count and layer', () => {
    expect(indexInputRanges(compiled('cpu').plan)).toEqual([{ input: 'ids', count: 5, of: 'vocabulary', layer: "embedding 'e' at line 4:7" }]);
  });

  it('are an input error (NNR5005) on the CPU, naming the input, the value, its position and the layer', async () => {
    const { plan, weights } = compiled('cpu');
    const executor = createCpuExecutor(plan, weights);
    const error = await refusal(executor, [0, 1, 7]);
    expect(error.code).toBe('NNR5005');
    expect(error.message).toBe("input 'ids' holds 7 (sample 1 of the batch, index 2), outside the vocabulary [0, 4] of embedding 'e' at line 4:7");
    expect((await refusal(executor, [-1, 0, 0])).message).toMatch(/holds -1 \(sample 1 of the batch, index 0\)/);
    await expect(executor.infer({ ids: ids([4, 0, 2]) })).resolves.toBeDefined();
  });

  it('class labels of a sparse cross-entropy are checked the same way when training', async () => {
    const { plan, executor } = trainable(XOR_SOURCE);
    expect(indexInputRanges(plan)).toEqual([{ input: 'label', count: 2, of: 'classes', layer: expect.stringMatching(/^cross_entropy 'loss' at line \d+:\d+$/) }]);
    const x: HostTensor = { shape: [2, 2], dtype: 'f32', data: new Float32Array(4) };
    const label: HostTensor = { shape: [2], dtype: 'i32', data: Int32Array.of(1, 2) };
    await expect(executor.trainStep({ x, label }, { lr: 0.1, seed: 1 })).rejects.toThrow(/input 'label' holds 2 \(sample 2 of the batch\), outside the 2 classes \[0, 1\] of cross_entropy 'loss'/);
  });

  it.skipIf(!gpu)('are the same error on WebGPU, where the GPU would read zeros', async () => {
    const { plan, weights } = compiled('webgpu');
    const executor = await createWebGpuExecutor(plan, weights, { device: gpu!.device });
    const error = await refusal(executor, [0, 1, 7]);
    expect(error.message).toBe("input 'ids' holds 7 (sample 1 of the batch, index 2), outside the vocabulary [0, 4] of embedding 'e' at line 4:7");
    executor.dispose();
  });
});
