import { describe, expect, it } from 'vitest';
import { tensorDiff, withinTolerance } from '../../../runtime/verify/compare.js';
import { f32 } from '../../../runtime/tensor.js';

describe('tensorDiff: the numbers verify prints', () => {
  it('max abs difference, and relative to the reference’s largest magnitude', () => {
    const d = tensorDiff(f32([3], [1, -4, 2]), f32([3], [1.5, -4, 2.25]));
    expect(d.maxAbs).toBe(0.5);
    expect(d.scale).toBe(4);
    expect(d.maxRel).toBe(0.125);
  });

  it('identical tensors, all-zero ones included, differ by nothing', () => {
    expect(tensorDiff(f32([2], [0, 0]), f32([2], [0, 0]))).toEqual({ maxAbs: 0, maxRel: 0, scale: 0 });
    expect(tensorDiff(f32([2], [NaN, Infinity]), f32([2], [NaN, Infinity])).maxAbs).toBe(0);
  });

  it('a NaN or infinity on one side only, or another element count, is an infinite difference', () => {
    expect(tensorDiff(f32([2], [1, 2]), f32([2], [1, NaN])).maxAbs).toBe(Infinity);
    expect(tensorDiff(f32([2], [NaN, 2]), f32([2], [1, 2])).maxAbs).toBe(Infinity);
    expect(tensorDiff(f32([2], [1, 2]), f32([2], [1, -Infinity])).maxAbs).toBe(Infinity);
    expect(tensorDiff(f32([2], [1, 2]), f32([3], [1, 2, 3])).maxAbs).toBe(Infinity);
  });

  it('the tolerance is absolute up to magnitude 1 and relative above', () => {
    expect(withinTolerance(tensorDiff(f32([1], [0.5]), f32([1], [0.5 + 9e-5])), 1e-4)).toBe(true);
    expect(withinTolerance(tensorDiff(f32([1], [0.5]), f32([1], [0.5 + 2e-4])), 1e-4)).toBe(false);
    // 300 ± 0.02: within 1e-4 × 300 = 0.03.
    expect(withinTolerance(tensorDiff(f32([1], [300]), f32([1], [300.02])), 1e-4)).toBe(true);
    expect(withinTolerance(tensorDiff(f32([1], [300]), f32([1], [300.05])), 1e-4)).toBe(false);
  });
});
