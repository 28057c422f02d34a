import type { Dim, Shape } from '../ir/types.js';
import { dimAdd, formatShape, sameShape } from '../shapes/dims.js';
import { tensorParam } from './common.js';
import { expects, ok, type OpDef, type ShapeResult } from './types.js';

/**
 * Axis ops: transpose (any permutation), expand_dims and squeeze (size-1 axes), stack (a new axis)
 * and pad (zeros or a reflection at both ends of axes). Slicing and indexing are the `x[...]`
 * syntax (compiler/check/indexing.ts). Every axis argument may be negative (counted from the end).
 *
 * IR forms: transpose attrs { axes } (the full permutation); expand_dims attrs { axis } (in the
 * output); squeeze attrs { axes }; stack inputs [a, b, ...] attrs { axis } (in the output); pad attrs
 * { before, after } (one per axis, batch included, as 0) and { mode }. All axes non-negative.
 */

function normalise(axis: number, rank: number): number {
  return axis < 0 ? rank + axis : axis;
}

function permutationOf(value: unknown, rank: number): number[] | string {
  if (value === null || value === undefined) return Array.from({ length: rank }, (_, i) => (i < rank - 2 ? i : 2 * rank - 3 - i));
  const given = typeof value === 'number' ? [value] : (value as number[]);
  const axes = given.map((a) => normalise(a, rank));
  const sorted = [...axes].sort((a, b) => a - b);
  if (axes.length !== rank || sorted.some((a, i) => a !== i)) return `axes [${given.join(', ')}]`;
  return axes;
}

const transpose: OpDef = {
  name: 'transpose',
  category: 'shape',
  doc: 'Reorders the axes: axis k of the result is axis axes[k] of x (default: the last two swapped).',
  params: [tensorParam(), { name: 'axes', kind: 'ints', doc: 'A permutation of every axis, batch included: [0, 2, 1]; default the last two swapped.', default: null, defaultText: 'last two swapped', min: -64, max: 64 }],
  shapeRule: '[d0, d1, ...] → [d(axes[0]), d(axes[1]), ...]',
  irForm: 'inputs [x]; attrs { axes } (the full permutation)',
  infer({ inputs: [x], args }) {
    const rank = x!.shape.length;
    if (rank < 2) return expects('a tensor of rank 2 or more');
    const axes = permutationOf(args.axes, rank);
    if (typeof axes === 'string') return expects(`a permutation of the ${rank} axes 0..${rank - 1}`, { actual: axes });
    return ok(axes.map((a) => x!.shape[a]!), x!.dtype);
  },
  attrs: ({ inputs: [x], args }) => ({ axes: permutationOf(args.axes, x!.shape.length) as number[] }),
  flops: () => 0,
};

const expand_dims: OpDef = {
  name: 'expand_dims',
  category: 'shape',
  doc: 'Inserts an axis of size 1 at `axis` of the result (unsqueeze).',
  params: [tensorParam(), { name: 'axis', kind: 'axis', doc: 'Where the new axis goes in the result (-1: last).' }],
  shapeRule: '[..., d, ...] → [..., 1, d, ...]',
  irForm: 'inputs [x]; attrs { axis } (non-negative, in the result)',
  infer({ inputs: [x], args }) {
    const rank = x!.shape.length + 1;
    const axis = normalise(args.axis as number, rank);
    if (axis < 0 || axis >= rank) return expects(`an axis between ${-rank} and ${rank - 1}`, { actual: `axis ${String(args.axis)}` });
    const shape: Dim[] = [...x!.shape];
    shape.splice(axis, 0, 1);
    return ok(shape, x!.dtype);
  },
  attrs: ({ inputs: [x], args }) => ({ axis: normalise(args.axis as number, x!.shape.length + 1) }),
  flops: () => 0,
};

function squeezedAxes(value: unknown, shape: Shape): number[] | string {
  if (value === null || value === undefined) return shape.flatMap((d, i) => (d === 1 ? [i] : []));
  const given = typeof value === 'number' ? [value] : (value as number[]);
  const axes = given.map((a) => normalise(a, shape.length));
  const bad = axes.findIndex((a) => a < 0 || a >= shape.length || shape[a] !== 1);
  if (bad !== -1) return `axis ${given[bad]} of ${formatShape(shape)}`;
  return [...new Set(axes)].sort((a, b) => a - b);
}

const squeeze: OpDef = {
  name: 'squeeze',
  category: 'shape',
  doc: 'Removes axes of size 1 (the given ones, or every one of known size 1).',
  params: [tensorParam(), { name: 'axis', kind: 'ints', doc: 'The size-1 axes to remove: a number or a list; default every axis of size 1.', default: null, defaultText: 'all size-1 axes', min: -64, max: 64 }],
  shapeRule: '[..., 1, ...] → [..., ...]',
  irForm: 'inputs [x]; attrs { axes } (non-negative)',
  infer({ inputs: [x], args }) {
    const axes = squeezedAxes(args.axis, x!.shape);
    if (typeof axes === 'string') return expects('axes of size 1', { actual: axes });
    return ok(x!.shape.filter((_, i) => !axes.includes(i)), x!.dtype);
  },
  attrs: ({ inputs: [x], args }) => ({ axes: squeezedAxes(args.axis, x!.shape) as number[] }),
  flops: () => 0,
};

