import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../../compiler/compile.js';
import type { LossKind } from '../../../compiler/train-config.js';
import { CpuExecutor } from '../../../runtime/cpu/index.js';
import type { HostTensor } from '../../../runtime/tensor.js';
import { LayerGraph, trainConfig } from '../layer-graph.js';
import { gradCheck } from './grad-check.js';

/**
 * Label smoothing and class weights of the cross-entropies: gradients against finite differences
 * for every kernel, values against PyTorch (torch 1.13: F.cross_entropy(label_smoothing=0.1,
 * reduction='none') · weight[label], F.binary_cross_entropy_with_logits on the smoothed target ·
 * per-element weight, then the mean: Keras's class_weight semantics).
 */
interface Case {
  kind: LossKind;
  fromLogits: boolean;
  sparse?: boolean;
  head: string | null;
  targets: 'real' | 'probabilities' | 'binary' | 'classes';
  classWeights: number[];
}

const CASES: Record<string, Case> = {
  'sparse cross_entropy from logits': { kind: 'cross_entropy', fromLogits: true, sparse: true, head: null, targets: 'classes', classWeights: [1, 2, 0.5] },
  'sparse cross_entropy from probabilities': { kind: 'cross_entropy', fromLogits: false, sparse: true, head: 'softmax', targets: 'classes', classWeights: [0.5, 1, 3] },
  'dense cross_entropy from logits': { kind: 'cross_entropy', fromLogits: true, head: null, targets: 'probabilities', classWeights: [2, 1, 1] },
  'dense cross_entropy from probabilities': { kind: 'cross_entropy', fromLogits: false, head: 'softmax', targets: 'probabilities', classWeights: [1, 1, 4] },
  'binary_cross_entropy from logits': { kind: 'binary_cross_entropy', fromLogits: true, head: null, targets: 'binary', classWeights: [0.5, 3] },
  'binary_cross_entropy from probabilities': { kind: 'binary_cross_entropy', fromLogits: false, head: 'sigmoid', targets: 'binary', classWeights: [2, 1] },
};

describe('gradients: label smoothing and class weights', () => {
  for (const [name, c] of Object.entries(CASES)) {
    it(name, async () => {
      const g = new LayerGraph();
      const x = g.input('x', ['batch', 4]);
      const y = g.dense('y', x, 3, c.head);
      g.output('y', y);
      const t = c.targets === 'classes' ? g.label('t', ['batch'], 'i32') : g.label('t', ['batch', 3]);
      await gradCheck({
        graph: g,
        loss: { kind: c.kind, pred: y, target: t, fromLogits: c.fromLogits, sparse: c.sparse ?? false, smoothing: 0.1, classWeights: c.classWeights },
        classes: 3,
        targets: c.targets === 'classes' ? 'real' : c.targets,
      });
    });
  }
});

describe('label smoothing and class weights: values', () => {
  async function lossOf(kind: LossKind, sparse: boolean, pred: HostTensor, target: HostTensor, smoothing: number, classWeights: number[]): Promise<number> {
    const g = new LayerGraph();
    const p = g.input('p', pred.shape);
    const y = g.layer('linear', 'y', [p], {}, pred.shape);
    g.output('y', y);
    const t = g.label('t', target.shape, target.dtype);
    const config = trainConfig({ kind, pred: y, target: t, fromLogits: true, sparse, smoothing, classWeights }, { kind: 'gd', lr: 0 });
    const { plan, weights } = compileGraph(g.graph, 'L', config, { target: 'cpu', fuse: true, training: true });
    return (await new CpuExecutor(plan!, weights).evaluate({ p: pred, t: target })).loss;
  }

  it('cross_entropy(label_smoothing: 0.1, class_weights: [1, 2, 3]) matches PyTorch', async () => {
    const logits: HostTensor = { shape: [2, 3], dtype: 'f32', data: Float32Array.from([0.5, -1, 2, 1.5, 0.2, -0.3]) };
    const labels: HostTensor = { shape: [2], dtype: 'i32', data: Int32Array.from([2, 0]) };
    expect(await lossOf('cross_entropy', true, logits, labels, 0.1, [1, 2, 3])).toBeCloseTo(0.820201364836779, 5);
    const oneHot: HostTensor = { shape: [2, 3], dtype: 'f32', data: Float32Array.from([0, 0, 1, 1, 0, 0]) };
    expect(await lossOf('cross_entropy', false, logits, oneHot, 0.1, [1, 2, 3])).toBeCloseTo(0.820201364836779, 5);
  });

  it('binary_cross_entropy(label_smoothing: 0.1, class_weights: [0.5, 3]) matches PyTorch', async () => {
    const logits: HostTensor = { shape: [3, 1], dtype: 'f32', data: Float32Array.from([0.3, -1.2, 2]) };
    const targets: HostTensor = { shape: [3, 1], dtype: 'f32', data: Float32Array.from([1, 0, 1]) };
    expect(await lossOf('binary_cross_entropy', false, logits, targets, 0.1, [0.5, 3])).toBeCloseTo(0.8501636667345047, 5);
  });
});
