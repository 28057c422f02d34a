import type { Dim, Shape } from '../ir/types.js';
import { MAX_UNITS, tensorParam } from './common.js';
import type { ParamDef } from './types.js';

/**
 * `mu, logvar = split(h, 2, axis: -1)`: one tensor cut into consecutive parts along an axis, as
 * tf.split and ONNX Split do. Unlike the ops of the registry it gives several values, so it is no
 * `OpDef` (whose IR form is one node): its signature lives here for the checker, completion, hover
 * and the docs, and compiler/check/split.ts turns each part into a slice (`strided_read`).
 */
export const SPLIT = {
  name: 'split',
  doc: 'Cuts a tensor into consecutive parts along an axis, one name per part: `mu, logvar = split(h, 2)` (equal parts) or `a, b = split(x, [4, 12], axis: 1)` (sizes). `_` discards a part.',
  params: [
    tensorParam(),
    { name: 'parts', kind: 'ints', doc: 'How many equal parts (the axis size must divide), or a list of part sizes (summing to the axis size).', min: 1, max: MAX_UNITS },
    { name: 'axis', kind: 'axis', doc: 'The axis to cut, counted from the end when negative; its size must be known.', default: -1, namedOnly: true },
  ] satisfies ParamDef[],
  shapeRule: '[..., d, ...] → n parts [..., d/n, ...], or [..., s_i, ...] for sizes s (Σ s_i = d)',
} as const;

/** The name that discards a part, as in Python: `mu, _ = split(h, 2)`. */
export const DISCARD = '_';

/** Why a split does not fit its input, for the checker to report with its own code. */
export type SplitFailure =
  | { kind: 'axis'; rank: number }
  | { kind: 'symbolic'; axis: number; dim: string }
  | { kind: 'indivisible'; axis: number; dim: number; parts: number }
  | { kind: 'sum'; axis: number; dim: number; sum: number };

/** The parts of a split: the axis (non-negative), each part's size and its offset along the axis. */
export interface SplitParts {
  axis: number;
  sizes: number[];
  offsets: number[];
}

/**
 * The shape rule: `parts` a count (equal parts) or a list of sizes, on an axis of known size.
 * A symbolic axis is refused: neither its divisibility nor a sum of sizes can be checked.
 */
export function splitParts(shape: Shape, parts: number | readonly number[], axis: number): SplitParts | SplitFailure {
  const rank = shape.length;
  const at = axis < 0 ? rank + axis : axis;
  if (at < 0 || at >= rank) return { kind: 'axis', rank };
  const dim: Dim = shape[at]!;
  if (typeof dim !== 'number') return { kind: 'symbolic', axis: at, dim };
  let sizes: number[];
  if (typeof parts === 'number') {
    if (dim % parts !== 0) return { kind: 'indivisible', axis: at, dim, parts };
    sizes = Array.from({ length: parts }, () => dim / parts);
  } else {
    const sum = parts.reduce((a, b) => a + b, 0);
    if (sum !== dim) return { kind: 'sum', axis: at, dim, sum };
    sizes = [...parts];
  }
  const offsets = sizes.map((_, i) => sizes.slice(0, i).reduce((a, b) => a + b, 0));
  return { axis: at, sizes, offsets };
}

/** The shape of one part: the input's, with the split axis cut to the part's size. */
export function partShape(shape: Shape, axis: number, size: number): Dim[] {
  return shape.map((d, i) => (i === axis ? size : d));
}

/** Near-equal sizes for `dim` in `parts` (the first `dim % parts` one larger), as NumPy's array_split: a fix's suggestion. */
export function nearEqualSizes(dim: number, parts: number): number[] {
  const base = Math.floor(dim / parts);
  return Array.from({ length: parts }, (_, i) => base + (i < dim % parts ? 1 : 0));
}
