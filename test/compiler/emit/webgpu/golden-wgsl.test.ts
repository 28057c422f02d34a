import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { WebGpuProgram } from '../../../../compiler/emit/webgpu/index.js';
import { expectGolden } from '../../../golden/golden-file.js';
import { exampleWebGpuPlans } from './example-plans.js';

/**
 * Golden WGSL for a few representative kernels, small enough to review in a diff: a tiled matmul with
 * a fused bias+activation epilogue, a direct matmul, a convolution, a reduction, a loss, an optimizer
 * update and a recurrent scan. Each is the first program with that key prefix over examples/*.nnet in
 * file order (training plans where the model trains). Every example's plan is still emitted and
 * validated by the other WebGPU tests; `npm run golden:update` rewrites the file.
 */
const REPRESENTATIVE = [
  'matmul+bias+relu@tiled',
  'matmul@direct',
  'conv2d+bias+relu',
  'sum_to',
  'sparse_softmax_cross_entropy_loss',
  'adam_update',
  'lstm_scan',
] as const;

const GOLDEN = join(import.meta.dirname, '../../../golden/wgsl/kernels.wgsl');

function render(program: WebGpuProgram): string {
  return [
    `// ── program ${program.key}`,
    `// workgroup ${program.workgroupSize.join('×')}, dispatch [${program.dispatch.join(', ')}]`,
    `// params ${program.params.map((q) => `${q.name}=${q.value}`).join(', ') || '(none)'}`,
    program.code.trimEnd(),
  ].join('\n');
}

describe('golden WGSL', () => {
  it('kernels.wgsl: the representative kernels', () => {
    const programs = exampleWebGpuPlans().flatMap((example) => Object.values(example.plan?.programs ?? {}) as WebGpuProgram[]);
    const chosen = REPRESENTATIVE.map((prefix) => {
      const program = programs.find((p) => p.key.split('|')[0] === prefix);
      expect(program, `no example emits a '${prefix}' program`).toBeDefined();
      return program!;
    });
    const header = '// Representative WGSL kernels of the examples (test/compiler/emit/webgpu/golden-wgsl.test.ts)';
    expectGolden(`${header}\n\n${chosen.map(render).join('\n\n')}\n`, GOLDEN);
  });
});
