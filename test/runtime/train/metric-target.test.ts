import { describe, expect, it } from 'vitest';
import { makeDataset } from '../../../runtime/data/dataset.js';
import { readLoopConfig } from '../../../runtime/train/config.js';
import { evaluateDataset } from '../../../runtime/train/loop.js';
import { trainable } from './helpers.js';

// Issue 10: metrics were computed on the first declared output, not on the loss's prediction.
const AUTOENCODER = `
model Ae {
  input x: [batch, 2]
  output code = dense(x, 1)
  output recon = dense(code, 2)
  train {
    loss mse(recon, x)
    optimizer sgd(lr: 0.01)
    epochs 1  batch 4
    metrics mae
    seed 3
  }
}
`;

describe('running metrics compare the loss prediction with the loss target', () => {
  it('an autoencoder (target = its own input, a second output declared first) gets the true mae', async () => {
    const { plan, executor } = trainable(AUTOENCODER);
    expect(plan.training?.prediction).toBeDefined();
    const x = { shape: [4, 2], dtype: 'f32' as const, data: Float32Array.of(0.5, -1, 2, 0.25, -0.75, 1.5, 1, 1) };
    const outputs = await executor.infer({ [plan.inputs[0]!]: x });
    const recon = outputs['recon']!.data;
    let expected = 0;
    for (let i = 0; i < 8; i++) expected += Math.abs(recon[i]! - x.data[i]!) / 8;
    const evaluation = await evaluateDataset(executor, plan, readLoopConfig(plan), makeDataset({ x }));
    expect(evaluation.mae).toBeCloseTo(expected, 5);
  });
});
