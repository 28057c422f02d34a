import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../../compiler/compile.js';
import { emitWebGpuPrograms } from '../../../compiler/emit/webgpu/index.js';
import { createWebGpuExecutor } from '../../../runtime/webgpu/index.js';
import { f32 } from '../../../runtime/tensor.js';
import { seedGraph } from '../../compiler/layer-graph.js';
import { testDevice } from './gpu.js';

const gpu = await testDevice();

describe.skipIf(!gpu)('seed network on WebGPU (test/compiler/layer-graph.ts)', () => {
  for (const fuse of [true, false]) {
    it(`gives [0.60530524, 0.65013656] for [0.7, -1.5, 0.2] to 1e-6 (fuse: ${fuse})`, async () => {
      const { plan, weights } = compileGraph(seedGraph().graph, 'Seed', null, { target: 'cpu', fuse, training: false });
      const executor = await createWebGpuExecutor(emitWebGpuPrograms(plan!), weights, { device: gpu!.device });
      const { y } = await executor.infer({ x: f32([1, 3], [0.7, -1.5, 0.2]) });
      expect(y!.shape).toEqual([1, 2]);
      expect(Math.abs(y!.data[0]! - 0.60530524)).toBeLessThan(1e-6);
      expect(Math.abs(y!.data[1]! - 0.65013656)).toBeLessThan(1e-6);
      executor.dispose();
    });
  }
});
