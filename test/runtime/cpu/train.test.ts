import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../../compiler/compile.js';
import { createCpuExecutor } from '../../../runtime/cpu/index.js';
import { f32, i32 } from '../../../runtime/tensor.js';
import { LayerGraph, trainConfig } from '../../compiler/layer-graph.js';

/** End to end on the CPU executor: training converges, runs are reproducible, inference mode differs. */
function xorModel(dropout: number) {
  const g = new LayerGraph();
  const x = g.input('x', ['batch', 2]);
  let h = g.dense('h', x, 16, 'tanh');
  if (dropout > 0) h = g.layer('dropout', 'drop', [h], { rate: dropout }, ['batch', 16]);
  const logits = g.dense('logits', h, 2, null);
  const probs = g.layer('softmax', 'probs', [logits], {}, ['batch', 2]);
  g.output('probs', probs);
  const label = g.label('label', ['batch'], 'i32');
  const config = trainConfig(
    { kind: 'cross_entropy', pred: logits, target: label, sparse: true, fromLogits: true },
    { kind: 'adam', lr: 0.05, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
    { seed: 3 },
  );
  return compileGraph(g.graph, 'Xor', config, { target: 'cpu', fuse: true, training: true, verify: true });
}

const X = f32([4, 2], [0, 0, 0, 1, 1, 0, 1, 1]);
const LABELS = i32([4], [0, 1, 1, 0]);

describe('cpu training', () => {
  it('learns xor to 100% accuracy with adam and sparse cross-entropy', async () => {
    const { plan, weights } = xorModel(0);
    const executor = createCpuExecutor(plan!, weights);
    let loss = Infinity;
    for (let step = 0; step < 300; step++) loss = (await executor.trainStep({ x: X, label: LABELS }, { lr: 0.05, seed: step })).loss;
    expect(loss).toBeLessThan(0.05);
    const { probs } = await executor.infer({ x: X });
    const predicted = [0, 1, 2, 3].map((r) => (probs!.data[r * 2 + 1]! > probs!.data[r * 2]! ? 1 : 0));
    expect(predicted).toEqual([0, 1, 1, 0]);
    const evaluation = await executor.evaluate({ x: X, label: LABELS }, { outputs: ['probs'] });
    expect(evaluation.loss).toBeLessThan(0.05);
    expect(evaluation.outputs.probs!.shape).toEqual([4, 2]);
  });

  it('is deterministic for a seed, dropout included, and dropout is off in inference', async () => {
    const runs: number[][] = [];
    for (let run = 0; run < 2; run++) {
      const { plan, weights } = xorModel(0.3);
      const executor = createCpuExecutor(plan!, weights);
      const losses = [];
      for (let step = 0; step < 5; step++) losses.push((await executor.trainStep({ x: X, label: LABELS }, { lr: 0.05, seed: 100 + step })).loss);
      runs.push(losses);
      const a = await executor.infer({ x: X });
      const b = await executor.infer({ x: X });
      expect([...a.probs!.data]).toEqual([...b.probs!.data]);
    }
    expect(runs[0]).toEqual(runs[1]);
  });

  it('binds the batch size from the inputs and reuses buffers across sizes', async () => {
    const { plan, weights } = xorModel(0);
    const executor = createCpuExecutor(plan!, weights);
    const one = await executor.infer({ x: f32([1, 2], [0, 1]) });
    const four = await executor.infer({ x: X });
    expect(one.probs!.shape).toEqual([1, 2]);
    expect(four.probs!.shape).toEqual([4, 2]);
    expect([...one.probs!.data].map((v) => v.toFixed(6))).toEqual([...four.probs!.data.slice(2, 4)].map((v) => v.toFixed(6)));
  });

  it('saves and restores optimizer state', async () => {
    const { plan, weights } = xorModel(0);
    const a = createCpuExecutor(plan!, weights);
    for (let s = 0; s < 3; s++) await a.trainStep({ x: X, label: LABELS }, { lr: 0.05, seed: s });
    const b = createCpuExecutor(plan!, weights);
    await b.setWeights(await a.getWeights());
    await b.setOptimizerState(await a.getOptimizerState());
    const la = await a.trainStep({ x: X, label: LABELS }, { lr: 0.05, seed: 9 });
    const lb = await b.trainStep({ x: X, label: LABELS }, { lr: 0.05, seed: 9 });
    expect(lb.loss).toBe(la.loss);
  });
});

describe('non-finite values', () => {
  it('names the first step that produced a NaN', async () => {
    const { plan, weights } = xorModel(0);
    const executor = createCpuExecutor(plan!, weights) as import('../../../runtime/cpu/executor.js').CpuExecutor;
    const { loss } = await executor.trainStep({ x: f32([4, 2], [0, NaN, 1, 0, 1, 1, 0, 0]), label: LABELS }, { lr: 0.05, seed: 1 });
    expect(Number.isNaN(loss)).toBe(true);
    const found = executor.firstNonFinite();
    expect(found).toMatchObject({ phase: 'forward', index: 0, kernel: 'matmul+bias+tanh', source: { layer: 'h', op: 'dense' } });
  });
});
