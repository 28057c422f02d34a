import { describe, expect, it } from 'vitest';
import { EarlyStopping } from '../../../runtime/train/early-stopping.js';
import { countCorrect, decisionFor } from '../../../runtime/train/metrics.js';
import { learningRate } from '../../../runtime/train/schedule.js';
import { f32, i32 } from '../../../runtime/tensor.js';

describe('learning-rate schedules (per epoch, 0-based)', () => {
  it('constant without a schedule', () => {
    expect(learningRate(0.1, null, 7, 10)).toBe(0.1);
  });
  it('step: lr · gamma^floor(e / every)', () => {
    const s = { kind: 'step' as const, every: 3, gamma: 0.5 };
    expect([0, 2, 3, 5, 6].map((e) => learningRate(0.1, s, e, 10))).toEqual([0.1, 0.1, 0.05, 0.05, 0.025]);
  });
  it('exponential: lr · gamma^e', () => {
    const s = { kind: 'exponential' as const, gamma: 0.9 };
    expect(learningRate(0.1, s, 2, 10)).toBeCloseTo(0.081, 12);
  });
  it('cosine: from lr to minLr over the run', () => {
    const s = { kind: 'cosine' as const, epochs: null, minLr: 0.001 };
    expect(learningRate(0.1, s, 0, 10)).toBeCloseTo(0.1, 12);
    expect(learningRate(0.1, s, 5, 10)).toBeCloseTo(0.0505, 12);
    expect(learningRate(0.1, s, 10, 10)).toBeCloseTo(0.001, 12);
    expect(learningRate(0.1, { ...s, epochs: 4 }, 2, 10)).toBeCloseTo(0.0505, 12);
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
