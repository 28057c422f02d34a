import { broadcast, dimAdd, formatShape, perSampleSize, sameDim } from '../shapes/dims.js';
import type { Dim, TensorType } from '../ir/types.js';
import { tensorParam } from './common.js';
import { expects, ok, type OpDef, type ShapeResult } from './types.js';

/**
 * add(a, b, ...) and multiply(a, b, ...), subtract(a, b) and divide(a, b) (the operators `+ * - /`
 * between tensors): element-wise with numpy broadcasting (trailing axes aligned, size-1 axes stretch). concat(a, b, ..., axis = -1): joins along one axis; every other
 * axis must match.
 *
 * IR form: inputs [a, b, ...]; add and multiply attrs {}; concat attrs { axis } (non-negative).
 */

function elementwise(name: 'add' | 'multiply' | 'subtract' | 'divide', doc: string): OpDef {
  const pair = name === 'subtract' || name === 'divide';
  return {
    name,
    category: 'merge',
    doc,
    params: pair
      ? [tensorParam('a', 'The left operand.'), tensorParam('b', 'The right operand, broadcast against a.')]
      : [{ name: 'inputs', kind: 'tensors', doc: 'Two or more tensors of broadcast-compatible shapes.' }],
    shapeRule: 'broadcast of the input shapes',
    irForm: pair ? 'inputs [a, b]; attrs {}' : 'inputs [a, b, ...]; attrs {}',
    infer({ inputs }) {
      if (inputs.length < 2) return expects('at least two tensors', { actual: `${inputs.length}` });
      // Division is a float kernel: an int operand would be divided as a float and read back rounded.
      if (name === 'divide' && inputs.some((t) => t.dtype === 'i32')) return expects('float operands', { actual: 'an int tensor', input: inputs.findIndex((t) => t.dtype === 'i32') });
      let shape = inputs[0]!.shape;
      for (let i = 1; i < inputs.length; i++) {
        const next = broadcast(shape, inputs[i]!.shape);
        if (!next) return expects(`shapes that broadcast with ${formatShape(shape)}`, { actual: formatShape(inputs[i]!.shape), input: i });
        shape = next;
      }
      const dtype = inputs.every((t) => t.dtype === 'i32') ? 'i32' : 'f32';
      return ok(shape, dtype);
    },
    attrs: () => ({}),
    flops: ({ inputs }, out) => {
      const n = perSampleSize(out.shape);
      return n === null ? null : n * (inputs.length - 1);
    },
  };
}

export const add = elementwise('add', 'Element-wise sum of two or more tensors (residual connections).');
export const multiply = elementwise('multiply', 'Element-wise product of two or more tensors (gating).');
export const subtract = elementwise('subtract', 'Element-wise difference a − b with broadcasting; the operator form is `a - b`.');
export const divide = elementwise('divide', 'Element-wise quotient a / b with broadcasting; the operator form is `a / b`.');

function normaliseAxis(axis: number, rank: number): number {
  return axis < 0 ? rank + axis : axis;
}

export const concat: OpDef = {
  name: 'concat',
  category: 'merge',
  doc: 'Joins tensors along an axis (default the last).',
  params: [
    { name: 'inputs', kind: 'tensors', doc: 'Two or more tensors equal in every axis but `axis`.' },
    { name: 'axis', kind: 'axis', doc: 'The axis to join along (negative counts from the end).', default: -1, namedOnly: true },
  ],
  shapeRule: 'inputs equal except along axis, which sums',
  irForm: 'inputs [a, b, ...]; attrs { axis } (non-negative)',
  infer({ inputs, args }): ShapeResult {
    if (inputs.length < 2) return expects('at least two tensors', { actual: `${inputs.length}` });
    const first: TensorType = inputs[0]!;
    const rank = first.shape.length;
    const axis = normaliseAxis(args.axis as number, rank);
    if (axis < 1 || axis >= rank) return expects(`an axis between 1 and ${rank - 1} (or -1)`, { actual: `axis ${args.axis}` });
    let joined: Dim = first.shape[axis]!;
    for (let i = 1; i < inputs.length; i++) {
      const shape = inputs[i]!.shape;
      const matches = shape.length === rank && shape.every((d, a) => a === axis || sameDim(d, first.shape[a]!));
      if (!matches) {
        const wanted = first.shape.map((d, a) => (a === axis ? '_' : String(d)));
        return expects(`[${wanted.join(', ')}] (equal except along axis ${axis})`, { actual: formatShape(shape), input: i });
      }
      joined = dimAdd(joined, shape[axis]!);
    }
    const out = [...first.shape];
    out[axis] = joined;
    return ok(out, first.dtype);
  },
  attrs: ({ inputs, args }) => ({ axis: normaliseAxis(args.axis as number, inputs[0]!.shape.length) }),
  flops: () => 0,
};
