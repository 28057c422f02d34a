import { parseKernelName } from '../plan/kernels.js';
import { attr } from './onnx-graph.js';
import { ONNX_DOUBLE, ONNX_FLOAT } from './onnx-model.js';
import type { OnnxRule, StepExport } from './onnx-step.js';

/**
 * Multi-head attention and the sinusoidal positional encoding from standard opset-17 ops (opset 17
 * has no attention operator). nnet's `attention` kernel takes the projected q, k, v [N, T, D]; the
 * projections around it are ordinary matmul steps.
 */

/** [N, T, D] → [N, heads, T, D/heads], then `perm` on that. */
function splitHeads(s: StepExport, x: string, heads: number, depth: number, perm: readonly number[]): string {
  const split = s.op('Reshape', [x, s.ints([0, 0, heads, depth / heads])]);
  return s.op('Transpose', [split], { attributes: [attr.ints('perm', perm)] });
}

/** A scalar int64 holding axis `axis` of `x`'s run-time shape. */
function sizeOf(s: StepExport, x: string, axis: number): string {
  return s.op('Gather', [s.op('Shape', [x]), s.ints([axis], [])], { attributes: [attr.int('axis', 0)] });
}

/**
 * probs = softmax(q_h·k_hᵀ/√(D/heads)) with the future masked (−∞) when causal and, for
 * masked_attention, the keys whose mask [N, Tk] is 0 (−∞ too); y = probs·v_h, heads joined. A query
 * with every key masked gets probabilities 0 (softmax over −∞ alone is NaN), as nnet's kernel does.
 */
export const attention: OnnxRule = (s) => {
  const masked = parseKernelName(s.step.kernel).base === 'masked_attention';
  s.expect(['heads', 'causal'], masked ? 4 : 3);
  const heads = s.attrs.heads as number;
  const depth = s.shape(s.input(0))!.at(-1);
  if (typeof depth !== 'number') return s.refuse(`attention over a symbolic feature size '${depth}' has no ONNX export`);
  const q = splitHeads(s, s.input(0), heads, depth, [0, 2, 1, 3]);
  const kT = splitHeads(s, s.input(1), heads, depth, [0, 2, 3, 1]);
  const v = splitHeads(s, s.input(2), heads, depth, [0, 2, 1, 3]);
  let scores = s.op('Mul', [s.op('MatMul', [q, kT]), s.floats([1 / Math.sqrt(depth / heads)], [])]);
  if (s.attrs.causal === true) {
    // future[i][j] = j > i over the [Tq, Tk] score matrix
    const positions = (axis: number): string => s.op('Range', [s.ints([0], []), sizeOf(s, s.input(axis === 0 ? 0 : 1), 1), s.ints([1], [])]);
    const future = s.op('Greater', [s.op('Unsqueeze', [positions(1), s.ints([0])]), s.op('Unsqueeze', [positions(0), s.ints([1])])]);
    scores = s.op('Where', [future, s.floats([-Infinity], []), scores]);
  }
  let hidden: string | null = null;
  if (masked) {
    // [N, Tk] → [N, 1, 1, Tk], broadcast over heads and queries; [N, Tq, Tk] → [N, 1, Tq, Tk]
    const ignore = s.op('Equal', [s.op('Cast', [s.input(3)], { attributes: [attr.int('to', ONNX_FLOAT)] }), s.floats([0], [])]);
    hidden = s.op('Unsqueeze', [ignore, s.ints(s.shape(s.input(3))!.length === 3 ? [1] : [1, 2])]);
    scores = s.op('Where', [hidden, s.floats([-Infinity], []), scores]);
  }
  const probsOut = s.out(1) ? { outputs: [s.out(1)!] } : {};
  const softmax = s.op('Softmax', [scores], { attributes: [attr.int('axis', -1)], ...(hidden ? {} : probsOut) });
  const probs = hidden ? s.op('Where', [s.op('IsNaN', [softmax]), s.floats([0], []), softmax], probsOut) : softmax;
  const joined = s.op('Transpose', [s.op('MatMul', [probs, v])], { attributes: [attr.ints('perm', [0, 2, 1, 3])] });
  s.op('Reshape', [joined, s.ints([0, 0, depth])], { outputs: [s.out(0)!] });
};

/**
 * y = x + PE[t, d], PE = sin(t / 10000^(2⌊d/2⌋/D)) on even d, cos on odd d: computed in double
 * precision for the run-time length T (as nnet's kernel does) and rounded once to float.
 */
export const positionalEncoding: OnnxRule = (s) => {
  s.expect([], 1);
  const depth = s.shape(s.input(0))!.at(-1);
  if (typeof depth !== 'number') return s.refuse(`a positional encoding over a symbolic feature size '${depth}' has no ONNX export`);
  const length = s.op('Cast', [sizeOf(s, s.input(0), 1)], { attributes: [attr.int('to', ONNX_DOUBLE)] });
  const zero = s.graph.doubles('pe:zero', [0], []);
  const one = s.graph.doubles('pe:one', [1], []);
  const positions = s.op('Unsqueeze', [s.op('Range', [zero, length, one]), s.ints([1])]);
  const denominators = Array.from({ length: depth }, (_, e) => Math.pow(10000, (2 * Math.floor(e / 2)) / depth));
  const angles = s.op('Div', [positions, s.graph.doubles('pe:denominators', denominators)]);
  const even = s.graph.bools('pe:even', Array.from({ length: depth }, (_, e) => e % 2 === 0));
  const table = s.op('Where', [even, s.op('Sin', [angles]), s.op('Cos', [angles])]);
  const pe = s.op('Cast', [table], { attributes: [attr.int('to', ONNX_FLOAT)] });
  s.op('Add', [s.input(0), pe], { outputs: [s.out(0)!] });
};

