import { activationAlpha, perActivation, type ActivationGradName, type ActivationName } from '../../plan/activations.js';
import type { Attrs, CpuKernel } from '../kernel-interface.js';
import { f32 } from '../kernel-interface.js';

/**
 * Element-wise activations, each as an in-place range function (so matmul/conv epilogues can apply
 * it to rows still in cache) plus its gradient kernel `<name>_grad(dy, y|x)`.
 */
export type RangeFn = (data: Float32Array, start: number, end: number) => void;

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** Scalar forms; range functions are built from them with the loop inlined per activation (the switch covers every ActivationName). */
export function activationRange(name: ActivationName, attrs: Attrs): RangeFn {
  switch (name) {
    case 'linear':
      return () => {};
    case 'relu':
      return (d, s, e) => { for (let i = s; i < e; i++) if (d[i]! < 0) d[i] = 0; };
    case 'leaky_relu': {
      const alpha = activationAlpha(name, attrs);
      return (d, s, e) => { for (let i = s; i < e; i++) if (d[i]! < 0) d[i] = alpha * d[i]!; };
    }
    case 'elu': {
      const alpha = activationAlpha(name, attrs);
      return (d, s, e) => { for (let i = s; i < e; i++) if (d[i]! < 0) d[i] = alpha * Math.expm1(d[i]!); };
    }
    case 'gelu':
      return (d, s, e) => {
        for (let i = s; i < e; i++) {
          const x = d[i]!;
          d[i] = 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)));
        }
      };
    case 'sigmoid':
      return (d, s, e) => { for (let i = s; i < e; i++) d[i] = sigmoid(d[i]!); };
    case 'tanh':
      return (d, s, e) => { for (let i = s; i < e; i++) d[i] = Math.tanh(d[i]!); };
    case 'softplus':
      return (d, s, e) => {
        for (let i = s; i < e; i++) {
          const x = d[i]!;
          d[i] = Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
        }
      };
    case 'silu':
      return (d, s, e) => { for (let i = s; i < e; i++) d[i] = d[i]! * sigmoid(d[i]!); };
    case 'step':
      return (d, s, e) => { for (let i = s; i < e; i++) d[i] = d[i]! > 0 ? 1 : 0; };
  }
}

function forward(name: ActivationName): CpuKernel {
  return (_ctx, [x], [y], attrs) => {
    const out = f32(y!);
    out.set(f32(x!));
    activationRange(name, attrs)(out, 0, out.length);
  };
}

/** dx[i] = dy[i] · g(v[i]) where v is y or x as the kernel table says. */
function grad(name: ActivationName, derivative: (v: number, alpha: number) => number): CpuKernel {
  return (_ctx, [dy, v], [dx], attrs) => {
    const g = f32(dy!);
    const val = f32(v!);
    const out = f32(dx!);
    const alpha = activationAlpha(name, attrs);
    for (let i = 0; i < out.length; i++) out[i] = g[i]! * derivative(val[i]!, alpha);
  };
}

/**
 * relu's gradient has its own loop: it runs after every relu layer in training, and the shared
 * `grad` loop calls its derivative through a call site every activation shares (not inlined).
 * `g · 0` where y ≤ 0 keeps the bits the shared loop gives (−0, NaN for an infinite g).
 */
const reluGrad: CpuKernel = (_ctx, inputs, outputs) => {
  const g = f32(inputs[0]!);
  const y = f32(inputs[1]!);
  const out = f32(outputs[0]!);
  for (let i = 0; i < out.length; i++) out[i] = y[i]! > 0 ? g[i]! : g[i]! * 0;
};

function geluDerivative(x: number): number {
  const inner = SQRT_2_OVER_PI * (x + 0.044715 * x * x * x);
  const t = Math.tanh(inner);
  return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * 0.044715 * x * x);
}

const gradKernels: Record<ActivationGradName, CpuKernel> = {
  linear_grad: grad('linear', () => 1),
  relu_grad: reluGrad,
  leaky_relu_grad: grad('leaky_relu', (y, alpha) => (y > 0 ? 1 : alpha)),
  elu_grad: grad('elu', (y, alpha) => (y > 0 ? 1 : y + alpha)),
  gelu_grad: grad('gelu', geluDerivative),
  sigmoid_grad: grad('sigmoid', (y) => y * (1 - y)),
  tanh_grad: grad('tanh', (y) => 1 - y * y),
  softplus_grad: grad('softplus', (y) => -Math.expm1(-y)),
  silu_grad: grad('silu', (x) => {
    const s = sigmoid(x);
    return s * (1 + x * (1 - s));
  }),
  step_grad: grad('step', () => 0),
};

export const activationKernels: Record<ActivationName | ActivationGradName, CpuKernel> = { ...perActivation(forward), ...gradKernels };
