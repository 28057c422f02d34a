import { describe, it } from 'vitest';
import type { LossKind } from '../../../compiler/train-config.js';
import { LayerGraph } from '../layer-graph.js';
import { gradCheck } from './grad-check.js';

/**
 * Every loss kernel's gradient (dpred) through a dense layer, against finite differences.
 * Probability-input losses get their prediction from a softmax (or sigmoid for binary) so it is a
 * valid probability.
 */
interface LossCase {
  kind: LossKind;
  fromLogits?: boolean;
  sparse?: boolean;
  head: string | null;
  targets: 'real' | 'probabilities' | 'binary' | 'classes';
  delta?: number;
}

const CASES: Record<string, LossCase> = {
  mse: { kind: 'mse', head: null, targets: 'real' },
  mae: { kind: 'mae', head: null, targets: 'real' },
  'huber (delta 0.3)': { kind: 'huber', head: null, targets: 'real', delta: 0.3 },
  'binary_cross_entropy from logits': { kind: 'binary_cross_entropy', fromLogits: true, head: null, targets: 'binary' },
  'binary_cross_entropy from probabilities': { kind: 'binary_cross_entropy', fromLogits: false, head: 'sigmoid', targets: 'binary' },
  'cross_entropy from logits, dense labels': { kind: 'cross_entropy', fromLogits: true, head: null, targets: 'probabilities' },
  'cross_entropy from probabilities, dense labels': { kind: 'cross_entropy', fromLogits: false, head: 'softmax', targets: 'probabilities' },
  'cross_entropy from logits, sparse labels': { kind: 'cross_entropy', fromLogits: true, sparse: true, head: null, targets: 'classes' },
  'cross_entropy from probabilities, sparse labels': { kind: 'cross_entropy', fromLogits: false, sparse: true, head: 'softmax', targets: 'classes' },
  kl_divergence: { kind: 'kl_divergence', head: 'softmax', targets: 'probabilities' },
};

describe('gradients: losses', () => {
  for (const [name, c] of Object.entries(CASES)) {
    it(name, async () => {
      const g = new LayerGraph();
      const x = g.input('x', ['batch', 4]);
      const y = g.dense('y', x, 3, c.head);
      g.output('y', y);
      const t = c.targets === 'classes' ? g.label('t', ['batch'], 'i32') : g.label('t', ['batch', 3]);
      await gradCheck({
        graph: g,
        loss: { kind: c.kind, pred: y, target: t, fromLogits: c.fromLogits ?? true, sparse: c.sparse ?? false, delta: c.delta ?? 1 },
        classes: 3,
        targets: c.targets === 'classes' ? 'real' : c.targets,
        // mae and huber have kinks; eps small enough that no sampled point crosses one.
        eps: c.kind === 'mae' || c.kind === 'huber' ? 1e-3 : 1e-2,
        atol: c.kind === 'mae' || c.kind === 'huber' ? 5e-3 : 2e-3,
      });
    });
  }

  it('l1 and l2 penalties add their gradient terms (global and per layer)', async () => {
    const g = new LayerGraph();
    const x = g.input('x', ['batch', 4]);
    const w = g.param('h.weight', [3, 4], { kind: 'glorot_uniform' }, true, { l2: 0.05 });
    const b = g.param('h.bias', [3], { kind: 'normal', mean: 0, std: 0.5 });
    const y = g.layer('dense', 'h', [x, w, b], { units: 3, activation: 'tanh' }, ['batch', 3]);
    g.output('y', y);
    const t = g.label('t', ['batch', 3]);
    await gradCheck({ graph: g, loss: { kind: 'mse', pred: y, target: t }, regularize: { l1: 0.01, l2: 0.02 }, eps: 1e-3, atol: 3e-3 });
  });
});
