import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../../compiler/compile.js';
import type { TrainConfig } from '../../../compiler/train-config.js';
import { CpuExecutor } from '../../../runtime/cpu/index.js';
import { trainConfig } from '../layer-graph.js';
import { twoHeads, twoHeadFeeds } from './two-heads.js';
import { gradCheck } from './grad-check.js';

describe('gradients: a weighted sum of losses and a free scalar term', () => {
  it('matches finite differences for every parameter (both heads, the trunk and the scalar term)', async () => {
    const { g, terms } = twoHeads();
    const first = terms[0] as Extract<(typeof terms)[number], { kind: 'cross_entropy' }>;
    await gradCheck({ graph: g, loss: first, terms, classes: 3 });
  });

  it('is the weighted sum of the terms, each computed alone by the same plan', async () => {
    const { g, terms } = twoHeads();
    const feeds = twoHeadFeeds();
    const lossOf = async (losses: TrainConfig['losses']): Promise<number> => {
      const first = terms[0] as Extract<(typeof terms)[number], { kind: 'cross_entropy' }>;
      const config = trainConfig(first, { kind: 'gd', lr: 0 }, { losses, seed: 4 });
      const { plan, weights } = compileGraph(g.graph, 'Heads', config, { target: 'cpu', fuse: true, training: true, verify: true });
      return (await new CpuExecutor(plan!, weights).evaluate(feeds)).loss;
    };
    const total = await lossOf(terms);
    const parts = await Promise.all(terms.map((t) => lossOf([{ ...t, weight: 1 }])));
    expect(total).toBeCloseTo(parts[0]! + 0.5 * parts[1]! - 0.3 * parts[2]!, 5);
    expect(parts.every((p) => Number.isFinite(p) && p !== 0)).toBe(true);
  });
});
