import { describe, expect, it } from 'vitest';
import { EarlyStopping } from '../../../runtime/train/early-stopping.js';
import { countCorrect, decisionFor } from '../../../runtime/train/metrics.js';
import { learningRate, stepLearningRate } from '../../../runtime/train/schedule.js';
import { f32, i32 } from '../../../runtime/tensor.js';

describe('learning-rate schedules (per epoch, 0-based)', () => {
  it('constant without a schedule', () => {
    expect(learningRate(0.1, null, 7, 10)).toBe(0.1);
  });
  it('step: lr · gamma^floor(e / every)', () => {
    const s = { kind: 'step' as const, every: 3, gamma: 0.5, per: 'epoch' as const };
    expect([0, 2, 3, 5, 6].map((e) => learningRate(0.1, s, e, 10))).toEqual([0.1, 0.1, 0.05, 0.05, 0.025]);
  });
  it('exponential: lr · gamma^e', () => {
    const s = { kind: 'exponential' as const, gamma: 0.9, per: 'epoch' as const };
    expect(learningRate(0.1, s, 2, 10)).toBeCloseTo(0.081, 12);
  });
  it('cosine: from lr to minLr over the run', () => {
    const s = { kind: 'cosine' as const, epochs: null, minLr: 0.001, per: 'epoch' as const };
    expect(learningRate(0.1, s, 0, 10)).toBeCloseTo(0.1, 12);
    expect(learningRate(0.1, s, 5, 10)).toBeCloseTo(0.0505, 12);
    expect(learningRate(0.1, s, 10, 10)).toBeCloseTo(0.001, 12);
    expect(learningRate(0.1, { ...s, epochs: 4 }, 2, 10)).toBeCloseTo(0.0505, 12);
  });
});

describe('per-step learning rates: warmup, per-step schedules, one cycle', () => {
  const at = (step: number) => ({ step, stepsPerEpoch: 10, totalEpochs: 4 });
  it('per: epoch holds the epoch\'s rate for its steps; per: step moves at every step (the fractional epoch)', () => {
    const cosine = { kind: 'cosine' as const, epochs: null, minLr: 0 };
    expect(stepLearningRate(0.1, { ...cosine, per: 'epoch' }, 0, at(19))).toBeCloseTo(learningRate(0.1, { ...cosine, per: 'epoch' }, 1, 4), 12);
    expect(stepLearningRate(0.1, { ...cosine, per: 'step' }, 0, at(15))).toBeCloseTo(0.05 * (1 + Math.cos(Math.PI * 1.5 / 4)), 12);
    const step = { kind: 'step' as const, every: 1, gamma: 0.5, per: 'step' as const };
    expect([9, 10, 25].map((s) => stepLearningRate(0.1, step, 0, at(s)))).toEqual([0.1, 0.05, 0.025]);
  });
  it('warmup scales linearly up to the schedule\'s rate over its steps, then leaves it alone', () => {
    expect([0, 1, 3, 4, 30].map((s) => stepLearningRate(0.1, null, 4, at(s)))).toEqual([0.025, 0.05, 0.1, 0.1, 0.1]);
    const exp = { kind: 'exponential' as const, gamma: 0.5, per: 'epoch' as const };
    expect(stepLearningRate(0.1, exp, 20, at(12))).toBeCloseTo(0.05 * (13 / 20), 12);
  });
  it('one_cycle is PyTorch OneCycleLR (cos): lr/div at step 0, lr at pct_start·T − 1, lr/(div·final_div) at T − 1', () => {
    const s = { kind: 'one_cycle' as const, pctStart: 0.25, div: 25, finalDiv: 1e4 };
    // Values from torch.optim.lr_scheduler.OneCycleLR(max_lr=0.1, total_steps=40, pct_start=0.25) (torch 1.13).
    expect(stepLearningRate(0.1, s, 0, at(0))).toBeCloseTo(0.004, 12);
    expect(stepLearningRate(0.1, s, 0, at(9))).toBeCloseTo(0.1, 12);
    expect(stepLearningRate(0.1, s, 0, at(39))).toBeCloseTo(0.1 / 25 / 1e4, 12);
    expect(stepLearningRate(0.1, s, 0, at(4))).toBeCloseTo(0.04366488747198734, 12);
    expect(stepLearningRate(0.1, s, 0, at(20))).toBeCloseTo(0.0703369508064614, 12);
  });
});

describe('early stopping', () => {
  it('stops after `patience` epochs without an improvement larger than minDelta (losses: lower is better)', () => {
    const es = new EarlyStopping({ monitor: 'val_loss', patience: 2, minDelta: 0.01, restoreBest: true });
    expect(es.update(0, 1.0)).toEqual({ improved: true, stop: false });
    expect(es.update(1, 0.995)).toEqual({ improved: false, stop: false }); // within minDelta
    expect(es.update(2, 0.5)).toEqual({ improved: true, stop: false });
    expect(es.update(3, 0.6)).toEqual({ improved: false, stop: false });
    expect(es.update(4, 0.55)).toEqual({ improved: false, stop: true });
    expect(es.bestEpochIndex).toBe(2);
    expect(es.bestValue).toBe(0.5);
  });
  it('accuracies: higher is better', () => {
    const es = new EarlyStopping({ monitor: 'val_accuracy', patience: 1, minDelta: 0, restoreBest: false });
    expect(es.update(0, 0.5).improved).toBe(true);
    expect(es.update(1, 0.6).improved).toBe(true);
    expect(es.update(2, 0.6)).toEqual({ improved: false, stop: true });
  });
});

describe('accuracy', () => {
  it('argmax for several classes, with sparse or one-hot labels', () => {
    const p = f32([3, 3], [0.1, 0.7, 0.2, 0.9, 0.05, 0.05, 0.2, 0.3, 0.5]);
    expect(countCorrect(p, i32([3], [1, 0, 0]), decisionFor(p, false))).toEqual({ correct: 2, total: 3 });
    expect(countCorrect(p, f32([3, 3], [0, 1, 0, 1, 0, 0, 0, 0, 1]), decisionFor(p, false))).toEqual({ correct: 3, total: 3 });
  });
  it('per-position labels of a sequence model count every position', () => {
    // [batch 1, seq 2, classes 3] against labels [1, 2]
    const p = f32([1, 2, 3], [0.1, 0.8, 0.1, 0.6, 0.3, 0.1]);
    expect(countCorrect(p, i32([1, 2], [1, 2]), decisionFor(p, false))).toEqual({ correct: 1, total: 2 });
  });
  it('threshold 0.5 on a probability, 0 on a logit', () => {
    const p = f32([4, 1], [0.4, 0.6, -1, 2]);
    const labels = f32([4, 1], [0, 1, 1, 1]);
    expect(decisionFor(p, false)).toEqual({ kind: 'threshold', at: 0.5 });
    // probabilities: 0.4→0 ✓, 0.6→1 ✓, -1→0 ✗, 2→1 ✓
    expect(countCorrect(p, labels, decisionFor(p, false)).correct).toBe(3);
    // logits: 0.4→1 ✗, 0.6→1 ✓, -1→0 ✗, 2→1 ✓
    expect(decisionFor(p, true)).toEqual({ kind: 'threshold', at: 0 });
    expect(countCorrect(p, labels, decisionFor(p, true)).correct).toBe(2);
  });
});
