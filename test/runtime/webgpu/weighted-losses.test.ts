import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../../compiler/compile.js';
import { emitWebGpuPrograms } from '../../../compiler/emit/webgpu/index.js';
import { createCpuExecutor } from '../../../runtime/cpu/index.js';
import type { HostTensor } from '../../../runtime/tensor.js';
import { createWebGpuExecutor } from '../../../runtime/webgpu/index.js';
import { trainConfig } from '../../compiler/layer-graph.js';
import { twoHeadFeeds, twoHeads } from '../../compiler/autodiff/two-heads.js';
import { testDevice } from './gpu.js';

const gpu = await testDevice();

/** `cross_entropy(a, y) + 0.5 * mse(b, z) - 0.3 * r` on both back ends, with and without gradient clipping: losses and weights after three adam steps within 1e-4. */
describe.skipIf(!gpu)('weighted losses on WebGPU', () => {
  it.each([
    ['without clipping', { value: null, norm: null }],
    ['with gradients clipped by value and by global norm', { value: 0.05, norm: 0.2 }],
  ] as const)('match the CPU step for step, %s', async (_, clip) => {
    const { g, terms } = twoHeads();
    const first = terms[0] as Extract<(typeof terms)[number], { kind: 'cross_entropy' }>;
    const config = trainConfig(first, { kind: 'adam', lr: 0.05, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }, { losses: terms, seed: 2, clip: { ...clip } });
    const { plan, weights } = compileGraph(g.graph, 'Heads', config, { target: 'cpu', fuse: true, training: true });
    const initial = new Map<string, HostTensor>();
    for (const [name, data] of weights) {
      const t = plan!.tensors.find((x) => x.name === name)!;
      initial.set(name, { shape: t.shape as number[], dtype: t.dtype, data: data.slice() });
    }
    const cpu = createCpuExecutor(plan!, initial);
    const webgpu = await createWebGpuExecutor(emitWebGpuPrograms(plan!), initial, { device: gpu!.device });
    for (let step = 0; step < 3; step++) {
      const a = await cpu.trainStep(twoHeadFeeds(), { lr: 0.05, seed: step });
      const b = await webgpu.trainStep(twoHeadFeeds(), { lr: 0.05, seed: step });
      expect(Math.abs(a.loss - b.loss)).toBeLessThan(1e-4);
    }
    const [wc, wg] = [await cpu.getWeights(), await webgpu.getWeights()];
    for (const [name, t] of wc) {
      const other = wg.get(name)!.data;
      t.data.forEach((v, i) => expect(Math.abs(v - other[i]!), `${name}[${i}]`).toBeLessThan(1e-4));
    }
    webgpu.dispose();
  });
});
