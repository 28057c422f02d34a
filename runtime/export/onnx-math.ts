import { reduceOpOf, unaryNumbers, unaryOpOf, type ReduceOpName, type UnaryOpName } from '../plan/math-ops.js';
import { attr } from './onnx-graph.js';
import type { OnnxRule, StepExport } from './onnx-step.js';

/**
 * The tensor arithmetic of runtime/plan/math-ops.ts: one `unary` kernel whose `op` picks an entry
 * here (its numbers a and b as constants), and one `reduce` over non-negative axes. Typed by the op
 * names, so a new op without an ONNX form does not compile.
 */
type UnaryExport = (s: StepExport, x: string, a: number, b: number) => string;

const UNARY: Record<UnaryOpName, UnaryExport> = {
  affine: (s, x, a, b) => s.op('Add', [s.op('Mul', [x, s.floats([a], [])]), s.floats([b], [])]),
  reciprocal: (s, x, a) => s.op('Div', [s.floats([a], []), x]),
  exp: (s, x) => s.op('Exp', [x]),
  log: (s, x) => s.op('Log', [x]),
  sqrt: (s, x) => s.op('Sqrt', [x]),
  abs: (s, x) => s.op('Abs', [x]),
  square: (s, x) => s.op('Mul', [x, x]),
  // std::pow, as the CPU kernel's Math.pow: a whole exponent keeps the sign of a negative base.
  pow: (s, x, a) => s.op('Pow', [x, s.floats([a], [])]),
  clip: (s, x, a, b) => s.op('Clip', [x, s.floats([a], []), s.floats([b], [])]),
};

export const unary: OnnxRule = (s) => {
  const { a, b } = unaryNumbers(s.attrs);
  const y = UNARY[unaryOpOf(s.attrs)](s, s.input(0), a, b);
  s.op('Identity', [y], { outputs: [s.out(0)!] });
};

/** Opset 17: ReduceSum takes its axes as an input, the others as an attribute (until opset 18). */
const REDUCE: Record<ReduceOpName, string> = { sum: 'ReduceSum', mean: 'ReduceMean', max: 'ReduceMax', min: 'ReduceMin' };

export const reduce: OnnxRule = (s) => {
  const op = reduceOpOf(s.attrs);
  const axes = (s.attrs.axes as number[] | undefined) ?? [];
  const keepdims = attr.int('keepdims', s.attrs.keepdims === true ? 1 : 0);
  if (axes.length === 0) {
    s.op('Identity', [s.input(0)], { outputs: [s.out(0)!] });
  } else if (op === 'sum') {
    s.op(REDUCE[op], [s.input(0), s.ints(axes)], { outputs: [s.out(0)!], attributes: [keepdims] });
  } else {
    s.op(REDUCE[op], [s.input(0)], { outputs: [s.out(0)!], attributes: [attr.ints('axes', axes), keepdims] });
  }
};
