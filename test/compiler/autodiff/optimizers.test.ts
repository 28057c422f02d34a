import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../../compiler/compile.js';
import type { OptimizerSpec } from '../../../compiler/train-config.js';
import { createCpuExecutor } from '../../../runtime/cpu/index.js';
import { f32 } from '../../../runtime/tensor.js';
import { LayerGraph, trainConfig } from '../layer-graph.js';

/**
 * Every optimizer on a convex problem: y = w·x (one weight, no bias), mse against t = 2x.
 * L(w) = mean((w x − t)²), dL/dw = 2·mean((w x − t)·x). From w0 = 0.5 with x = [1, 2], t = [2, 4]:
 * g0 = 2·((0.5−2)·1 + (1−4)·2)/2 = −7.5. The first update is computed by hand below from the
 * textbook formulas (tolerance 1e-6), and 50 steps must cut the loss by at least 90%.
 */
const W0 = 0.5;
const G0 = -7.5;
const LR = 0.01;

const OPTIMIZERS: Array<{ spec: OptimizerSpec; first: number }> = [
  { spec: { kind: 'gd', lr: LR }, first: W0 - LR * G0 },
  { spec: { kind: 'sgd', lr: LR, momentum: 0.9, nesterov: false }, first: W0 - LR * G0 },
  // nesterov: v = −lr g; w += momentum·v − lr g
  { spec: { kind: 'sgd', lr: LR, momentum: 0.9, nesterov: true }, first: W0 + 0.9 * (-LR * G0) - LR * G0 },
  // adam, t = 1: m̂ = g, v̂ = g², step = lr·g/(|g| + ε)
  { spec: { kind: 'adam', lr: LR, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }, first: W0 - (LR * G0) / (Math.abs(G0) + 1e-7) },
  // adamw: decay first, w ← w − lr·wd·w, then the adam step
  { spec: { kind: 'adamw', lr: LR, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0.1 }, first: W0 - LR * 0.1 * W0 - (LR * G0) / (Math.abs(G0) + 1e-7) },
  // adagrad: a = a0 + g²
  { spec: { kind: 'adagrad', lr: LR, epsilon: 1e-7, initialAccumulator: 0.1 }, first: W0 - (LR * G0) / (Math.sqrt(0.1 + G0 * G0) + 1e-7) },
  // rmsprop: ms = (1−ρ) g²; mom = lr g/(√ms + ε)
  { spec: { kind: 'rmsprop', lr: LR, rho: 0.9, epsilon: 1e-7, momentum: 0 }, first: W0 - (LR * G0) / (Math.sqrt(0.1 * G0 * G0) + 1e-7) },
];

function problem(spec: OptimizerSpec) {
  const g = new LayerGraph();
  const x = g.input('x', ['batch', 1]);
  const y = g.dense('y', x, 1, null, { weight: [W0], bias: false });
  g.output('y', y);
  const t = g.label('t', ['batch', 1]);
  return compileGraph(g.graph, 'Convex', trainConfig({ kind: 'mse', pred: y, target: t }, spec), { target: 'cpu', fuse: true, training: true, verify: true });
}

describe('optimizers', () => {
  for (const { spec, first } of OPTIMIZERS) {
    const label = `${spec.kind}${spec.kind === 'sgd' ? (spec.nesterov ? ' nesterov' : ' momentum') : ''}`;
    it(`${label}: first step matches the hand computation, and 50 steps reduce the loss`, async () => {
      const { plan, weights } = problem(spec);
      const executor = createCpuExecutor(plan!, weights);
      const batch = { x: f32([2, 1], [1, 2]), t: f32([2, 1], [2, 4]) };
      const { loss: initial } = await executor.trainStep(batch, { lr: spec.lr, seed: 1 });
      expect(initial).toBeCloseTo(((0.5 - 2) ** 2 + (1 - 4) ** 2) / 2, 5);
      const w1 = (await executor.getWeights()).get('y.weight')!.data[0]!;
      expect(Math.abs(w1 - first)).toBeLessThan(1e-6);
      let loss = initial;
      // Adagrad's steps shrink as its accumulator grows: it gets a larger rate to cover the same distance.
      const lr = spec.kind === 'adagrad' ? 0.5 : spec.lr * 5;
      for (let i = 0; i < 50; i++) loss = (await executor.trainStep(batch, { lr, seed: 1 })).loss;
      expect(loss).toBeLessThan(0.1 * initial);
      const state = await executor.getOptimizerState();
      expect(state.step).toBe(51);
    });
  }
});
