import { activationFacts, perActivation, perActivationGrad, type ActivationGradName, type ActivationName } from './activations.js';

/**
 * The one kernel vocabulary. Every `PlanStep.kernel` names a base kernel from this table, optionally
 * followed by fused epilogue elements: `matmul+bias+relu`, `conv2d+bias+gelu`. Each epilogue element is
 * `bias` or an activation, and only kernels marked `epilogue: true` accept them.
 *
 * Every fact about a kernel is declared here once: its inputs (arity), outputs, attributes and their
 * defaults, whether it takes epilogues, and for a differentiable kernel the gradient kernels and the
 * outputs its gradient reads. The compiler's primitive IR ops (compiler/ir/primitives.ts adds only
 * the shape rules), the CPU kernel map (runtime/cpu/kernel-registry.ts) and the WGSL template table
 * (compiler/emit/webgpu/kernel-table.ts) are keyed `Record<KernelName, ...>`, so a kernel without a
 * shape rule or an implementation is a type error. Plan validation checks names, arity and attribute
 * types against this table (runtime/plan/validate.ts).
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

/** `dim`: an integer or a dim expression over the plan's symbolic dims (bound at run time). */
export type KernelAttrType = 'number' | 'int' | 'bool' | 'string' | 'int[]' | 'number[]' | 'dims' | 'dim';

interface KernelAttr {
  type: KernelAttrType;
  /** Optional attributes fall back to `default`. */
  optional?: boolean;
  /** The value an optional attribute takes when a step leaves it out (alpha's comes from activations.ts, which the back ends read). */
  default?: number;
}

export interface KernelSpec {
  /** Input names in order; a trailing `...` entry accepts any number (≥ 1) of that input. */
  inputs: readonly string[];
  /** Output names in order; names ending with `?` may be omitted from a step. */
  outputs: readonly string[];
  attrs: Readonly<Record<string, KernelAttr>>;
  /** True when `bias` and activation epilogues may be fused onto this kernel. */
  epilogue: boolean;
  /** True when the epilogue may end with POOL_EPILOGUE (a 2-D convolution's output pooled before it is stored). */
  poolEpilogue?: true;
  /** Activations only: usable as an epilogue element, and whether its gradient reads y or x. */
  activation?: { gradFrom: 'output' | 'input' };
  /** Updates its inputs in place (optimizer kernels, batchnorm running statistics). */
  inPlace?: boolean;
  /**
   * Differentiable kernels: the kernels their gradient rule (compiler/autodiff/rules/) emits, and the
   * outputs it reads besides the inputs (what the forward pass keeps for the backward one).
   * Absent on kernels that are never differentiated (losses, backward, update kernels).
   */
  grad?: { kernels: readonly string[]; saved: readonly string[] };
  doc: string;
}

const num: KernelAttr = { type: 'number' };
const bool: KernelAttr = { type: 'bool' };
const int: KernelAttr = { type: 'int' };
const ints: KernelAttr = { type: 'int[]' };
/** Label smoothing and class weights of the cross-entropies (absent: none): see LABEL_ATTRS' doc lines. */
const LABEL_ATTRS: Record<string, KernelAttr> = {
  smoothing: { type: 'number', optional: true, default: 0 },
  classWeights: { type: 'number[]', optional: true },
};
const dims: KernelAttr = { type: 'dims' };
const dim: KernelAttr = { type: 'dim' };

const unaryAttrs: Record<string, KernelAttr> = { op: { type: 'string' }, a: { type: 'number', optional: true, default: 0 }, b: { type: 'number', optional: true, default: 0 } };
/** The axis map of strided_read and strided_write (math in their docs); `shape` is the step's output shape. */
const stridedAttrs: Record<string, KernelAttr> = { axes: ints, starts: dims, steps: ints, shape: dims };
const reduceAttrs: Record<string, KernelAttr> = { op: { type: 'string' }, axes: ints, keepdims: bool };

function differentiable(kernels: readonly string[], saved: readonly string[] = []): KernelSpec['grad'] {
  return { kernels, saved };
}

function loss(doc: string, attrs: Record<string, KernelAttr> = {}): KernelSpec {
  return { inputs: ['pred', 'target'], outputs: ['loss', 'dpred'], attrs, epilogue: false, doc };
}

/**
 * A loss over the part of its prediction whose mask (a third input, i32 or f32) is nonzero, with the
 * base kernel's attributes. The class losses (over the last axis) take a mask of the rows; the
 * per-element ones a mask of the rows or of every element: each mask entry covers count/|mask|
 * consecutive elements of pred.
 */
function maskedLoss(base: string, spec: KernelSpec, rows: boolean): KernelSpec {
  const what = rows
    ? 'the rows whose mask [rows] is nonzero: Σ mask·w·loss / Σ mask, the mean over those rows (0 when none is left); the other rows get dpred 0 and their labels are not read'
    : 'the elements whose mask entry is nonzero (a mask [rows] or one per element, each entry covering count/|mask| consecutive elements): the sum over those elements / their count, the mean over them (0 when none is left); the others get dpred 0';
  return { inputs: ['pred', 'target', 'mask'], outputs: ['loss', 'dpred'], attrs: spec.attrs, epilogue: false, doc: `${base} over ${what}.` };
}