const stack: OpDef = {
  name: 'stack',
  category: 'merge',
  doc: 'Joins tensors of one shape along a new axis (default the last).',
  params: [
    { name: 'inputs', kind: 'tensors', doc: 'Two or more tensors of the same shape.' },
    { name: 'axis', kind: 'axis', doc: 'Where the new axis goes in the result (negative counts from the end).', default: -1, namedOnly: true },
  ],
  shapeRule: 'n tensors [..., d, ...] → [..., n, d, ...]',
  irForm: 'inputs [a, b, ...]; attrs { axis } (non-negative, in the result)',
  infer({ inputs, args }): ShapeResult {
    if (inputs.length < 2) return expects('at least two tensors', { actual: `${inputs.length}` });
    const first = inputs[0]!;
    const wrong = inputs.findIndex((t) => !sameShape(t.shape, first.shape) || t.dtype !== first.dtype);
    if (wrong !== -1) return expects(`tensors of one shape ${formatShape(first.shape)}`, { actual: formatShape(inputs[wrong]!.shape), input: wrong });
    const rank = first.shape.length + 1;
    const axis = normalise(args.axis as number, rank);
    if (axis < 1 || axis >= rank) return expects(`an axis between 1 and ${rank - 1} (or negative)`, { actual: `axis ${String(args.axis)}` });
    const shape: Dim[] = [...first.shape];
    shape.splice(axis, 0, inputs.length);
    return ok(shape, first.dtype);
  },
  attrs: ({ inputs, args }) => ({ axis: normalise(args.axis as number, inputs[0]!.shape.length + 1) }),
  flops: () => 0,
};

/** One width per axis after batch: a number pads every one of them, a list names each. */
function widthsOf(value: unknown, rank: number): number[] | string {
  const list = typeof value === 'number' ? Array<number>(rank - 1).fill(value) : (value as number[]);
  if (list.length !== rank - 1) return `${list.length} widths for the ${rank - 1} axes after batch`;
  return [0, ...list];
}

const pad: OpDef = {
  name: 'pad',
  category: 'shape',
  doc: 'Pads the axes after batch at both ends: with zeros, or by reflecting the values next to the edge (as NumPy\'s reflect).',
  params: [
    tensorParam(),
    { name: 'before', kind: 'ints', doc: 'Positions added before each axis after batch: a number for all of them or a list, [1, 1, 0] for an image.', min: 0, max: 4096 },
    { name: 'after', kind: 'ints', doc: 'Positions added after each axis (default: as before).', default: null, defaultText: 'before', min: 0, max: 4096 },
    { name: 'mode', kind: 'choice', doc: 'zeros, or reflect (the edge value itself is not repeated).', default: 'zeros', choices: ['zeros', 'reflect'] },
  ],
  shapeRule: '[batch, d1, ...] → [batch, d1 + before1 + after1, ...]',
  irForm: 'inputs [x]; attrs { before, after, mode } (one width per axis, batch 0)',
  infer({ inputs: [x], args }) {
    const rank = x!.shape.length;
    if (rank < 2) return expects('[batch, ...] with at least one axis after batch');
    const before = widthsOf(args.before, rank);
    const after = widthsOf(args.after ?? args.before, rank);
    if (typeof before === 'string') return expects('one width per axis after batch', { actual: before });
    if (typeof after === 'string') return expects('one width per axis after batch', { actual: after });
    if (args.mode === 'reflect') {
      const tooWide = x!.shape.findIndex((d, i) => before[i]! + after[i]! > 0 && (typeof d !== 'number' || before[i]! >= d || after[i]! >= d));
      if (tooWide !== -1) return expects(`reflect widths below the size of axis ${tooWide} (a known size)`, { actual: `${before[tooWide]} and ${after[tooWide]} on ${String(x!.shape[tooWide])}` });
    }
    if (x!.dtype !== 'f32') return expects('a float tensor', { actual: `int ${formatShape(x!.shape)}` });
    return ok(x!.shape.map((d, i) => dimAdd(d, before[i]! + after[i]!)));
  },
  attrs: ({ inputs: [x], args }) => ({
    before: widthsOf(args.before, x!.shape.length) as number[],
    after: widthsOf(args.after ?? args.before, x!.shape.length) as number[],
    mode: args.mode as string,
  }),
  flops: () => 0,
};

export const SHAPE_OPS: OpDef[] = [transpose, expand_dims, squeeze, stack, pad];
