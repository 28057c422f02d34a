import type { TrainConfig } from '../../../compiler/train-config.js';
import type { HostTensor } from '../../../runtime/tensor.js';
import { LayerGraph } from '../layer-graph.js';

const range = { start: 0, end: 0 };

/**
 * Two heads on one trunk and a scalar the model computes (a [1, 1] value from its own input): the
 * loss `cross_entropy(a, y) + 0.5 * mse(b, z) - 0.3 * r`.
 */
export function twoHeads(): { g: LayerGraph; terms: TrainConfig['losses'] } {
  const g = new LayerGraph();
  const x = g.input('x', ['batch', 3]);
  const c = g.input('c', [1, 3]);
  const h = g.dense('h', x, 4, 'tanh');
  const a = g.dense('a', h, 3, null);
  const b = g.dense('b', h, 2, null);
  const r = g.dense('r', c, 1, 'sigmoid');
  g.output('a', a);
  g.output('b', b);
  const y = g.label('y', ['batch'], 'i32');
  const z = g.label('z', ['batch', 2]);
  const ce = { kind: 'cross_entropy', pred: a, target: y, fromLogits: true, sparse: true, delta: 1, smoothing: 0, classWeights: null, range } as const;
  const mse = { kind: 'mse', pred: b, target: z, fromLogits: false, sparse: false, delta: 1, smoothing: 0, classWeights: null, range } as const;
  return { g, terms: [{ ...ce, weight: 1 }, { ...mse, weight: 0.5 }, { kind: 'value', value: r, weight: -0.3, range }] };
}


/** A batch of two rows for twoHeads(). */
export function twoHeadFeeds(): Record<string, HostTensor> {
  return {
    x: { shape: [2, 3], dtype: 'f32', data: Float32Array.from([0.1, -0.4, 0.7, 0.3, 0.9, -0.2]) },
    c: { shape: [1, 3], dtype: 'f32', data: Float32Array.from([0.5, -0.5, 0.25]) },
    y: { shape: [2], dtype: 'i32', data: Int32Array.from([2, 0]) },
    z: { shape: [2, 2], dtype: 'f32', data: Float32Array.from([1, -1, 0.5, 0]) },
  };
}
