import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../../compiler/compile.js';
import type { LossKind } from '../../../compiler/train-config.js';
import { CpuExecutor } from '../../../runtime/cpu/index.js';
import type { HostTensor } from '../../../runtime/tensor.js';
import { LayerGraph, trainConfig } from '../layer-graph.js';
import { gradCheck } from './grad-check.js';

/**
 * `mask:` on the losses other than cross_entropy (mse, mae, huber, binary_cross_entropy, kl_divergence):
 * the masked_ kernels against finite differences, and the loss value against the mean over the kept
 * elements computed here in float64 from the model's own prediction (an independent formula). A
 * sequence model's shapes: prediction [batch 3, seq 4, 5], the mask [3, 4] (each step, Keras' mask)
 * or [3, 4, 5] (each element).
 */
const LENGTHS = [4, 2, 1];
const stepMask = (dtype: 'i32' | 'f32'): HostTensor => {
  const values = LENGTHS.flatMap((length) => [0, 1, 2, 3].map((t) => (t < length ? 1 : 0)));
  return { shape: [3, 4], dtype, data: dtype === 'i32' ? Int32Array.from(values) : Float32Array.from(values) } as HostTensor;
};
/** A mask of single elements with holes: about a third of them 0. */
const elementMask = (): HostTensor => ({ shape: [3, 4, 5], dtype: 'f32', data: Float32Array.from({ length: 60 }, (_, i) => ((i * 7) % 3 === 0 ? 0 : 1)) });

function model(kind: LossKind, maskShape: Array<number | string>, maskDtype: 'i32' | 'f32', probabilities = false) {
  const g = new LayerGraph();
  const x = g.input('x', ['batch', 4, 3]);
  const mask = g.input('mask', maskShape, maskDtype);
  let y = g.dense('y', x, 5, null);
  if (probabilities) y = g.layer(kind === 'kl_divergence' ? 'softmax' : 'sigmoid', 'p', [y], {}, ['batch', 4, 5]);
  g.output('y', y);
  const target = g.label('t', ['batch', 4, 5]);
  return { g, loss: { kind, pred: y, target, mask, fromLogits: !probabilities } };
}

const CASES: Array<{ kind: LossKind; targets: 'real' | 'binary' | 'probabilities'; probabilities?: boolean; extra?: Record<string, unknown> }> = [
  { kind: 'mse', targets: 'real' },
  { kind: 'mae', targets: 'real' },
  { kind: 'huber', targets: 'real', extra: { delta: 0.5 } },
  { kind: 'binary_cross_entropy', targets: 'binary' },
  { kind: 'binary_cross_entropy', targets: 'binary', probabilities: true, extra: { smoothing: 0.1, classWeights: [0.5, 2] } },
  { kind: 'kl_divergence', targets: 'probabilities', probabilities: true },
];

const label = (c: (typeof CASES)[number]) => `${c.kind}${c.probabilities ? ' on probabilities' : ''}${c.extra ? ` ${JSON.stringify(c.extra)}` : ''}`;

describe('gradients: masked per-element losses', () => {
  for (const c of CASES) {
    it(`${label(c)}, an i32 mask of padded steps`, async () => {
      const { g, loss } = model(c.kind, ['batch', 4], 'i32', c.probabilities);
      await gradCheck({ graph: g, loss: { ...loss, ...c.extra }, targets: c.targets, feeds: { mask: stepMask('i32') } });
    });
    if (c.kind !== 'kl_divergence') {
      it(`${label(c)}, an f32 mask of single elements`, async () => {
        const { g, loss } = model(c.kind, ['batch', 4, 5], 'f32', c.probabilities);
        await gradCheck({ graph: g, loss: { ...loss, ...c.extra }, targets: c.targets, feeds: { mask: elementMask() } });
      });
    }
  }
});

/** Each kept element's (or for KL each kept row's) loss, in float64, as docs/language.md states the formulas. */
function expectedMean(kind: LossKind, p: Float32Array, t: Float32Array, mask: HostTensor, fromLogits: boolean): number {
  const inner = p.length / mask.data.length;
  let total = 0;
  let count = 0;
  for (let r = 0; r < mask.data.length; r++) {
    if (mask.data[r] === 0) continue;
    count += kind === 'kl_divergence' ? 1 : inner;
    for (let j = r * inner; j < (r + 1) * inner; j++) {
      const d = p[j]! - t[j]!;
      if (kind === 'mse') total += d * d;
      else if (kind === 'mae') total += Math.abs(d);
      else if (kind === 'binary_cross_entropy' && fromLogits) total += Math.log(1 + Math.exp(-p[j]!)) + (1 - t[j]!) * p[j]!;
      else if (kind === 'kl_divergence') total += t[j]! * Math.log(t[j]! / p[j]!);
    }
  }
  return total / count;
}

describe('masked per-element losses: the mean over the kept elements', () => {
  for (const [kind, maskShape, mask] of [
    ['mse', ['batch', 4], stepMask('i32')],
    ['mae', ['batch', 4, 5], elementMask()],
    ['binary_cross_entropy', ['batch', 4], stepMask('f32')],
    ['kl_divergence', ['batch', 4], stepMask('i32')],
  ] as const) {
    it(`${kind} with ${mask.shape.length === 2 ? 'a step' : 'an element'} mask equals the mean computed from the prediction`, async () => {
      const probabilities = kind === 'kl_divergence';
      const { g, loss } = model(kind, [...maskShape], mask.dtype, probabilities);
      const { plan, weights } = compileGraph(g.graph, 'Masked', trainConfig(loss, { kind: 'gd', lr: 0 }, { seed: 5 }), { target: 'cpu', fuse: true, training: true, verify: true });
      const x = Float32Array.from({ length: 36 }, (_, i) => Math.sin(i * 1.3));
      let t = Float32Array.from({ length: 60 }, (_, i) => (kind === 'binary_cross_entropy' ? (i % 3 === 0 ? 1 : 0) : Math.cos(i * 0.7)));
      if (probabilities) t = Float32Array.from({ length: 60 }, (_, i) => (1 + (i % 5)) / 15);
      const result = await new CpuExecutor(plan!, weights).evaluate({ x: { shape: [3, 4, 3], dtype: 'f32', data: x }, t: { shape: [3, 4, 5], dtype: 'f32', data: t }, mask }, { outputs: ['y'] });
      const p = result.outputs.y!.data as Float32Array;
      const expected = expectedMean(kind, p, t, mask, !probabilities);
      expect(Math.abs(result.loss - expected)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(expected)));
      // The unmasked loss differs: the mask does something here.
      const everything = { ...mask, data: mask.data.map(() => 1) } as HostTensor;
      expect(Math.abs(expectedMean(kind, p, t, everything, !probabilities) - expected)).toBeGreaterThan(1e-3);
    });
  }
});
