import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../../compiler/compile.js';
import type { TrainStepResult } from '../../../runtime/executor.js';
import { createCpuExecutor } from '../../../runtime/cpu/index.js';
import { f32, i32 } from '../../../runtime/tensor.js';
import { LayerGraph, trainConfig } from '../../compiler/layer-graph.js';

/**
 * The synchronous training step the training loop calls on the CPU (Executor.trainStepSync): the
 * same step as the async one, and with a result record to refill, the same record and the same
 * output arrays every step.
 */
function model() {
  const g = new LayerGraph();
  const x = g.input('x', ['batch', 3]);
  const h = g.dense('h', x, 8, 'relu');
  const logits = g.dense('logits', h, 2, null);
  const probs = g.layer('softmax', 'probs', [logits], {}, ['batch', 2]);
  g.output('probs', probs);
  const label = g.label('label', ['batch'], 'i32');
  const config = trainConfig(
    { kind: 'cross_entropy', pred: logits, target: label, sparse: true, fromLogits: true },
    { kind: 'adam', lr: 0.05, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
    { seed: 5 },
  );
  return compileGraph(g.graph, 'Sync', config, { target: 'cpu', fuse: true, training: true, verify: true });
}

const feeds = (rows: number) => ({
  x: f32([rows, 3], Array.from({ length: rows * 3 }, (_, i) => Math.sin(i))),
  label: i32([rows], Array.from({ length: rows }, (_, i) => i % 2)),
});

describe('the synchronous CPU training step', () => {
  it('computes what trainStep does, refilling the record it is given', async () => {
    const { plan, weights } = model();
    const viaPromise = createCpuExecutor(plan!, weights);
    const viaSync = createCpuExecutor(plan!, weights);
    const record: TrainStepResult = { loss: NaN, outputs: {} };
    let firstProbs: Float32Array | null = null;
    for (let step = 0; step < 4; step++) {
      const options = { lr: 0.05, seed: step, outputs: ['probs'] };
      const expected = await viaPromise.trainStep(feeds(6), options);
      const got = viaSync.trainStepSync!(feeds(6), options, record);
      expect(got).toBe(record);
      expect(got.loss).toBe(expected.loss);
      expect(got.outputs.probs!.shape).toEqual([6, 2]);
      expect([...got.outputs.probs!.data]).toEqual([...expected.outputs.probs!.data]);
      // The same array every step: the step copies into it rather than allocating.
      firstProbs ??= got.outputs.probs!.data as Float32Array;
      expect(got.outputs.probs!.data).toBe(firstProbs);
    }
    expect([...(await viaSync.getWeights()).get('h.weight')!.data]).toEqual([...(await viaPromise.getWeights()).get('h.weight')!.data]);
  });

  it('gives a new array when the batch size changes, and a fresh result without a record', () => {
    const { plan, weights } = model();
    const executor = createCpuExecutor(plan!, weights);
    const record: TrainStepResult = { loss: NaN, outputs: {} };
    const options = { lr: 0.05, seed: 1, outputs: ['probs'] };
    const before = executor.trainStepSync!(feeds(6), options, record).outputs.probs!.data;
    const after = executor.trainStepSync!(feeds(4), options, record).outputs.probs!;
    expect(after.shape).toEqual([4, 2]);
    expect(after.data).not.toBe(before);
    expect(executor.trainStepSync!(feeds(4), options)).not.toBe(record);
  });
});