function activationKernels(): Record<ActivationName | ActivationGradName, KernelSpec> {
  const alpha = (name: ActivationName): Record<string, KernelAttr> => {
    const fallback = activationFacts(name).alpha;
    return fallback === undefined ? {} : { alpha: { type: 'number', optional: true, default: fallback } };
  };
  return {
    ...perActivation((name): KernelSpec => {
      const { doc, gradFrom } = activationFacts(name);
      const saved = gradFrom === 'output' ? ['y'] : [];
      return { inputs: ['x'], outputs: ['y'], attrs: alpha(name), epilogue: false, activation: { gradFrom }, grad: differentiable([`${name}_grad`], saved), doc };
    }),
    ...perActivationGrad((name): KernelSpec => {
      const { gradDoc, gradFrom } = activationFacts(name);
      return { inputs: ['dy', gradFrom === 'output' ? 'y' : 'x'], outputs: ['dx'], attrs: alpha(name), epilogue: false, doc: gradDoc };
    }),
  };
}

/**
 * The recurrences, declared once: for each cell its layout, shared by the layer's weights, the scan
 * kernels and their gradients (`gates` blocks of `units` rows in w_ih, w_hh and the bias, in the order
 * the doc names them; `saved` values per unit and time step in the `saved` output; where h sits among
 * them), and the formula of its `<cell>_scan` kernel. The kernel table makes `<cell>_scan` and
 * `<cell>_scan_grad` of each; lowering, gradients, the WGSL table and the layer ops are generated per
 * cell, and the CPU and WGSL cell bodies are typed by `RecurrentCellName`.
 */
export interface RecurrentCell {
  gates: number;
  saved: number;
  /** Offset, in units, of h_t inside a saved row. */
  hOffset: number;
  /** Offset, in units, of the cell state c_t inside a saved row (the LSTM's; a masked step carries it over). */
  cOffset?: number;
  /**
   * A recurrent bias b_hh [G·u] inside the scan, added to w_hh·h_{t−1} at every step (the scan takes
   * it as a third input, its gradient returns db_hh as a third output).
   */
  recurrentBias?: true;
  doc: string;
}

export const RECURRENT_CELLS = {
  rnn: { gates: 1, saved: 1, hOffset: 0, doc: 'h_t = tanh(xw_t + w_hh·h_{t−1}); saved = h_t (1 value per unit).' },
  lstm: {
    gates: 4,
    saved: 6,
    hOffset: 5,
    cOffset: 4,
    doc: 'Gates i, f, g, o from xw_t + w_hh·h_{t−1} (σ, σ, tanh, σ); c_t = f·c_{t−1} + i·g; h_t = o·tanh(c_t); saved = i, f, g, o, c, h (6 per unit).',
  },
  gru: {
    gates: 3,
    saved: 5,
    hOffset: 4,
    doc: 'r, z = σ(xw_{r,z} + (w_hh·h)_{r,z}); n = tanh(xw_n + r·(w_hh·h)_n); h_t = (1 − z)·n + z·h_{t−1}; saved = r, z, n, (w_hh·h)_n, h (5 per unit).',
  },
  gru_reset_after: {
    gates: 3,
    saved: 5,
    hOffset: 4,
    recurrentBias: true,
    doc: 'The GRU of Keras (reset_after=True) and PyTorch, with two biases: as gru_scan with w_hh·h + b_hh in place of w_hh·h, so n = tanh(xw_n + r·((w_hh·h)_n + b_hn)); saved as gru_scan, (w_hh·h)_n + b_hn the fourth value.',
  },
} as const satisfies Record<string, RecurrentCell>;

export type RecurrentCellName = keyof typeof RECURRENT_CELLS;
export type ScanKernelName = `${RecurrentCellName}_scan`;
export type ScanGradKernelName = `${RecurrentCellName}_scan_grad`;
export type MaskedScanKernelName = `${RecurrentCellName}_masked_scan`;
export type MaskedScanGradKernelName = `${RecurrentCellName}_masked_scan_grad`;

export const RECURRENT_CELL_NAMES = Object.keys(RECURRENT_CELLS) as RecurrentCellName[];

/** The cell's name of `lstm_scan`, `lstm_scan_grad`, `lstm_masked_scan` or `lstm_masked_scan_grad`. */
export function recurrentCellNameOf(kernel: string): RecurrentCellName {
  const name = kernel.replace(/(_masked)?_scan(_grad)?$/, '');
  if (!Object.prototype.hasOwnProperty.call(RECURRENT_CELLS, name)) throw new Error(`'${kernel}' is not a recurrence`);
  return name as RecurrentCellName;
}

/** The cell of `lstm_scan`, `lstm_scan_grad` or their masked forms. */
export function recurrentCellOf(kernel: string): RecurrentCell {
  return RECURRENT_CELLS[recurrentCellNameOf(kernel)];
}

