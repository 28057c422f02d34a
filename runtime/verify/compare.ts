import type { HostTensor } from '../tensor.js';

/**
 * How far a target's tensor is from the reference's (nnet's CPU back end).
 *
 *   maxAbs  the largest |candidate - reference| over the elements
 *   maxRel  maxAbs divided by the largest |reference| (the tensor's scale); 0 when both are all zeros
 *
 * A tensor passes at tolerance `tol` when maxAbs ≤ tol × max(1, scale): an absolute bound for values
 * of order one, a relative one for large values (logits in the hundreds), as the project's CPU-vs-WebGPU
 * tests state it. A NaN or infinity on one side only, or a different element count, is an infinite
 * difference; the same non-finite value on both sides is none.
 */
export interface TensorDiff {
  maxAbs: number;
  maxRel: number;
  /** The largest |reference| value. */
  scale: number;
}

export function tensorDiff(reference: HostTensor, candidate: HostTensor): TensorDiff {
  const a = reference.data;
  const b = candidate.data;
  if (a.length !== b.length) return { maxAbs: Infinity, maxRel: Infinity, scale: 0 };
  let maxAbs = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (Number.isFinite(x)) scale = Math.max(scale, Math.abs(x));
    const d = Math.abs(x - y);
    if (d > maxAbs) maxAbs = d;
    else if (d !== d && !Object.is(x, y)) maxAbs = Infinity; // NaN: one side non-finite, or opposite infinities
  }
  const maxRel = maxAbs === 0 ? 0 : scale === 0 ? Infinity : maxAbs / scale;
  return { maxAbs, maxRel, scale };
}

export function withinTolerance(diff: TensorDiff, tolerance: number): boolean {
  return diff.maxAbs <= tolerance * Math.max(1, diff.scale);
}

/** The worse of two differences (by how far past its own bound each is). */
export function worseDiff(a: TensorDiff | null, b: TensorDiff): TensorDiff {
  if (a === null) return b;
  return b.maxAbs / Math.max(1, b.scale) > a.maxAbs / Math.max(1, a.scale) ? b : a;
}
