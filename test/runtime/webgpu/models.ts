import { compileGraph } from '../../../compiler/compile.js';
import type { OptimizerSpec } from '../../../compiler/train-config.js';
import type { Plan } from '../../../runtime/plan/format.js';
import { LayerGraph, trainConfig } from '../../compiler/layer-graph.js';

/**
 * Small training models built as layer graphs (the back end's test helper), so these tests do not
 * depend on the parser: xor (2-8-2, tanh) and a digits MLP (784-32-10, relu), both with sparse
 * softmax cross-entropy from logits.
 */
export interface Compiled {
  plan: Plan;
  weights: Map<string, Float32Array | Int32Array>;
}

export function xorModel(optimizer: OptimizerSpec = { kind: 'adam', lr: 0.05, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }, fuse = true): Compiled {
  const g = new LayerGraph();
  const x = g.input('x', ['batch', 2]);
  const label = g.label('label', ['batch'], 'i32');
  const h = g.dense('h', x, 8, 'tanh');
  const logits = g.dense('logits', h, 2, null);
  g.output('logits', logits);
  const train = trainConfig({ kind: 'cross_entropy', pred: logits, target: label, sparse: true, fromLogits: true }, optimizer, { epochs: 200, batch: 4, seed: 3 });
  const { plan, weights } = compileGraph(g.graph, 'Xor', train, { target: 'cpu', fuse, training: true });
  return { plan: plan!, weights };
}

export function digitsModel(hidden = 32, fuse = true): Compiled {
  const g = new LayerGraph();
  const image = g.input('image', ['batch', 28, 28]);
  const label = g.label('label', ['batch'], 'i32');
  const flat = g.layer('flatten', 'flat', [image], {}, ['batch', 784]);
  const h = g.dense('h', flat, hidden, 'relu');
  const logits = g.dense('logits', h, 10, null);
  g.output('logits', logits);
  const train = trainConfig(
    { kind: 'cross_entropy', pred: logits, target: label, sparse: true, fromLogits: true },
    { kind: 'adam', lr: 5e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
    { epochs: 1, batch: 32, seed: 5 },
  );
  const { plan, weights } = compileGraph(g.graph, 'Digits', train, { target: 'cpu', fuse, training: true });
  return { plan: plan!, weights };
}