/** True for the masked scans and their gradients (a mask [N, T] as the last input). */
export function isMaskedScan(kernel: string): boolean {
  return /_masked_scan(_grad)?$/.test(kernel);
}

/** One value per `<cell>_scan` kernel. */
export function perScan<T>(make: (cell: RecurrentCellName) => T): Record<ScanKernelName, T> {
  return Object.fromEntries(RECURRENT_CELL_NAMES.map((cell) => [`${cell}_scan`, make(cell)])) as Record<ScanKernelName, T>;
}

/** One value per `<cell>_scan_grad` kernel. */
export function perScanGrad<T>(make: (cell: RecurrentCellName) => T): Record<ScanGradKernelName, T> {
  return Object.fromEntries(RECURRENT_CELL_NAMES.map((cell) => [`${cell}_scan_grad`, make(cell)])) as Record<ScanGradKernelName, T>;
}

/** One value per `<cell>_masked_scan` kernel. */
export function perMaskedScan<T>(make: (cell: RecurrentCellName) => T): Record<MaskedScanKernelName, T> {
  return Object.fromEntries(RECURRENT_CELL_NAMES.map((cell) => [`${cell}_masked_scan`, make(cell)])) as Record<MaskedScanKernelName, T>;
}

/** One value per `<cell>_masked_scan_grad` kernel. */
export function perMaskedScanGrad<T>(make: (cell: RecurrentCellName) => T): Record<MaskedScanGradKernelName, T> {
  return Object.fromEntries(RECURRENT_CELL_NAMES.map((cell) => [`${cell}_masked_scan_grad`, make(cell)])) as Record<MaskedScanGradKernelName, T>;
}

/** What a mask [N, T] does to a scan: the same words for the kernels' docs. */
const MASKED_STEP = 'mask [N, T] (i32 or f32; 0 = padding): at a step whose mask is 0 the state (h, and c for the LSTM) carries over unchanged, y is 0 there (the last state with return_sequences false is the last unmasked one), and the step gets no gradient but passes dh (and dc) through.';

/** y is [N, T, units] with return_sequences, else the last state [N, units]; saved is [N, T, k·units]. */
function recurrentKernels(): Record<ScanKernelName | ScanGradKernelName | MaskedScanKernelName | MaskedScanGradKernelName, KernelSpec> {
  const attrs = { units: int, return_sequences: bool };
  const biased = (cell: RecurrentCellName): boolean => (RECURRENT_CELLS[cell] as RecurrentCell).recurrentBias === true;
  return {
    ...perScan((cell): KernelSpec => ({
      inputs: ['xw', 'w_hh', ...(biased(cell) ? ['b_hh'] : [])], outputs: ['y', 'saved'], attrs, epilogue: false, grad: differentiable([`${cell}_scan_grad`], ['saved']), doc: RECURRENT_CELLS[cell].doc,
    })),
    ...perScanGrad((cell): KernelSpec => ({
      inputs: ['dy', 'w_hh', 'saved'],
      outputs: ['dxw', 'dw_hh', ...(biased(cell) ? ['db_hh'] : [])],
      attrs,
      epilogue: false,
      doc: `Backpropagation through time of ${cell}_scan: dxw and dw_hh${biased(cell) ? ' and db_hh' : ''} from dy and the saved states.`,
    })),
    ...perMaskedScan((cell): KernelSpec => ({
      inputs: ['xw', 'w_hh', ...(biased(cell) ? ['b_hh'] : []), 'mask'],
      outputs: ['y', 'saved'],
      attrs,
      epilogue: false,
      grad: differentiable([`${cell}_masked_scan_grad`], ['saved']),
      doc: `${cell}_scan with a ${MASKED_STEP}`,
    })),
    ...perMaskedScanGrad((cell): KernelSpec => ({
      inputs: ['dy', 'w_hh', 'saved', 'mask'],
      outputs: ['dxw', 'dw_hh', ...(biased(cell) ? ['db_hh'] : [])],
      attrs,
      epilogue: false,
      doc: `Backpropagation through time of ${cell}_masked_scan: as ${cell}_scan_grad, a masked step passing dh (and dc) through with zero dxw.`,
    })),
  };
}

