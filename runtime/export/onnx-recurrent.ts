import { parseKernelName, RECURRENT_CELLS, type RecurrentCell, type RecurrentCellName } from '../plan/kernels.js';
import { attr } from './onnx-graph.js';
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

export function scan(cell: RecurrentCellName): OnnxRule {
  return (s) => {
    // Rb: gru_reset_after's recurrent bias (its scan's third input) is ONNX's, in ONNX's gate order.
    const hasRecurrentBias = (RECURRENT_CELLS[cell] as RecurrentCell).recurrentBias === true;
    s.expect(['units', 'return_sequences'], hasRecurrentBias ? 3 : 2);
    const units = s.attrs.units as number;
    const gates = RECURRENT_CELLS[cell].gates;
    const rows = s.ints(onnxGateRows(cell, units));
    const toOnnx = (weight: string): string => s.op('Unsqueeze', [s.op('Gather', [weight, rows], { attributes: [attr.int('axis', 0)] }), s.ints([0])]);
    const projection = projectionOf(s, s.input(0));
    const x = projection?.x ?? s.input(0);
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
    s.op(OPERATOR[cell], [timeMajor, w, toOnnx(s.input(1)), b], { outputs: sequences ? [y] : ['', yh], attributes });
    if (sequences) {
      // Y [T, 1, N, H] → [N, T, H]
      const squeezed = s.op('Squeeze', [y, s.ints([1])]);
      s.op('Transpose', [squeezed], { outputs: [s.out(0)!], attributes: [attr.ints('perm', [1, 0, 2])] });
    } else {
      // Y_h [1, N, H] → [N, H]
      s.op('Squeeze', [yh, s.ints([0])], { outputs: [s.out(0)!] });
    }
  };
}
