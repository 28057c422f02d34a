/**
 * The one kernel vocabulary. Every `PlanStep.kernel` names a base kernel from this table, optionally
 * followed by fused epilogue elements: `matmul+bias+relu`, `conv2d+bias+gelu`. Each epilogue element is
 * `bias` or an activation, and only kernels marked `epilogue: true` accept them.
 *
 * The compiler's primitive IR ops use these same names (compiler/ir/primitives.ts must cover every key:
 * the type system enforces it), the CPU runtime implements each one (runtime/cpu/kernels/), and the
 * WebGPU emitter generates WGSL for each one. Plan validation checks names, arity and attribute types
 * against this table (runtime/plan/validate.ts).
 *
 * Conventions shared by every kernel:
 * - tensors are row-major; "rows" means all leading axes flattened, "last axis" is the feature axis;
 * - a fused step's inputs are the base kernel's inputs, then the bias when the epilogue has `bias`;
 *   an activation's attributes (alpha) sit in the step's attrs next to the base kernel's;
 * - elementwise binaries broadcast numpy-style (trailing axes aligned, size-1 axes stretch);
 * - loss kernels return the mean loss as a scalar (shape []) and its gradient w.r.t. the prediction;
 * - update kernels work in place (their outputs name the same tensors as the corresponding inputs) and
 *   read two run-time values from the executor: `lr` (this step's learning rate) and `step` (1-based
 *   count of optimizer steps, for Adam's bias correction);
 * - kernels marked `trainingOnly` behave differently in inference: dropout copies, batchnorm uses
 *   its running statistics. The executor passes the mode; plans do not encode it.
 */

export type KernelAttrType = 'number' | 'int' | 'bool' | 'string' | 'int[]' | 'dims';

export interface KernelAttr {
  type: KernelAttrType;
  /** Optional attributes fall back to the documented default. */
  optional?: boolean;
}

export interface KernelSpec {
  /** Input names in order; a trailing `...` entry accepts any number (≥ 1) of that input. */
  inputs: readonly string[];
  /** Output names in order; names ending with `?` may be omitted from a step. */
  outputs: readonly string[];
  attrs: Readonly<Record<string, KernelAttr>>;
  /** True when `bias` and activation epilogues may be fused onto this kernel. */
  epilogue: boolean;
  /** Activations only: usable as an epilogue element, and whether its gradient reads y or x. */
  activation?: { gradFrom: 'output' | 'input' };
  /** Updates its inputs in place (optimizer kernels, batchnorm running statistics). */
  inPlace?: boolean;
  doc: string;
}

const num: KernelAttr = { type: 'number' };
const optNum: KernelAttr = { type: 'number', optional: true };
const bool: KernelAttr = { type: 'bool' };
const optBool: KernelAttr = { type: 'bool', optional: true };
const int: KernelAttr = { type: 'int' };
const ints: KernelAttr = { type: 'int[]' };
const dims: KernelAttr = { type: 'dims' };

function act(doc: string, gradFrom: 'output' | 'input', attrs: Record<string, KernelAttr> = {}): KernelSpec {
  return { inputs: ['x'], outputs: ['y'], attrs, epilogue: false, activation: { gradFrom }, doc };
}

function actGrad(doc: string, from: 'y' | 'x', attrs: Record<string, KernelAttr> = {}): KernelSpec {
  return { inputs: ['dy', from], outputs: ['dx'], attrs, epilogue: false, doc };
}

function loss(doc: string, attrs: Record<string, KernelAttr> = {}): KernelSpec {
  return { inputs: ['pred', 'target'], outputs: ['loss', 'dpred'], attrs, epilogue: false, doc };
}

/** y is [N, T, units] with return_sequences, else the last state [N, units]; saved is [N, T, k·units]. */
function scan(doc: string): KernelSpec {
  return { inputs: ['xw', 'w_hh'], outputs: ['y', 'saved'], attrs: { units: int, return_sequences: bool }, epilogue: false, doc };
}

function scanGrad(doc: string): KernelSpec {
  return { inputs: ['dy', 'w_hh', 'saved'], outputs: ['dxw', 'dw_hh'], attrs: { units: int, return_sequences: bool }, epilogue: false, doc };
}