/** The loss kernels (the masked_ forms below take their attributes). */
const LOSS_KERNELS = {
  mse_loss: loss('mean((pred − target)²) over all elements.'),
  mae_loss: loss('mean(|pred − target|) over all elements.'),
  huber_loss: loss('mean of ½d² if |d| ≤ delta else delta·(|d| − ½delta), d = pred − target.', { delta: num }),
  binary_cross_entropy_loss: loss('−mean(w·(t·ln p + (1 − t)·ln(1 − p))), p clipped to [1e-7, 1 − 1e-7]; smoothing ε: t ← t(1 − ε) + ε/2; classWeights [w0, w1]: w = w1·t + w0·(1 − t) (else 1).', LABEL_ATTRS),
  sigmoid_binary_cross_entropy_loss: loss('Binary cross-entropy of sigmoid(pred) from logits, stably: mean(w·(max(z,0) − z·t + ln(1 + e^−|z|))); smoothing and classWeights as binary_cross_entropy_loss.', LABEL_ATTRS),
  cross_entropy_loss: loss('−mean over rows of w·Σ t·ln p, p = probabilities clipped to [1e-7, 1]; smoothing ε over K classes: t ← t(1 − ε) + ε/K; classWeights: w = Σ t·classWeights (the unsmoothed t), else 1.', LABEL_ATTRS),
  softmax_cross_entropy_loss: loss('−mean over rows of w·Σ t·log_softmax(pred), from logits; smoothing and classWeights as cross_entropy_loss.', LABEL_ATTRS),
  sparse_cross_entropy_loss: loss('−mean over rows of w·ln p[label], labels i32 [rows], p probabilities; smoothing ε: −w·Σ t·ln p with t = one-hot(label)(1 − ε) + ε/K; classWeights: w = classWeights[label], else 1.', LABEL_ATTRS),
  sparse_softmax_cross_entropy_loss: loss('−mean over rows of w·log_softmax(pred)[label], labels i32, from logits; smoothing and classWeights as sparse_cross_entropy_loss.', LABEL_ATTRS),
  kl_divergence_loss: loss('mean over rows of Σ t·ln(t / p), t and p clipped to [1e-7, 1].'),
} satisfies Record<string, KernelSpec>;

