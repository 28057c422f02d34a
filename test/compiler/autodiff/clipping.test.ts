import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../../compiler/compile.js';
import type { ClipSpec } from '../../../runtime/plan/train-settings.js';
import { CpuExecutor } from '../../../runtime/cpu/index.js';
import { trainConfig } from '../layer-graph.js';
import { twoHeadFeeds, twoHeads } from './two-heads.js';

/**
 * Gradient clipping against its formula applied to the unclipped gradients (read from a plan
 * without clipping): with gd(lr) the update is −lr · clipped(g). By value: g clamped to [−v, v];
 * by norm (PyTorch clip_grad_norm_): g · min(1, n / (‖g‖ + 1e-6)), ‖g‖ over every gradient at once.
 */
async function step(clip: ClipSpec): Promise<{ before: Map<string, Float32Array>; after: Map<string, Float32Array>; grads: Map<string, Float32Array> }> {
  const { g, terms } = twoHeads();
  const first = terms[0] as Extract<(typeof terms)[number], { kind: 'cross_entropy' }>;
  const config = trainConfig(first, { kind: 'gd', lr: 0.5 }, { losses: terms, seed: 9, clip });
  const { plan, weights } = compileGraph(g.graph, 'Heads', config, { target: 'cpu', fuse: true, training: true, verify: true });
  const executor = new CpuExecutor(plan!, weights);
  const snapshot = async () => new Map([...(await executor.getWeights())].map(([k, t]) => [k, Float32Array.from(t.data)]));
  const before = await snapshot();
  await executor.trainStep(twoHeadFeeds(), { lr: 0.5, seed: 1 });
  const grads = new Map([...executor.gradientNames()].map(([name, grad]) => [name, Float32Array.from(executor.readTensor(grad)!.data)]));
  return { before, after: await snapshot(), grads };
}

describe('gradient clipping', () => {
  it('by value clamps every element; by norm scales every gradient by the global factor', async () => {
    const plain = await step({ value: null, norm: null });
    let squares = 0;
    for (const g of plain.grads.values()) for (const v of g) squares += v * v;
    const norm = Math.sqrt(squares);
    expect(norm).toBeGreaterThan(0.2); // so that the limits below bite

    const cases: Array<[ClipSpec, (g: number) => number]> = [
      [{ value: 0.05, norm: null }, (g) => Math.min(Math.max(g, -0.05), 0.05)],
      [{ value: null, norm: 0.2 }, (g) => g * Math.min(1, 0.2 / (norm + 1e-6))],
      [{ value: null, norm: 100 }, (g) => g],
    ];
    for (const [clip, clipped] of cases) {
      const run = await step(clip);
      for (const [name, g] of plain.grads) {
        const before = run.before.get(name)!;
        const after = run.after.get(name)!;
        g.forEach((v, i) => expect(after[i]! - before[i]!, `${JSON.stringify(clip)} ${name}[${i}]`).toBeCloseTo(-0.5 * clipped(v), 6));
      }
    }
  });
});