export const KERNELS = {
  // ── linear algebra ─────────────────────────────────────────────────────────────────────────────
  matmul: {
    inputs: ['a', 'b'],
    outputs: ['y', 'pre?'],
    attrs: { transA: bool, transB: bool },
    epilogue: true,
    doc: "y = op(a)·op(b); a's leading axes flatten into rows ([..., K] or, transposed, K rows of [...]); op = transpose when the flag is set. With an activation epilogue the optional `pre` output keeps the value before the activation.",
  },
  conv2d: {
    inputs: ['x', 'w'],
    outputs: ['y', 'pre?'],
    attrs: { strides: ints, padding: { type: 'string' }, dilation: ints },
    epilogue: true,
    doc: "2-D convolution, x [N,H,W,C] channels-last, w [F,kh,kw,C]; padding 'valid' or 'same'.",
  },
  conv1d: {
    inputs: ['x', 'w'],
    outputs: ['y', 'pre?'],
    attrs: { strides: ints, padding: { type: 'string' }, dilation: ints },
    epilogue: true,
    doc: "1-D convolution, x [N,L,C], w [F,k,C]; padding 'valid' or 'same'.",
  },

  // ── elementwise and broadcasting ───────────────────────────────────────────────────────────────
  bias_add: { inputs: ['x', 'bias'], outputs: ['y'], attrs: {}, epilogue: false, doc: 'y = x + bias over the last axis; the `bias` epilogue element.' },
  add: { inputs: ['a', 'b'], outputs: ['y'], attrs: {}, epilogue: false, doc: 'y = a + b, broadcasting.' },
  sub: { inputs: ['a', 'b'], outputs: ['y'], attrs: {}, epilogue: false, doc: 'y = a - b, broadcasting.' },
  mul: { inputs: ['a', 'b'], outputs: ['y'], attrs: {}, epilogue: false, doc: 'y = a * b, broadcasting.' },
  scale: { inputs: ['x'], outputs: ['y'], attrs: { factor: num }, epilogue: false, doc: 'y = factor * x.' },
  sum_to: { inputs: ['x'], outputs: ['y'], attrs: { shape: dims }, epilogue: false, doc: "Sums x down to `shape` (numpy broadcasting reversed): the gradient of a broadcast; bias gradients reduce over rows." },
  concat: { inputs: ['x...'], outputs: ['y'], attrs: { axis: int }, epilogue: false, doc: 'Concatenates along `axis` (non-negative).' },
  slice: { inputs: ['x'], outputs: ['y'], attrs: { axis: int, start: int, size: int }, epilogue: false, doc: 'y = x[..., start:start+size, ...] along `axis`: the gradient of concat.' },
  reshape: { inputs: ['x'], outputs: ['y'], attrs: { shape: dims }, epilogue: false, doc: 'Same elements, new shape (a copy, or an alias where the runtime can).' },
  copy: { inputs: ['x'], outputs: ['y'], attrs: {}, epilogue: false, doc: 'y = x.' },

  // ── activations (each also an epilogue element) ────────────────────────────────────────────────
  linear: act('y = x.', 'output'),
  relu: act('y = max(x, 0).', 'output'),
  leaky_relu: act('y = x > 0 ? x : alpha·x (alpha > 0, default 0.01).', 'output', { alpha: optNum }),
  elu: act('y = x > 0 ? x : alpha·(eˣ − 1) (default alpha 1).', 'output', { alpha: optNum }),
  gelu: act('y = x·Φ(x), tanh approximation: 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))).', 'input'),
  sigmoid: act('y = 1 / (1 + e⁻ˣ).', 'output'),
  tanh: act('y = tanh(x).', 'output'),
  softplus: act('y = ln(1 + eˣ), computed stably.', 'output'),
  silu: act('y = x·sigmoid(x).', 'input'),
  step: act('y = x > 0 ? 1 : 0 (gradient zero).', 'output'),

  // ── normalisation, softmax, dropout, lookup ────────────────────────────────────────────────────
  softmax: { inputs: ['x'], outputs: ['y'], attrs: {}, epilogue: false, doc: 'Softmax over the last axis (max-subtracted).' },
  log_softmax: { inputs: ['x'], outputs: ['y'], attrs: {}, epilogue: false, doc: 'log(softmax(x)) over the last axis, computed stably.' },
  dropout: {
    inputs: ['x'],
    outputs: ['y', 'mask'],
    attrs: { rate: num, seed: int },
    epilogue: false,
    doc: 'Training: mask = (u ≥ rate) / (1 − rate) with u from a PRNG seeded by (step seed, attr seed), y = x·mask. Inference: y = x.',
  },
  batchnorm: {
    inputs: ['x', 'gamma', 'beta', 'running_mean', 'running_var'],
    outputs: ['y', 'mean', 'invstd'],
    attrs: { epsilon: num, momentum: num },
    epilogue: false,
    inPlace: true,
    doc: 'Normalises over all rows per channel (last axis). Training: batch statistics, running_x = momentum·running_x + (1 − momentum)·batch_x (unbiased var), in place. Inference: running statistics.',
  },
  layernorm: {
    inputs: ['x', 'gamma', 'beta'],
    outputs: ['y', 'mean', 'invstd'],
    attrs: { epsilon: num },
    epilogue: false,
    doc: 'Normalises each row over the last axis, then y = gamma·x̂ + beta; mean and invstd per row for the gradient.',
  },
  embedding: { inputs: ['ids', 'table'], outputs: ['y'], attrs: {}, epilogue: false, doc: 'y[..., :] = table[ids[...], :]; ids are i32, out-of-range ids are an error.' },
  maxpool2d: { inputs: ['x'], outputs: ['y'], attrs: { size: ints, strides: ints, padding: { type: 'string' } }, epilogue: false, doc: 'Max pooling over H, W of [N,H,W,C].' },
  avgpool2d: { inputs: ['x'], outputs: ['y'], attrs: { size: ints, strides: ints, padding: { type: 'string' } }, epilogue: false, doc: 'Average pooling over H, W of [N,H,W,C] (padding excluded from the count).' },
  global_avg_pool: { inputs: ['x'], outputs: ['y'], attrs: {}, epilogue: false, doc: 'Mean over every axis between the first and the last: [N,...,C] → [N,C].' },
  global_max_pool: { inputs: ['x'], outputs: ['y'], attrs: {}, epilogue: false, doc: 'Max over every axis between the first and the last: [N,...,C] → [N,C].' },

  // ── recurrences: x·w_ihᵀ + bias is a (fusable) matmul before these; they run the time loop ──
  rnn_scan: scan('h_t = tanh(xw_t + w_hh·h_{t−1}); saved = h_t (1 value per unit).'),
  lstm_scan: scan('Gates i, f, g, o from xw_t + w_hh·h_{t−1} (σ, σ, tanh, σ); c_t = f·c_{t−1} + i·g; h_t = o·tanh(c_t); saved = i, f, g, o, c, h (6 per unit).'),
  gru_scan: scan('r, z = σ(xw_{r,z} + (w_hh·h)_{r,z}); n = tanh(xw_n + r·(w_hh·h)_n); h_t = (1 − z)·n + z·h_{t−1}; saved = r, z, n, (w_hh·h)_n, h (5 per unit).'),

  // ── attention (projections are matmuls before and after) ──────────────────────────────────────
  attention: {
    inputs: ['q', 'k', 'v'],
    outputs: ['y', 'probs'],
    attrs: { heads: int, causal: bool },
    epilogue: false,
    doc: 'Per head h of q, k, v [N, T, D] split into D/heads features: probs = softmax(q_h·k_hᵀ/√(D/heads)) (future masked when causal), y_h = probs·v_h; probs [N, heads, T, T] kept for the gradient.',
  },
  positional_encoding: { inputs: ['x'], outputs: ['y'], attrs: {}, epilogue: false, doc: 'y = x + PE[t, d]: sin(t/10000^(2i/D)) on even d = 2i, cos on odd d = 2i+1.' },

  // ── losses: mean loss (scalar) and its gradient w.r.t. pred ────────────────────────────────────
  mse_loss: loss('mean((pred − target)²) over all elements.'),
  mae_loss: loss('mean(|pred − target|) over all elements.'),
  huber_loss: loss('mean of ½d² if |d| ≤ delta else delta·(|d| − ½delta), d = pred − target.', { delta: num }),
  binary_cross_entropy_loss: loss('−mean(t·ln p + (1 − t)·ln(1 − p)), p clipped to [1e-7, 1 − 1e-7].'),
  sigmoid_binary_cross_entropy_loss: loss('Binary cross-entropy of sigmoid(pred) from logits, stably: mean(max(z,0) − z·t + ln(1 + e^−|z|)).'),
  cross_entropy_loss: loss('−mean over rows of Σ t·ln p, p = probabilities clipped to [1e-7, 1].'),
  softmax_cross_entropy_loss: loss('−mean over rows of Σ t·log_softmax(pred), from logits.'),
  sparse_cross_entropy_loss: loss('−mean over rows of ln p[label], labels i32 [rows], p probabilities.'),
  sparse_softmax_cross_entropy_loss: loss('−mean over rows of log_softmax(pred)[label], labels i32, from logits.'),
  kl_divergence_loss: loss('mean over rows of Σ t·ln(t / p), t and p clipped to [1e-7, 1].'),

  // ── backward primitives ────────────────────────────────────────────────────────────────────────
  linear_grad: actGrad('dx = dy.', 'y'),
  relu_grad: actGrad('dx = dy · (y > 0).', 'y'),
  leaky_relu_grad: actGrad('dx = dy · (y > 0 ? 1 : alpha).', 'y', { alpha: optNum }),
  elu_grad: actGrad('dx = dy · (y > 0 ? 1 : y + alpha).', 'y', { alpha: optNum }),
  gelu_grad: actGrad("dx = dy · gelu'(x) (tanh approximation).", 'x'),
  sigmoid_grad: actGrad('dx = dy · y(1 − y).', 'y'),
  tanh_grad: actGrad('dx = dy · (1 − y²).', 'y'),
  softplus_grad: actGrad('dx = dy · (1 − e⁻ʸ) (= sigmoid(x)).', 'y'),
  silu_grad: actGrad('dx = dy · s(1 + x(1 − s)), s = sigmoid(x).', 'x'),
  step_grad: actGrad('dx = 0.', 'y'),
  softmax_grad: { inputs: ['dy', 'y'], outputs: ['dx'], attrs: {}, epilogue: false, doc: 'dx = y · (dy − Σ dy·y) per row.' },
  log_softmax_grad: { inputs: ['dy', 'y'], outputs: ['dx'], attrs: {}, epilogue: false, doc: 'dx = dy − softmax · Σ dy per row, softmax = e^y.' },
  dropout_grad: { inputs: ['dy', 'mask'], outputs: ['dx'], attrs: {}, epilogue: false, doc: 'dx = dy · mask.' },
  batchnorm_grad: {
    inputs: ['dy', 'x', 'gamma', 'mean', 'invstd'],
    outputs: ['dx', 'dgamma', 'dbeta'],
    attrs: {},
    epilogue: false,
    doc: 'Gradient of training-mode batchnorm w.r.t. x, gamma and beta.',
  },
  layernorm_grad: {
    inputs: ['dy', 'x', 'gamma', 'mean', 'invstd'],
    outputs: ['dx', 'dgamma', 'dbeta'],
    attrs: {},
    epilogue: false,
    doc: 'Gradient of layernorm w.r.t. x, gamma and beta.',
  },
  embedding_grad: { inputs: ['dy', 'ids'], outputs: ['dtable'], attrs: { shape: dims }, epilogue: false, doc: 'dtable = 0, then dtable[ids[r]] += dy[r] (scatter-add).' },
  conv2d_grad_input: { inputs: ['dy', 'w'], outputs: ['dx'], attrs: { shape: dims, strides: ints, padding: { type: 'string' }, dilation: ints }, epilogue: false, doc: 'Gradient of conv2d w.r.t. x (output shape from `shape`).' },
  conv2d_grad_weight: { inputs: ['dy', 'x'], outputs: ['dw'], attrs: { shape: dims, strides: ints, padding: { type: 'string' }, dilation: ints }, epilogue: false, doc: 'Gradient of conv2d w.r.t. w.' },
  conv1d_grad_input: { inputs: ['dy', 'w'], outputs: ['dx'], attrs: { shape: dims, strides: ints, padding: { type: 'string' }, dilation: ints }, epilogue: false, doc: 'Gradient of conv1d w.r.t. x.' },
  conv1d_grad_weight: { inputs: ['dy', 'x'], outputs: ['dw'], attrs: { shape: dims, strides: ints, padding: { type: 'string' }, dilation: ints }, epilogue: false, doc: 'Gradient of conv1d w.r.t. w.' },
  maxpool2d_grad: { inputs: ['dy', 'x'], outputs: ['dx'], attrs: { size: ints, strides: ints, padding: { type: 'string' } }, epilogue: false, doc: 'Routes dy to the (first) max of each window.' },
  avgpool2d_grad: { inputs: ['dy'], outputs: ['dx'], attrs: { shape: dims, size: ints, strides: ints, padding: { type: 'string' } }, epilogue: false, doc: 'Spreads dy evenly over each window (output shape from `shape`).' },
  global_avg_pool_grad: { inputs: ['dy'], outputs: ['dx'], attrs: { shape: dims }, epilogue: false, doc: 'Spreads dy evenly over the pooled axes (output shape from `shape`).' },
  global_max_pool_grad: { inputs: ['dy', 'x'], outputs: ['dx'], attrs: {}, epilogue: false, doc: 'Routes dy to the (first) max over the pooled axes.' },

  rnn_scan_grad: scanGrad('Backpropagation through time of rnn_scan: dxw and dw_hh from dy and the saved states.'),
  lstm_scan_grad: scanGrad('Backpropagation through time of lstm_scan.'),
  gru_scan_grad: scanGrad('Backpropagation through time of gru_scan.'),

  attention_grad: {
    inputs: ['dy', 'q', 'k', 'v', 'probs'],
    outputs: ['dq', 'dk', 'dv'],
    attrs: { heads: int, causal: bool },
    epilogue: false,
    doc: 'Gradient of attention w.r.t. q, k and v from the saved probabilities.',
  },

  // ── regularisation ─────────────────────────────────────────────────────────────────────────────
  l1_l2_penalty: { inputs: ['w'], outputs: ['penalty'], attrs: { l1: num, l2: num }, epilogue: false, doc: 'penalty = l1·Σ|w| + l2·Σw² (a scalar).' },
  l1_l2_grad: { inputs: ['grad', 'w'], outputs: ['out'], attrs: { l1: num, l2: num }, epilogue: false, doc: 'out = grad + l1·sign(w) + 2·l2·w.' },

  // ── optimizer updates (in place; read lr and step from the executor) ───────────────────────────
  gd_update: { inputs: ['param', 'grad'], outputs: ['param'], attrs: {}, epilogue: false, inPlace: true, doc: 'p −= lr·g.' },
  sgd_update: {
    inputs: ['param', 'grad', 'velocity'],
    outputs: ['param', 'velocity'],
    attrs: { momentum: num, nesterov: bool },
    epilogue: false,
    inPlace: true,
    doc: 'v = momentum·v − lr·g; p += v, or with nesterov p += momentum·v − lr·g (Keras).',
  },
  adam_update: {
    inputs: ['param', 'grad', 'm', 'v'],
    outputs: ['param', 'm', 'v'],
    attrs: { beta1: num, beta2: num, epsilon: num },
    epilogue: false,
    inPlace: true,
    doc: 'm = β1m + (1−β1)g; v = β2v + (1−β2)g²; p −= lr·(m/(1−β1ᵗ)) / (√(v/(1−β2ᵗ)) + ε).',
  },
  adamw_update: {
    inputs: ['param', 'grad', 'm', 'v'],
    outputs: ['param', 'm', 'v'],
    attrs: { beta1: num, beta2: num, epsilon: num, weightDecay: num },
    epilogue: false,
    inPlace: true,
    doc: 'Adam, plus decoupled weight decay p −= lr·weightDecay·p (applied before the Adam step).',
  },
  adagrad_update: {
    inputs: ['param', 'grad', 'accum'],
    outputs: ['param', 'accum'],
    attrs: { epsilon: num },
    epilogue: false,
    inPlace: true,
    doc: 'a += g²; p −= lr·g / (√a + ε).',
  },
  rmsprop_update: {
    inputs: ['param', 'grad', 'ms', 'mom'],
    outputs: ['param', 'ms', 'mom'],
    attrs: { rho: num, epsilon: num, momentum: num },
    epilogue: false,
    inPlace: true,
    doc: 'ms = ρ·ms + (1−ρ)g²; mom = momentum·mom + lr·g/(√ms + ε); p −= mom.',
  },
} as const satisfies Record<string, KernelSpec>;

export type KernelName = keyof typeof KERNELS;

/** Activation names, in the order of the language reference. */
export type ActivationName =
  | 'linear' | 'relu' | 'leaky_relu' | 'elu' | 'gelu' | 'sigmoid' | 'tanh' | 'softplus' | 'silu' | 'step';

export function kernelSpec(name: string): KernelSpec | undefined {
  return Object.prototype.hasOwnProperty.call(KERNELS, name) ? (KERNELS as Record<string, KernelSpec>)[name] : undefined;
}

/** Splits `matmul+bias+relu` into its base kernel and epilogue elements. */
export function parseKernelName(kernel: string): { base: string; epilogue: string[] } {
  const [base, ...epilogue] = kernel.split('+');
  return { base: base ?? '', epilogue };
}

/** True when `element` may follow `+` in a fused kernel name. */
export function isEpilogueElement(element: string): boolean {
  return element === 'bias' || kernelSpec(element)?.activation !== undefined;
}
