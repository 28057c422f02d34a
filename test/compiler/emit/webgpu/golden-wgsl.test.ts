import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../../../compiler/compile.js';
import { emitWebGpuPrograms, type WebGpuProgram } from '../../../../compiler/emit/webgpu/index.js';
import type { Plan } from '../../../../runtime/plan/format.js';
import { seedGraph } from '../../layer-graph.js';
import { exampleWebGpuPlans } from './example-plans.js';

/**
 * Golden WGSL for every model of examples/*.nnet (training plans where the model trains) and the seed
 * network without fusion, reviewed in diffs: each file lists the steps with their program keys, then
 * every program (dispatch rule, params, source). UPDATE_GOLDEN=1 rewrites them.
 */
const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), '../../../golden/wgsl');

function render(plan: Plan): string {
  const lines = [`// ${plan.model}: WGSL programs of the WebGPU plan (test/compiler/emit/webgpu/golden-wgsl.test.ts)`, '//'];
  for (const [phase, steps] of [['forward', plan.forward], ['backward', plan.backward], ['update', plan.update]] as const) {
    steps.forEach((s, i) => lines.push(`// ${phase} ${i}: ${s.kernel}(${s.inputs.join(', ')}) -> ${s.outputs.join(', ')}  [${s.program}]`));
  }
  for (const p of Object.values(plan.programs) as WebGpuProgram[]) {
    lines.push('', `// ── program ${p.key}`, `// workgroup ${p.workgroupSize.join('×')}, dispatch [${p.dispatch.join(', ')}]`);
    lines.push(`// params ${p.params.map((q) => `${q.name}=${q.value}`).join(', ') || '(none)'}`, p.code.trimEnd());
  }
  return `${lines.join('\n')}\n`;
}

const EXAMPLES: Record<string, () => Plan> = {
  'seed-no-fuse': () => emitWebGpuPrograms(compileGraph(seedGraph().graph, 'Seed', null, { target: 'cpu', fuse: false, training: false }).plan!),
};
for (const example of exampleWebGpuPlans()) {
  EXAMPLES[example.name] = () => {
    if (!example.plan) throw new Error(`examples/${example.name}: ${example.problems.join('; ')}`);
    return example.plan;
  };
}

describe('golden WGSL', () => {
  for (const [name, build] of Object.entries(EXAMPLES)) {
    it(`${name}.wgsl`, () => {
      const actual = render(build());
      const file = join(GOLDEN, `${name}.wgsl`);
      if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) writeFileSync(file, actual);
      expect(actual).toBe(readFileSync(file, 'utf8'));
    });
  }
});
