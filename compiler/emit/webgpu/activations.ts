import { activationAlpha, type ActivationName } from '../../../runtime/plan/activations.js';
import { f32Literal } from './dims.js';

/**
 * The activations of the language in WGSL: each is a function `act_<name>(x) -> f32` used both by
 * the standalone activation kernels and by the matmul epilogue (applied in registers), and a gradient
 * `grad_<name>(dy, v)` where v is y or x as runtime/plan/kernels.ts says (`gradFrom`).
 * The formulas are those of kernels.ts; sigmoid, tanh and softplus are written in their stable forms
 * (WGSL's exp overflows to inf for x > 88, and some drivers compute tanh through exp).
 */

const NN_SIGMOID = `fn nn_sigmoid(x: f32) -> f32 {
  if (x >= 0.0) { return 1.0 / (1.0 + exp(-x)); }
  let e = exp(x);
  return e / (1.0 + e);
}`;

const NN_TANH = `fn nn_tanh(x: f32) -> f32 {
  let e = exp(-2.0 * abs(x));
  return sign(x) * (1.0 - e) / (1.0 + e);
}`;

/** The stable helpers the named activations call (only those, so golden files stay small). */
function helpers(names: readonly ActivationName[]): string[] {
  const out: string[] = [];
  if (names.some((n) => n === 'sigmoid' || n === 'silu')) out.push(NN_SIGMOID);
  if (names.some((n) => n === 'tanh' || n === 'gelu')) out.push(NN_TANH);
  return out;
}

const GELU_C = '0.7978845608028654'; // √(2/π)

function forwardBody(name: ActivationName, alpha: string): string {
  switch (name) {
    case 'linear': return 'return x;';
    case 'relu': return 'return max(x, 0.0);';
    case 'leaky_relu': return `return select(${alpha} * x, x, x > 0.0);`;
    case 'elu': return `return select(${alpha} * (exp(x) - 1.0), x, x > 0.0);`;
    case 'gelu': return `return 0.5 * x * (1.0 + nn_tanh(${GELU_C} * (x + 0.044715 * x * x * x)));`;
    case 'sigmoid': return 'return nn_sigmoid(x);';
    case 'tanh': return 'return nn_tanh(x);';
    case 'softplus': return 'return max(x, 0.0) + log(1.0 + exp(-abs(x)));';
    case 'silu': return 'return x * nn_sigmoid(x);';
    case 'step': return 'return select(0.0, 1.0, x > 0.0);';
  }
}

/** dx from dy and v (v = y or x, per kernels.ts). */
function gradBody(name: ActivationName, alpha: string): string {
  switch (name) {
    case 'linear': return 'return dy;';
    case 'relu': return 'return select(0.0, dy, v > 0.0);';
    case 'leaky_relu': return `return select(${alpha} * dy, dy, v > 0.0);`;
    case 'elu': return `return select(dy * (v + ${alpha}), dy, v > 0.0);`;
    case 'gelu':
      return [
        `let u = ${GELU_C} * (v + 0.044715 * v * v * v);`,
        'let t = nn_tanh(u);',
        `let du = ${GELU_C} * (1.0 + 3.0 * 0.044715 * v * v);`,
        'return dy * (0.5 * (1.0 + t) + 0.5 * v * (1.0 - t * t) * du);',
      ].join('\n  ');
    case 'sigmoid': return 'return dy * v * (1.0 - v);';
    case 'tanh': return 'return dy * (1.0 - v * v);';
    case 'softplus': return 'return dy * (1.0 - exp(-v));';
    case 'silu': return 'let s = nn_sigmoid(v);\n  return dy * s * (1.0 + v * (1.0 - s));';
    case 'step': return 'return 0.0;';
  }
}

/** WGSL helpers plus `act_<name>` for each activation named (deduplicated). */
export function activationFunctions(names: readonly ActivationName[], attrs: Record<string, unknown>): string {
  const unique = [...new Set(names)];
  const fns = unique.map((n) => `fn act_${n}(x: f32) -> f32 {\n  ${forwardBody(n, f32Literal(activationAlpha(n, attrs)))}\n}`);
  return [...helpers(unique), ...fns].join('\n');
}

export function activationGradFunction(name: ActivationName, attrs: Record<string, unknown>): string {
  return `${[...helpers([name]), ''].join('\n')}fn grad_${name}(dy: f32, v: f32) -> f32 {\n  ${gradBody(name, f32Literal(activationAlpha(name, attrs)))}\n}`;
}
