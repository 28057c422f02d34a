/**
 * The activations, declared once: their names, formulas, what their gradient reads and the default
 * of their one parameter. The kernel table (kernels.ts) makes `<name>` and `<name>_grad` kernels of
 * each; the language's ops (compiler/ops/activations.ts), lowering, gradients, the CPU and WGSL
 * kernels and the ONNX export all take the list and the defaults from here, and the CPU kernel map
 * and the WGSL template table are typed by `ActivationName`, so a new activation that lacks an
 * implementation somewhere is a type error.
 */
export interface ActivationFacts {
  /** The formula, as the kernel table documents it. */
  doc: string;
  /** What the gradient reads: the output y (cheaper: relu, sigmoid, tanh...) or the input x (gelu, silu). */
  gradFrom: 'output' | 'input';
  /** The formula of `<name>_grad`. */
  gradDoc: string;
  /** The default of `alpha`, for the activations that take one (`leaky_relu(0.2)`). */
  alpha?: number;
}

const ACTIVATIONS = {
  linear: { doc: 'y = x.', gradFrom: 'output', gradDoc: 'dx = dy.' },
  relu: { doc: 'y = max(x, 0).', gradFrom: 'output', gradDoc: 'dx = dy · (y > 0).' },
  leaky_relu: { doc: 'y = x > 0 ? x : alpha·x (alpha > 0, default 0.01).', gradFrom: 'output', gradDoc: 'dx = dy · (y > 0 ? 1 : alpha).', alpha: 0.01 },
  elu: { doc: 'y = x > 0 ? x : alpha·(eˣ − 1) (default alpha 1).', gradFrom: 'output', gradDoc: 'dx = dy · (y > 0 ? 1 : y + alpha).', alpha: 1 },
  gelu: { doc: 'y = x·Φ(x), tanh approximation: 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))).', gradFrom: 'input', gradDoc: "dx = dy · gelu'(x) (tanh approximation)." },
  sigmoid: { doc: 'y = 1 / (1 + e⁻ˣ).', gradFrom: 'output', gradDoc: 'dx = dy · y(1 − y).' },
  tanh: { doc: 'y = tanh(x).', gradFrom: 'output', gradDoc: 'dx = dy · (1 − y²).' },
  softplus: { doc: 'y = ln(1 + eˣ), computed stably.', gradFrom: 'output', gradDoc: 'dx = dy · (1 − e⁻ʸ) (= sigmoid(x)).' },
  silu: { doc: 'y = x·sigmoid(x).', gradFrom: 'input', gradDoc: 'dx = dy · s(1 + x(1 − s)), s = sigmoid(x).' },
  step: { doc: 'y = x > 0 ? 1 : 0 (gradient zero).', gradFrom: 'output', gradDoc: 'dx = 0.' },
} as const satisfies Record<string, ActivationFacts>;

/** Activation names, in the order of the language reference. */
export type ActivationName = keyof typeof ACTIVATIONS;
export type ActivationGradName = `${ActivationName}_grad`;

export const ACTIVATION_NAMES = Object.keys(ACTIVATIONS) as ActivationName[];

export function isActivation(name: string): name is ActivationName {
  return Object.prototype.hasOwnProperty.call(ACTIVATIONS, name);
}

export function activationFacts(name: ActivationName): ActivationFacts {
  return ACTIVATIONS[name];
}

/** The default of an activation's alpha, or undefined when it takes none. */
export function activationAlphaDefault(name: string): number | undefined {
  return isActivation(name) ? activationFacts(name).alpha : undefined;
}

/** The alpha a step uses: its `alpha` attribute, else the default (0 for activations without one). */
export function activationAlpha(name: string, attrs: Readonly<Record<string, unknown>>): number {
  return typeof attrs.alpha === 'number' ? attrs.alpha : (activationAlphaDefault(name) ?? 0);
}

/** Builds one value per activation, typed so that the result covers every name. */
export function perActivation<T>(make: (name: ActivationName) => T): Record<ActivationName, T> {
  return Object.fromEntries(ACTIVATION_NAMES.map((name) => [name, make(name)])) as Record<ActivationName, T>;
}

/** The same for the gradient kernels, keyed `<name>_grad`. */
export function perActivationGrad<T>(make: (name: ActivationName) => T): Record<ActivationGradName, T> {
  return Object.fromEntries(ACTIVATION_NAMES.map((name) => [`${name}_grad`, make(name)])) as Record<ActivationGradName, T>;
}
