import { parseKernelName, RECURRENT_CELLS, type RecurrentCell, type RecurrentCellName } from '../plan/kernels.js';
import { attr } from './onnx-graph.js';
import { ONNX_FLOAT, ONNX_INT32, ONNX_INT64 } from './onnx-model.js';
import { onnxGateRows } from './onnx-layouts.js';
import type { OnnxRule, StepExport } from './onnx-step.js';

/**
 * `<cell>_scan` on ONNX's own RNN / LSTM / GRU operators. nnet computes the input projection
 * x·w_ihᵀ + bias as a matmul step before the scan; the mapping reaches back to that step and hands
 * x, w_ih and the bias to the ONNX operator (whose W and Wb are that projection), so the matmul node
 * is left unread and pruned. When the scan's input is not such a projection, the operator gets the
 * projected values themselves with W = a gate-ordering permutation (EyeLike + Gather).
 *
 * Gate order: ONNX_GATE_ORDER (Gather of rows). nnet's GRU applies r after the recurrent product,
 * (w_hh·h)_n, with its one bias on the input side: ONNX's linear_before_reset = 1 with Rb = 0 and
 * Wb = nnet's bias is exactly that; gru_reset_after's recurrent bias is Rb. Layout: ONNX wants [T, N, ·] (layout 0, the one onnxruntime runs),
 * so x is transposed in and Y out; the initial states are zeros in both.
 *
 * A masked scan: ONNX's operators take sequence_lens (past its length a row's Y is 0 and Y_h is the
 * last real step's state) but no step to skip in the middle, where nnet carries the state over. So
 * each row's real steps are first moved to its front, in order (GatherElements by the order TopK
 * gives for 2T·real − t), the operator runs with sequence_lens = their count, and Y goes back to the
 * steps it came from (ScatterElements into zeros): exact for any mask, padding or holes.
 * reverse_sequence is ONNX's ReverseSequence over each row's length (1 + its last nonzero step).
 */

const OPERATOR: Record<RecurrentCellName, string> = { rnn: 'RNN', lstm: 'LSTM', gru: 'GRU', gru_reset_after: 'GRU' };

interface Projection {
  x: string;
  weight: string;
  bias: string | undefined;
}

/** The matmul (transB, no activation) and bias that wrote `xw`, fused or as two steps. */
function projectionOf(s: StepExport, xw: string): Projection | undefined {
  let step = s.producer(xw);
  let bias: string | undefined;
  if (step && parseKernelName(step.kernel).base === 'bias_add') {
    bias = step.inputs[1];
    step = s.producer(step.inputs[0]!);
  }
  if (!step) return undefined;
  const { base, epilogue } = parseKernelName(step.kernel);
  if (base !== 'matmul' || step.attrs.transA === true || step.attrs.transB !== true) return undefined;
  if (epilogue.some((e) => e !== 'bias') || (epilogue.includes('bias') && bias !== undefined)) return undefined;
  if (s.shape(step.inputs[1]!)?.length !== 2 || s.shape(step.inputs[0]!)?.length !== 3) return undefined;
  return { x: step.inputs[0]!, weight: step.inputs[1]!, bias: epilogue.includes('bias') ? step.inputs[2] : bias };
}

/** Each row's length from a mask [N, T] (i32 or f32): 1 + the last step whose mask is nonzero, int64 [N]. */
function lengthsOf(s: StepExport, mask: string): string {
  const valid = s.op('Cast', [s.op('Not', [s.op('Equal', [s.op('Cast', [mask], { attributes: [attr.int('to', ONNX_FLOAT)] }), s.floats([0], [])])])], { attributes: [attr.int('to', ONNX_INT64)] });
  const steps = s.op('Gather', [s.op('Shape', [mask]), s.ints([1], [])], { attributes: [attr.int('axis', 0)] });
  const positions = s.op('Range', [s.ints([1], []), s.op('Add', [steps, s.ints([1], [])]), s.ints([1], [])]);
  return s.op('ReduceMax', [s.op('Mul', [valid, positions])], { attributes: [attr.ints('axes', [1]), attr.int('keepdims', 0)] });
}

/** Each row's real steps first, in order: the step order [N, T] (int64) and the count of real steps [N] (int32). */
function compaction(s: StepExport, mask: string): { order: string; counts: string } {
  const real = s.op('Cast', [s.op('Not', [s.op('Equal', [s.op('Cast', [mask], { attributes: [attr.int('to', ONNX_FLOAT)] }), s.floats([0], [])])])], { attributes: [attr.int('to', ONNX_FLOAT)] });
  const shape = s.op('Shape', [mask]);
  const steps = s.op('Gather', [shape, s.ints([1], [])], { attributes: [attr.int('axis', 0)] });
  const t = s.op('Cast', [s.op('Range', [s.ints([0], []), steps, s.ints([1], [])])], { attributes: [attr.int('to', ONNX_FLOAT)] });
  const twice = s.op('Mul', [s.op('Cast', [steps], { attributes: [attr.int('to', ONNX_FLOAT)] }), s.floats([2], [])]);
  const key = s.op('Sub', [s.op('Mul', [real, twice]), t]);
  const order = s.graph.fresh(`${s.out(0)}:order`);
  s.op('TopK', [key, s.op('Gather', [shape, s.ints([1])], { attributes: [attr.int('axis', 0)] })], {
    outputs: [s.graph.fresh(`${s.out(0)}:keys`), order],
    attributes: [attr.int('axis', 1), attr.int('largest', 1), attr.int('sorted', 1)],
  });
  const counts = s.op('Cast', [s.op('ReduceSum', [real, s.ints([1])], { attributes: [attr.int('keepdims', 0)] })], { attributes: [attr.int('to', ONNX_INT32)] });
  return { order, counts };
}

