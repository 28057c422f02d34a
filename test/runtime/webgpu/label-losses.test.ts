import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../../compiler/compile.js';
import { emitWebGpuPrograms } from '../../../compiler/emit/webgpu/index.js';
import type { LossKind } from '../../../compiler/train-config.js';
import { createCpuExecutor } from '../../../runtime/cpu/index.js';
import type { HostTensor } from '../../../runtime/tensor.js';
import { createWebGpuExecutor } from '../../../runtime/webgpu/index.js';
import { LayerGraph, trainConfig } from '../../compiler/layer-graph.js';
import { testDevice } from './gpu.js';

const gpu = await testDevice();

/** The cross-entropies with label smoothing and class weights: WebGPU's loss and weights after two sgd steps within 1e-4 of the CPU's. */
const CASES: Array<[string, LossKind, boolean, boolean, string | null, number[]]> = [
  ['sparse from logits', 'cross_entropy', true, true, null, [1, 2, 0.5]],
  ['sparse from probabilities', 'cross_entropy', false, true, 'softmax', [0.5, 1, 3]],
  ['dense from logits', 'cross_entropy', true, false, null, [2, 1, 1]],
  ['dense from probabilities', 'cross_entropy', false, false, 'softmax', [1, 1, 4]],
  ['binary from logits', 'binary_cross_entropy', true, false, null, [0.5, 3]],
  ['binary from probabilities', 'binary_cross_entropy', false, false, 'sigmoid', [2, 1]],
];

describe.skipIf(!gpu)('label smoothing and class weights on WebGPU', () => {
  it.each(CASES)('%s', async (_, kind, fromLogits, sparse, head, classWeights) => {
    const g = new LayerGraph();
    const x = g.input('x', ['batch', 4]);
    const y = g.dense('y', x, 3, head);
    g.output('y', y);
    const t = sparse ? g.label('t', ['batch'], 'i32') : g.label('t', ['batch', 3]);
    const config = trainConfig({ kind, pred: y, target: t, fromLogits, sparse, smoothing: 0.1, classWeights }, { kind: 'sgd', lr: 0.1, momentum: 0, nesterov: false }, { seed: 3 });
    const { plan, weights } = compileGraph(g.graph, 'L', config, { target: 'cpu', fuse: true, training: true });
    const initial = new Map<string, HostTensor>();
    for (const [name, data] of weights) {
      const tensor = plan!.tensors.find((v) => v.name === name)!;
      initial.set(name, { shape: tensor.shape as number[], dtype: tensor.dtype, data: data.slice() });
    }
    const feeds: Record<string, HostTensor> = {
      x: { shape: [3, 4], dtype: 'f32', data: Float32Array.from({ length: 12 }, (_, i) => Math.sin(i + 1)) },
      t: sparse
        ? { shape: [3], dtype: 'i32', data: Int32Array.from([2, 0, 1]) }
        : { shape: [3, 3], dtype: 'f32', data: Float32Array.from(kind === 'binary_cross_entropy' ? [1, 0, 1, 0, 0, 1, 1, 1, 0] : [0, 0, 1, 0.2, 0.5, 0.3, 1, 0, 0]) },
    };
    const cpu = createCpuExecutor(plan!, initial);
    const webgpu = await createWebGpuExecutor(emitWebGpuPrograms(plan!), initial, { device: gpu!.device });
    for (let step = 0; step < 2; step++) {
      const a = await cpu.trainStep(feeds, { lr: 0.1, seed: step });
      const b = await webgpu.trainStep(feeds, { lr: 0.1, seed: step });
      expect(Math.abs(a.loss - b.loss)).toBeLessThan(1e-4);
    }
    const [wc, wg] = [await cpu.getWeights(), await webgpu.getWeights()];
    for (const [name, tensor] of wc) tensor.data.forEach((v, i) => expect(Math.abs(v - wg.get(name)!.data[i]!), `${name}[${i}]`).toBeLessThan(1e-4));
    webgpu.dispose();
  });
});
