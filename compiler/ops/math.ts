import { reduceOpDoc, unaryOpFacts, type ReduceOpName, type UnaryOpName } from '../../runtime/plan/math-ops.js';
import type { Attrs } from '../ir/types.js';
import { formatShape, perSampleSize } from '../shapes/dims.js';
import { tensorParam } from './common.js';
import { expects, ok, type OpCall, type OpDef, type ParamDef, type ShapeResult } from './types.js';

/**
 * Elementwise math and reductions as ops of the language. Each elementwise op is the `unary` kernel
 * with its `op` (runtime/plan/math-ops.ts, where the formulas are declared once); each reduction the
 * `reduce` kernel. The arithmetic operators on a tensor and a number (`x * 0.5`, `1 - x`, `-x`) are
 * the same kernel (`affine`, `reciprocal`), made by the checker (compiler/check/arithmetic.ts).
 *
 * IR form: exp, log, sqrt, abs, square: inputs [x]; attrs {}. pow: attrs { exponent }. clip:
 * attrs { min, max }. sum, mean, max, min: inputs [x]; attrs { axes (non-negative, ascending: a dim name
 * given as the axis is resolved to its position), keepdims }.
 */

type MathOpName = Exclude<UnaryOpName, 'affine' | 'reciprocal'>;

/** How a math op's numbers become the kernel's `a` and `b`. */
const NUMBERS: Record<MathOpName, (args: OpCall['args']) => { a?: number; b?: number }> = {
  exp: () => ({}),
  log: () => ({}),
  sqrt: () => ({}),
  abs: () => ({}),
  square: () => ({}),
  pow: (args) => ({ a: args.exponent as number }),
  clip: (args) => ({ a: args.min as number, b: args.max as number }),
};

/** Where the kernel's formula names `a` and `b`, the language says the argument names. */
const OWN_DOCS: Partial<Record<MathOpName, string>> = {
  pow: 'y = x^exponent; a whole exponent keeps the sign of negative x ((−2)³ = −8).',
  clip: 'y = min(max(x, min), max): values limited to [min, max].',
};

const EXTRA_PARAMS: Partial<Record<MathOpName, ParamDef[]>> = {
  pow: [{ name: 'exponent', kind: 'number', doc: 'The power: pow(x, 2), pow(x, 0.5); a whole exponent keeps the sign of negative x.' }],
  clip: [
    { name: 'min', kind: 'number', doc: 'Values below it become it.' },
    { name: 'max', kind: 'number', doc: 'Values above it become it.' },
  ],
};

function floatInput(x: OpCall['inputs'][number]): ShapeResult {
  return x.dtype === 'f32' ? ok(x.shape) : expects('a float tensor', { actual: `int ${formatShape(x.shape)}` });
}

function mathOp(name: MathOpName): OpDef {
  const extra = EXTRA_PARAMS[name] ?? [];
  return {
    name,
    category: 'math',
    doc: OWN_DOCS[name] ?? unaryOpFacts(name).doc,
    params: [tensorParam(), ...extra],
    shapeRule: 'unchanged',
    irForm: extra.length > 0 ? `inputs [x]; attrs { ${extra.map((p) => p.name).join(', ')} }` : 'inputs [x]; attrs {}',
    infer(call) {
      if (name === 'clip' && (call.args.min as number) > (call.args.max as number)) return expects('min ≤ max', { actual: `min ${String(call.args.min)}, max ${String(call.args.max)}` });
      return floatInput(call.inputs[0]!);
    },
    attrs: (call): Attrs => Object.fromEntries(extra.map((p) => [p.name, call.args[p.name] as number])),
    flops: ({ inputs: [x] }) => perSampleSize(x!.shape),
  };
}

/** The kernel numbers of a math op's layer node (the lowering reads them from its attrs). */
export function mathNumbers(name: string, attrs: Attrs): { a?: number; b?: number } {
  return NUMBERS[name as MathOpName](attrs as OpCall['args']);
}

/**
 * The axes a reduction names, non-negative, ascending and distinct; a message when one is out of
 * range, repeated, or a dim name that is not exactly one axis of the input.
 */
function reducedAxes(axis: unknown, shape: OpCall['inputs'][number]['shape']): number[] | string {
  const rank = shape.length;
  if (axis === null || axis === undefined) return Array.from({ length: rank }, (_, i) => i);
  const given = Array.isArray(axis) ? (axis as Array<number | string>) : [axis as number | string];
  const axes: number[] = [];
  for (const a of given) {
    if (typeof a === 'string') {
      const at = shape.flatMap((d, i) => (d === a ? [i] : []));
      if (at.length !== 1) return `axis ${a}, which is ${at.length === 0 ? 'no' : 'more than one'} axis of ${formatShape(shape)}`;
      axes.push(at[0]!);
    } else if (a < -rank || a >= rank) {
      return `axis ${a} of a rank-${rank} tensor`;
    } else {
      axes.push(a < 0 ? rank + a : a);
    }
  }
  if (new Set(axes).size !== axes.length) return `axis ${given.join(', ')} (an axis named twice)`;
  return [...axes].sort((a, b) => a - b);
}

function reduction(name: ReduceOpName): OpDef {
  return {
    name,
    category: 'math',
    doc: `${reduceOpDoc(name)} Over every axis by default (a scalar), or over \`axis\` (a number or a list).`,
    params: [
      tensorParam(),
      { name: 'axis', kind: 'axes', doc: 'The axes to reduce: a number (negative counts from the end), a symbolic dim\'s name (seq), or a list; default all.', default: null, defaultText: 'all' },
      { name: 'keepdims', kind: 'bool', doc: 'Keep the reduced axes as size 1 (so the result broadcasts against x).', default: false },
    ],
    shapeRule: '[..., d, ...] → [..., ...] (the axes dropped), or [..., 1, ...] with keepdims',
    irForm: 'inputs [x]; attrs { axes, keepdims } (axes non-negative, ascending)',
    infer({ inputs: [x], args }) {
      const rank = x!.shape.length;
      const axes = reducedAxes(args.axis, x!.shape);
      if (typeof axes === 'string') return expects(`axes between ${-rank} and ${rank - 1}, or the name of one symbolic axis`, { actual: axes });
      if (x!.dtype !== 'f32') return expects('a float tensor', { actual: `int ${formatShape(x!.shape)}` });
      const keep = args.keepdims === true;
      return ok(x!.shape.flatMap((d, i) => (axes.includes(i) ? (keep ? [1] : []) : [d])));
    },
    attrs: ({ inputs: [x], args }) => ({ axes: reducedAxes(args.axis, x!.shape) as number[], keepdims: args.keepdims === true }),
    flops: ({ inputs: [x] }) => perSampleSize(x!.shape),
  };
}

export const MATH_OPS: OpDef[] = [
  ...(['exp', 'log', 'sqrt', 'abs', 'square', 'pow', 'clip'] as const).map(mathOp),
  ...(['sum', 'mean', 'max', 'min'] as const).map(reduction),
];
