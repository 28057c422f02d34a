import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../../compiler/compile.js';
import { createCpuExecutor } from '../../../runtime/cpu/index.js';
import { f32 } from '../../../runtime/tensor.js';
import { seedGraph } from '../layer-graph.js';

describe('seed network (test/compiler/layer-graph.ts: 3-4-2, sigmoid, fixed weights)', () => {
  for (const fuse of [true, false]) {
    it(`gives [0.60530524, 0.65013656] for [0.7, -1.5, 0.2] to 1e-6 (fuse: ${fuse})`, async () => {
      const { plan, weights } = compileGraph(seedGraph().graph, 'Seed', null, { target: 'cpu', fuse, training: false, verify: true });
      expect(plan!.forward.map((s) => s.kernel)).toEqual(fuse ? ['matmul+bias+sigmoid', 'matmul+bias+sigmoid'] : ['matmul', 'bias_add', 'sigmoid', 'matmul', 'bias_add', 'sigmoid']);
      const executor = createCpuExecutor(plan!, weights);
      const { y } = await executor.infer({ x: f32([1, 3], [0.7, -1.5, 0.2]) });
      expect(y!.shape).toEqual([1, 2]);
      expect(Math.abs(y!.data[0]! - 0.60530524)).toBeLessThan(1e-6);
      expect(Math.abs(y!.data[1]! - 0.65013656)).toBeLessThan(1e-6);
    });
  }
});