/** The order [N, T] spread over the axes after time of `tensor` [N, T, ...]. */
function spread(s: StepExport, order: string, tensor: string): string {
  return s.op('Expand', [s.op('Unsqueeze', [order, s.ints([2])]), s.op('Shape', [tensor])]);
}

/** nonzero: 1 where x ≠ 0, else 0, as float. */
export const nonzero: OnnxRule = (s) => {
  s.expect([], 1);
  const zero = s.op('Equal', [s.op('Cast', [s.input(0)], { attributes: [attr.int('to', ONNX_FLOAT)] }), s.floats([0], [])]);
  s.op('Cast', [s.op('Not', [zero])], { outputs: [s.out(0)!], attributes: [attr.int('to', ONNX_FLOAT)] });
};

export const reverseSequence: OnnxRule = (s) => {
  s.expect([], 2);
  s.op('ReverseSequence', [s.input(0), lengthsOf(s, s.input(1))], { outputs: [s.out(0)!], attributes: [attr.int('batch_axis', 0), attr.int('time_axis', 1)] });
};

export function scan(cell: RecurrentCellName, masked = false): OnnxRule {
  return (s) => {
    // Rb: gru_reset_after's recurrent bias (its scan's third input) is ONNX's, in ONNX's gate order.
    const hasRecurrentBias = (RECURRENT_CELLS[cell] as RecurrentCell).recurrentBias === true;
    s.expect(['units', 'return_sequences'], (hasRecurrentBias ? 3 : 2) + (masked ? 1 : 0));
    const units = s.attrs.units as number;
    const gates = RECURRENT_CELLS[cell].gates;
    const rows = s.ints(onnxGateRows(cell, units));
    const toOnnx = (weight: string): string => s.op('Unsqueeze', [s.op('Gather', [weight, rows], { attributes: [attr.int('axis', 0)] }), s.ints([0])]);
    const projection = projectionOf(s, s.input(0));
    const compact = masked ? compaction(s, s.input(hasRecurrentBias ? 3 : 2)) : null;
    const unmoved = projection?.x ?? s.input(0);
    const x = compact ? s.op('GatherElements', [unmoved, spread(s, compact.order, unmoved)], { attributes: [attr.int('axis', 1)] }) : unmoved;
    // W: w_ih itself, or a permutation matrix over the projected values.
    const w = projection ? toOnnx(projection.weight) : toOnnx(s.op('EyeLike', [s.op('ConstantOfShape', [s.ints([gates * units, gates * units])])]));
    const inputBias = projection?.bias ? s.op('Gather', [projection.bias, rows], { attributes: [attr.int('axis', 0)] }) : s.floats(new Array<number>(gates * units).fill(0));
    const recurrentBias = hasRecurrentBias ? s.op('Gather', [s.input(2), rows], { attributes: [attr.int('axis', 0)] }) : s.floats(new Array<number>(gates * units).fill(0));
    const b = s.op('Unsqueeze', [s.op('Concat', [inputBias, recurrentBias], { attributes: [attr.int('axis', 0)] }), s.ints([0])]);
    const timeMajor = s.op('Transpose', [x], { attributes: [attr.ints('perm', [1, 0, 2])] });
    const attributes = [attr.int('hidden_size', units), ...(cell === 'gru' || cell === 'gru_reset_after' ? [attr.int('linear_before_reset', 1)] : [])];
    const sequences = s.attrs.return_sequences === true;
    const y = s.graph.fresh(`${s.out(0)}:Y`);
    const yh = s.graph.fresh(`${s.out(0)}:Y_h`);
    s.op(OPERATOR[cell], [timeMajor, w, toOnnx(s.input(1)), b, ...(compact ? [compact.counts] : [])], { outputs: sequences ? [y] : ['', yh], attributes });
    if (sequences) {
      // Y [T, 1, N, H] → [N, T, H] (and each step back where it came from)
      const squeezed = s.op('Squeeze', [y, s.ints([1])]);
      if (!compact) {
        s.op('Transpose', [squeezed], { outputs: [s.out(0)!], attributes: [attr.ints('perm', [1, 0, 2])] });
        return;
      }
      const moved = s.op('Transpose', [squeezed], { attributes: [attr.ints('perm', [1, 0, 2])] });
      const zeros = s.op('ConstantOfShape', [s.op('Shape', [moved])]);
      s.op('ScatterElements', [zeros, spread(s, compact.order, moved), moved], { outputs: [s.out(0)!], attributes: [attr.int('axis', 1)] });
    } else {
      // Y_h [1, N, H] → [N, H]
      s.op('Squeeze', [yh, s.ints([0])], { outputs: [s.out(0)!] });
    }
  };
}
