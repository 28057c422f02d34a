import { reduceOpOf, unaryNumbers, unaryOpOf, type ReduceOpName, type UnaryOpName } from '../plan/math-ops.js';
import { attr } from './onnx-graph.js';
import type { OnnxRule, StepExport } from './onnx-step.js';

/**
 * The tensor arithmetic of runtime/plan/math-ops.ts: one `unary` kernel whose `op` picks an entry
 * here (its numbers a and b as constants), and one `reduce` over non-negative axes. Typed by the op
 * names, so a new op without an ONNX form does not compile.
 */
type UnaryExport = (s: StepExport, x: string, y: readonly string[], a: number, b: number) => void;

const UNARY: Record<UnaryOpName, UnaryExport> = {
  affine: (s, x, y, a, b) => s.op('Add', [s.op('Mul', [x, s.floats([a], [])]), s.floats([b], [])], { outputs: y }),
  reciprocal: (s, x, y, a) => s.op('Div', [s.floats([a], []), x], { outputs: y }),
  exp: (s, x, y) => s.op('Exp', [x], { outputs: y }),
  log: (s, x, y) => s.op('Log', [x], { outputs: y }),
  sqrt: (s, x, y) => s.op('Sqrt', [x], { outputs: y }),
  abs: (s, x, y) => s.op('Abs', [x], { outputs: y }),
  square: (s, x, y) => s.op('Mul', [x, x], { outputs: y }),
  // std::pow, as the CPU kernel's Math.pow: a whole exponent keeps the sign of a negative base.
  pow: (s, x, y, a) => s.op('Pow', [x, s.floats([a], [])], { outputs: y }),
  clip: (s, x, y, a, b) => s.op('Clip', [x, s.floats([a], []), s.floats([b], [])], { outputs: y }),
};

export const unary: OnnxRule = (s) => {
  s.expect(['op', 'a', 'b'], 1);
  const { a, b } = unaryNumbers(s.attrs);
  UNARY[unaryOpOf(s.attrs)](s, s.input(0), [s.out(0)!], a, b);
};

/** Opset 17: ReduceSum takes its axes as an input, the others as an attribute (until opset 18). */
const REDUCE: Record<ReduceOpName, string> = { sum: 'ReduceSum', mean: 'ReduceMean', max: 'ReduceMax', min: 'ReduceMin' };

export const reduce: OnnxRule = (s) => {
  s.expect(['op', 'axes', 'keepdims'], 1);
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
