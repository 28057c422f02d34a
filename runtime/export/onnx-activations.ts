import type { ActivationName } from '../plan/activations.js';
import { attr } from './onnx-graph.js';
import { ONNX_FLOAT } from './onnx-model.js';
import type { StepExport } from './onnx-step.js';

/**
 * Each activation in ONNX opset 17, written from `x` to `y`: a one-to-one operator where one exists
 * (alpha carried over), else a composition of standard ops that follows the formula in
 * runtime/plan/activations.ts. Used for activation steps and for fused activation epilogues alike.
 */
type ActivationExport = (s: StepExport, x: string, y: string, alpha: number) => void;

const unary = (opType: string, withAlpha = false): ActivationExport => (s, x, y, alpha) => {
  s.op(opType, [x], { outputs: [y], ...(withAlpha ? { attributes: [attr.float('alpha', alpha)] } : {}) });
};

export const ONNX_ACTIVATIONS: Record<ActivationName, ActivationExport> = {
  linear: unary('Identity'),
  relu: unary('Relu'),
  leaky_relu: unary('LeakyRelu', true),
  elu: unary('Elu', true),
  sigmoid: unary('Sigmoid'),
  tanh: unary('Tanh'),
  softplus: unary('Softplus'),
  // x·sigmoid(x)
  silu: (s, x, y) => {
    s.op('Mul', [x, s.op('Sigmoid', [x])], { outputs: [y] });
  },
  // 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))): opset 17 has no Gelu (opset 20 does).
  gelu: (s, x, y) => {
    const cube = s.op('Mul', [s.op('Mul', [x, x]), x]);
    const inner = s.op('Add', [x, s.op('Mul', [cube, s.floats([0.044715], [])])]);
    const t = s.op('Tanh', [s.op('Mul', [inner, s.floats([Math.sqrt(2 / Math.PI)], [])])]);
    s.op('Mul', [s.op('Mul', [x, s.floats([0.5], [])]), s.op('Add', [t, s.floats([1], [])])], { outputs: [y] });
  },
  // x > 0 ? 1 : 0
  step: (s, x, y) => {
    s.op('Cast', [s.op('Greater', [x, s.floats([0], [])])], { outputs: [y], attributes: [attr.int('to', ONNX_FLOAT)] });
  },
};