export const KERNELS = {
  // ── linear algebra ─────────────────────────────────────────────────────────────────────────────
  matmul: {
    inputs: ['a', 'b'],
    outputs: ['y', 'pre?'],
    attrs: { transA: bool, transB: bool },
    epilogue: true,
    grad: differentiable(['matmul']),
    doc: "y = op(a)·op(b); a's leading axes flatten into rows ([..., K] or, transposed, K rows of [...]); op = transpose when the flag is set. With an activation epilogue the optional `pre` output keeps the value before the activation.",
  },
  conv2d: {
    inputs: ['x', 'w'],
    outputs: ['y', 'pre?'],
    attrs: { strides: ints, padding: { type: 'string' }, dilation: ints },
    epilogue: true,
    poolEpilogue: true,
    grad: differentiable(['conv2d_grad_input', 'conv2d_grad_weight']),
    doc: "2-D convolution, x [N,H,W,C] channels-last, w [F,kh,kw,C]; padding 'valid' or 'same'.",
  },
  conv1d: {
    inputs: ['x', 'w'],
    outputs: ['y', 'pre?'],
    attrs: { strides: ints, padding: { type: 'string' }, dilation: ints },
    epilogue: true,
    grad: differentiable(['conv1d_grad_input', 'conv1d_grad_weight']),
    doc: "1-D convolution, x [N,L,C], w [F,k,C]; padding 'valid' or 'same'.",
  },
  grouped_conv2d: {
    inputs: ['x', 'w'],
    outputs: ['y', 'pre?'],
    attrs: { strides: ints, padding: { type: 'string' }, dilation: ints, groups: int },
    epilogue: true,
    grad: differentiable(['grouped_conv2d_grad_input', 'grouped_conv2d_grad_weight']),
    doc: "Grouped 2-D convolution, x [N,H,W,C], w [F,kh,kw,C/groups]: output channel f reads input channels g·C/groups … (g+1)·C/groups − 1, g = floor(f / (F/groups)); groups = C is the depthwise convolution (F = C·multiplier, channel c·multiplier + m). Sizes as conv2d.",
  },
  // The transposed convolutions are the input gradients of conv2d / conv1d run forward: x [N,H,W,C]
  // with w [C,kh,kw,F] is the dy of the convolution from [N,H',W',F] that w [C,kh,kw,F] would map to x.
  conv2d_transpose: {
    inputs: ['x', 'w'],
    outputs: ['y'],
    attrs: { strides: ints, padding: { type: 'string' }, dilation: ints },
    epilogue: false,
    grad: differentiable(['conv2d', 'conv2d_grad_weight']),
    doc: "Transposed 2-D convolution, x [N,H,W,C] channels-last, w [C,kh,kw,F] → [N,H',W',F]; H' = H·stride + max(dilation·(kh−1)+1 − stride, 0) for 'valid', H·stride for 'same' (Keras).",
  },
  conv1d_transpose: {
    inputs: ['x', 'w'],
    outputs: ['y'],
    attrs: { strides: ints, padding: { type: 'string' }, dilation: ints },
    epilogue: false,
    grad: differentiable(['conv1d', 'conv1d_grad_weight']),
    doc: "Transposed 1-D convolution, x [N,L,C], w [C,k,F] → [N,L',F]; lengths as conv2d_transpose.",
  },

  // ── elementwise and broadcasting ───────────────────────────────────────────────────────────────
  bias_add: { inputs: ['x', 'bias'], outputs: ['y'], attrs: {}, epilogue: false, grad: differentiable(['sum_to']), doc: 'y = x + bias over the last axis; the `bias` epilogue element.' },
  add: { inputs: ['a', 'b'], outputs: ['y'], attrs: {}, epilogue: false, grad: differentiable(['sum_to']), doc: 'y = a + b, broadcasting.' },
  sub: { inputs: ['a', 'b'], outputs: ['y'], attrs: {}, epilogue: false, grad: differentiable(['scale', 'sum_to']), doc: 'y = a - b, broadcasting.' },
  mul: { inputs: ['a', 'b'], outputs: ['y'], attrs: {}, epilogue: false, grad: differentiable(['mul', 'sum_to']), doc: 'y = a * b, broadcasting.' },
  div: { inputs: ['a', 'b'], outputs: ['y'], attrs: {}, epilogue: false, grad: differentiable(['div', 'mul', 'scale', 'sum_to'], ['y']), doc: 'y = a / b, broadcasting.' },
  scale: { inputs: ['x'], outputs: ['y'], attrs: { factor: num }, epilogue: false, grad: differentiable(['scale']), doc: 'y = factor * x.' },
  sum_to: { inputs: ['x'], outputs: ['y'], attrs: { shape: dims }, epilogue: false, doc: "Sums x down to `shape` (numpy broadcasting reversed): the gradient of a broadcast; bias gradients reduce over rows." },
  concat: { inputs: ['x...'], outputs: ['y'], attrs: { axis: int }, epilogue: false, grad: differentiable(['slice']), doc: 'Concatenates along `axis` (non-negative).' },
  slice: { inputs: ['x'], outputs: ['y'], attrs: { axis: int, start: dim, size: dim }, epilogue: false, doc: 'y = x[..., start:start+size, ...] along `axis`: the gradient of concat.' },
  reshape: { inputs: ['x'], outputs: ['y'], attrs: { shape: dims }, epilogue: false, grad: differentiable(['reshape']), doc: 'Same elements, new shape (a copy, or an alias where the runtime can).' },
  strided_read: {
    inputs: ['x'],
    outputs: ['y'],
    attrs: stridedAttrs,
    epilogue: false,
    grad: differentiable(['strided_write']),
    doc: "y = x read through an axis map (slices with steps, indices, transposes, new axes): output axis k reads x's axis `axes[k]` (-1: a new axis of size 1) at starts[a] + steps[a]·y_k; an x axis no output axis reads is fixed at its start. `shape` is y's.",
  },
  strided_write: {
    inputs: ['x'],
    outputs: ['y'],
    attrs: stridedAttrs,
    epilogue: false,
    grad: differentiable(['strided_read']),
    doc: "y = zeros of `shape`, then x written where strided_read with the same map would read it: the gradient of strided_read, and zero padding.",
  },
  copy: { inputs: ['x'], outputs: ['y'], attrs: {}, epilogue: false, grad: differentiable([]), doc: 'y = x.' },
  pad_reflect: {
    inputs: ['x'],
    outputs: ['y'],
    attrs: { before: ints, after: ints },
    epilogue: false,
    grad: differentiable(['pad_reflect_grad']),
    doc: 'Pads each axis by before[a] and after[a] positions that mirror the values next to the edge, the edge itself not repeated (NumPy reflect); widths below the axis size.',
  },
  pad_reflect_grad: { inputs: ['dy'], outputs: ['dx'], attrs: { before: ints, after: ints, shape: dims }, epilogue: false, doc: "dx of pad_reflect (x's shape from `shape`): each x position sums dy over the positions that read it." },

  // ── elementwise math and reductions: one kernel each, the op an attribute (math-ops.ts) ──────────
  unary: {
    inputs: ['x'],
    outputs: ['y'],
    attrs: unaryAttrs,
    epilogue: false,
    grad: differentiable(['unary_grad']),
    doc: 'y = op(x) for the `op` of runtime/plan/math-ops.ts (affine, reciprocal, exp, log, sqrt, abs, square, pow, clip), reading the numbers `a` and `b` where the op takes them.',
  },
  unary_grad: { inputs: ['dy', 'x'], outputs: ['dx'], attrs: unaryAttrs, epilogue: false, doc: "dx = dy · op'(x) for the `op` of the forward unary step." },
  reduce: {
    inputs: ['x'],
    outputs: ['y'],
    attrs: reduceAttrs,
    epilogue: false,
    grad: differentiable(['reduce_grad'], ['y']),
    doc: '`op` (sum, mean, max, min) over `axes` (non-negative, ascending); `keepdims` keeps them as size 1, else they are dropped.',
  },
  reduce_grad: {
    inputs: ['dy', 'x', 'y'],
    outputs: ['dx'],
    attrs: reduceAttrs,
    epilogue: false,
    doc: 'dx of reduce: dy spread over each reduced group (divided by its size for mean); for max and min, all of dy to the first extreme of the group.',
  },

  // ── activations (each also an epilogue element), and their gradients: see activations.ts ─────────
  ...activationKernels(),

  // ── normalisation, softmax, dropout, lookup ────────────────────────────────────────────────────
  softmax: { inputs: ['x'], outputs: ['y'], attrs: {}, epilogue: false, grad: differentiable(['softmax_grad'], ['y']), doc: 'Softmax over the last axis (max-subtracted).' },
  log_softmax: { inputs: ['x'], outputs: ['y'], attrs: {}, epilogue: false, grad: differentiable(['log_softmax_grad'], ['y']), doc: 'log(softmax(x)) over the last axis, computed stably.' },
  dropout: {
    inputs: ['x'],
    outputs: ['y', 'mask'],
    attrs: { rate: num, seed: int },
    epilogue: false,
    grad: differentiable(['dropout_grad'], ['mask']),
    doc: 'Training: mask = (u ≥ rate) / (1 − rate) with u from a PRNG seeded by (step seed, attr seed), y = x·mask. Inference: y = x.',
  },
  random: {
    inputs: ['x'],
    outputs: ['y'],
    attrs: { dist: { type: 'string' }, a: num, b: num, seed: int, inference: bool },
    epilogue: false,
    grad: differentiable([]),
    doc: "y shaped like x, x's values unused: normal (mean a, std b, Box–Muller) or uniform in [a, b), drawn while training (and in inference when `inference`) from u = pcg(2i or 2i+1 ^ pcg(step seed ^ pcg(seed))) >> 8 / 2²⁴, the same bits on every back end; else the distribution's mean. No gradient reaches x.",
  },
  batchnorm: {
    inputs: ['x', 'gamma', 'beta', 'running_mean', 'running_var'],
    outputs: ['y', 'mean', 'invstd'],
    attrs: { epsilon: num, momentum: num },
    epilogue: false,
    inPlace: true,
    grad: differentiable(['batchnorm_grad'], ['mean', 'invstd']),
    doc: 'Normalises over all rows per channel (last axis). Training: batch statistics, running_x = momentum·running_x + (1 − momentum)·batch_x (unbiased var), in place. Inference: running statistics.',
  },
  groupnorm: {
    inputs: ['x', 'gamma', 'beta'],
    outputs: ['y', 'mean', 'invstd'],
    attrs: { groups: int, epsilon: num },
    epilogue: false,
    grad: differentiable(['groupnorm_grad'], ['mean', 'invstd']),
    doc: 'x [N, ..., C]: normalises each sample over its positions and the C/groups channels of each group (biased variance), then y = gamma·x̂ + beta per channel; mean and invstd [N, groups] for the gradient.',
  },
  layernorm: {
    inputs: ['x', 'gamma', 'beta'],
    outputs: ['y', 'mean', 'invstd'],
    attrs: { epsilon: num },
    epilogue: false,
    grad: differentiable(['layernorm_grad'], ['mean', 'invstd']),
    doc: 'Normalises each row over the last axis, then y = gamma·x̂ + beta; mean and invstd per row for the gradient.',
  },
  embedding: { inputs: ['ids', 'table'], outputs: ['y'], attrs: {}, epilogue: false, grad: differentiable(['embedding_grad']), doc: 'y[..., :] = table[ids[...], :]; ids are i32, out-of-range ids are an error.' },
  maxpool2d: { inputs: ['x'], outputs: ['y'], attrs: { size: ints, strides: ints, padding: { type: 'string' } }, epilogue: false, grad: differentiable(['maxpool2d_grad']), doc: 'Max pooling over H, W of [N,H,W,C].' },
  avgpool2d: { inputs: ['x'], outputs: ['y'], attrs: { size: ints, strides: ints, padding: { type: 'string' } }, epilogue: false, grad: differentiable(['avgpool2d_grad']), doc: 'Average pooling over H, W of [N,H,W,C] (padding excluded from the count).' },
  upsample2d: {
    inputs: ['x'],
    outputs: ['y'],
    attrs: { size: ints, mode: { type: 'string' } },
    epilogue: false,
    grad: differentiable(['upsample2d_grad']),
    doc: "Upsampling of [N,H,W,C] by whole factors `size` [sh, sw]: mode 'nearest' repeats, 'bilinear' interpolates at half-pixel centres (source (o + ½)/s − ½ clamped to the edges; Keras, PyTorch align_corners=False, ONNX half_pixel).",
  },
  global_avg_pool: { inputs: ['x'], outputs: ['y'], attrs: {}, epilogue: false, grad: differentiable(['global_avg_pool_grad']), doc: 'Mean over every axis between the first and the last: [N,...,C] → [N,C].' },
  global_max_pool: { inputs: ['x'], outputs: ['y'], attrs: {}, epilogue: false, grad: differentiable(['global_max_pool_grad']), doc: 'Max over every axis between the first and the last: [N,...,C] → [N,C].' },

  // ── recurrences: x·w_ihᵀ + bias is a (fusable) matmul before these; they run the time loop ──
  ...recurrentKernels(),

  // ── attention (projections are matmuls before and after) ──────────────────────────────────────
  attention: {
    inputs: ['q', 'k', 'v'],
    outputs: ['y', 'probs'],
    attrs: { heads: int, causal: bool },
    epilogue: false,
    grad: differentiable(['attention_grad'], ['probs']),
    doc: 'Per head h of q [N, Tq, D] and k, v [N, Tk, D] split into D/heads features: probs = softmax(q_h·k_hᵀ/√(D/heads)) (key j > query i masked when causal), y_h = probs·v_h [N, Tq, D]; probs [N, heads, Tq, Tk] kept for the gradient.',
  },
  masked_attention: {
    inputs: ['q', 'k', 'v', 'mask'],
    outputs: ['y', 'probs'],
    attrs: { heads: int, causal: bool },
    epilogue: false,
    grad: differentiable(['attention_grad'], ['probs']),
    doc: 'attention with a key mask [N, Tk] or a mask [N, Tq, Tk] per query (nonzero = attend, 0 = ignore: the key gets −∞ before the softmax, probability 0); a query with every key masked gets probabilities 0 and y = 0. No gradient to the mask.',
  },
  nonzero: {
    inputs: ['x'],
    outputs: ['y'],
    attrs: {},
    epilogue: false,
    grad: differentiable([]),
    doc: 'y = 1 where x ≠ 0, else 0 (f32; x i32 or f32): a mask as weights (masked pooling). No gradient.',
  },
  reverse_sequence: {
    inputs: ['x', 'mask'],
    outputs: ['y'],
    attrs: {},
    epilogue: false,
    grad: differentiable(['reverse_sequence']),
    doc: "Each row reversed in time over its own length: y[b, t] = x[b, L_b − 1 − t] for t < L_b, y[b, t] = x[b, t] after, L_b = 1 + the last t with mask[b, t] ≠ 0 (x [N, T, ...] of any dtype, mask [N, T] i32 or f32): ONNX's ReverseSequence, the reverse direction of a masked bidirectional recurrence. Its own gradient.",
  },
  positional_encoding: { inputs: ['x'], outputs: ['y'], attrs: {}, epilogue: false, grad: differentiable([]), doc: 'y = x + PE[t, d]: sin(t/10000^(2i/D)) on even d = 2i, cos on odd d = 2i+1.' },

  // ── losses: mean loss (scalar) and its gradient w.r.t. pred ────────────────────────────────────
  ...LOSS_KERNELS,
  masked_mse_loss: maskedLoss('mse_loss', LOSS_KERNELS.mse_loss, false),
  masked_mae_loss: maskedLoss('mae_loss', LOSS_KERNELS.mae_loss, false),
  masked_huber_loss: maskedLoss('huber_loss', LOSS_KERNELS.huber_loss, false),
  masked_binary_cross_entropy_loss: maskedLoss('binary_cross_entropy_loss', LOSS_KERNELS.binary_cross_entropy_loss, false),
  masked_sigmoid_binary_cross_entropy_loss: maskedLoss('sigmoid_binary_cross_entropy_loss', LOSS_KERNELS.sigmoid_binary_cross_entropy_loss, false),
  masked_cross_entropy_loss: maskedLoss('cross_entropy_loss', LOSS_KERNELS.cross_entropy_loss, true),
  masked_softmax_cross_entropy_loss: maskedLoss('softmax_cross_entropy_loss', LOSS_KERNELS.softmax_cross_entropy_loss, true),
  masked_sparse_cross_entropy_loss: maskedLoss('sparse_cross_entropy_loss', LOSS_KERNELS.sparse_cross_entropy_loss, true),
  masked_sparse_softmax_cross_entropy_loss: maskedLoss('sparse_softmax_cross_entropy_loss', LOSS_KERNELS.sparse_softmax_cross_entropy_loss, true),
  masked_kl_divergence_loss: maskedLoss('kl_divergence_loss', LOSS_KERNELS.kl_divergence_loss, true),

  // ── backward primitives ────────────────────────────────────────────────────────────────────────
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
  groupnorm_grad: {
    inputs: ['dy', 'x', 'gamma', 'mean', 'invstd'],
    outputs: ['dx', 'dgamma', 'dbeta'],
    attrs: { groups: int },
    epilogue: false,
    doc: 'Gradient of groupnorm w.r.t. x, gamma and beta.',
  },
  embedding_grad: { inputs: ['dy', 'ids'], outputs: ['dtable'], attrs: { shape: dims }, epilogue: false, doc: 'dtable = 0, then dtable[ids[r]] += dy[r] (scatter-add).' },
  conv2d_grad_input: { inputs: ['dy', 'w'], outputs: ['dx'], attrs: { shape: dims, strides: ints, padding: { type: 'string' }, dilation: ints }, epilogue: false, doc: 'Gradient of conv2d w.r.t. x (output shape from `shape`).' },
  conv2d_grad_weight: { inputs: ['dy', 'x'], outputs: ['dw'], attrs: { shape: dims, strides: ints, padding: { type: 'string' }, dilation: ints }, epilogue: false, doc: 'Gradient of conv2d w.r.t. w.' },
  grouped_conv2d_grad_input: { inputs: ['dy', 'w'], outputs: ['dx'], attrs: { shape: dims, strides: ints, padding: { type: 'string' }, dilation: ints, groups: int }, epilogue: false, doc: 'Gradient of grouped_conv2d w.r.t. x (output shape from `shape`).' },
  grouped_conv2d_grad_weight: { inputs: ['dy', 'x'], outputs: ['dw'], attrs: { shape: dims, strides: ints, padding: { type: 'string' }, dilation: ints, groups: int }, epilogue: false, doc: 'Gradient of grouped_conv2d w.r.t. w.' },
  conv1d_grad_input: { inputs: ['dy', 'w'], outputs: ['dx'], attrs: { shape: dims, strides: ints, padding: { type: 'string' }, dilation: ints }, epilogue: false, doc: 'Gradient of conv1d w.r.t. x.' },
  conv1d_grad_weight: { inputs: ['dy', 'x'], outputs: ['dw'], attrs: { shape: dims, strides: ints, padding: { type: 'string' }, dilation: ints }, epilogue: false, doc: 'Gradient of conv1d w.r.t. w.' },
  maxpool2d_grad: { inputs: ['dy', 'x'], outputs: ['dx'], attrs: { size: ints, strides: ints, padding: { type: 'string' } }, epilogue: false, doc: 'Routes dy to the (first) max of each window.' },
  avgpool2d_grad: { inputs: ['dy'], outputs: ['dx'], attrs: { shape: dims, size: ints, strides: ints, padding: { type: 'string' } }, epilogue: false, doc: 'Spreads dy evenly over each window (output shape from `shape`).' },
  upsample2d_grad: { inputs: ['dy'], outputs: ['dx'], attrs: { shape: dims, size: ints, mode: { type: 'string' } }, epilogue: false, doc: 'Gradient of upsample2d: each dy spread back onto the cells it was read from, with its weight (output shape from `shape`).' },
  global_avg_pool_grad: { inputs: ['dy'], outputs: ['dx'], attrs: { shape: dims }, epilogue: false, doc: 'Spreads dy evenly over the pooled axes (output shape from `shape`).' },
  global_max_pool_grad: { inputs: ['dy', 'x'], outputs: ['dx'], attrs: {}, epilogue: false, doc: 'Routes dy to the (first) max over the pooled axes.' },


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

/** The kernels that take a fused `bias` + activation epilogue (matmul, conv). */
export type EpilogueKernelName = { [K in KernelName]: (typeof KERNELS)[K] extends { epilogue: true } ? K : never }[KernelName];

export function kernelSpec(name: string): KernelSpec | undefined {
  return Object.prototype.hasOwnProperty.call(KERNELS, name) ? (KERNELS as Record<string, KernelSpec>)[name] : undefined;
}

/** Splits `matmul+bias+relu` into its base kernel and epilogue elements. */
export function parseKernelName(kernel: string): { base: string; epilogue: string[] } {
  return { base: kernelBase(kernel), epilogue: kernel.split('+').slice(1) };
}

/** The base kernel of `matmul+bias+relu`, without splitting (the compiler asks it per node). */
export function kernelBase(kernel: string): string {
  const plus = kernel.indexOf('+');
  return plus < 0 ? kernel : kernel.slice(0, plus);
}

/**
 * The pooling epilogue element: `conv2d+bias+relu+maxpool` stores max(y) over non-overlapping
 * windows of [ph, pw] = the step's `pool` attribute (stride = window, no padding: rows and columns
 * that fill no whole window are dropped, as maxpool2d 'valid' does), after the bias and activation.
 * Only kernels marked `poolEpilogue` take it, last; the step then has no `pre` output, and its `y` is
 * the pooled tensor [N, ⌊OH/ph⌋, ⌊OW/pw⌋, F].
 */
export const POOL_EPILOGUE = 'maxpool';

/** The pooling epilogue's attribute, next to the base kernel's in the step's attrs. */
export const POOL_EPILOGUE_ATTRS: Readonly<Record<string, KernelAttr>> = { pool: ints };

/** True when `element` may follow `+` in a fused kernel name. */
export function isEpilogueElement(element: string): boolean {
  return element === 'bias' || element === POOL_EPILOGUE || kernelSpec(element)?.activation !== undefined;
}

/** The fused kernel name of a base kernel and its epilogue elements: `matmul+bias+relu`. */
export function fusedKernelName(base: string, epilogue: readonly string[]): string {
  return [base, ...epilogue].join('+');
}

export const KERNEL_NAMES = Object.keys(KERNELS) as KernelName[];

/** Builds one value per kernel from its spec, typed so that the result covers every kernel. */
export function perKernel<T>(make: (name: KernelName, spec: KernelSpec) => T): Record<KernelName, T> {
  return Object.fromEntries(KERNEL_NAMES.map((name) => [name, make(name, KERNELS[name])])) as Record<KernelName, T>;
}

/** How many inputs a kernel takes (without a fused bias); 'variadic' for `x...`. */
export function kernelArity(spec: KernelSpec): number | 'variadic' {
  return spec.inputs.some((i) => i.endsWith('...')) ? 'variadic' : spec.inputs.length;
}
