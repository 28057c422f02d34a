import { ACTIVATION_NAMES } from '../../../runtime/plan/activations.js';
import type { PlanAttr, PlanTensor } from '../../../runtime/plan/format.js';
import { RECURRENT_CELL_NAMES, RECURRENT_CELLS } from '../../../runtime/plan/kernels.js';
import { REDUCE_OP_NAMES, UNARY_OP_NAMES, type UnaryOpName } from '../../../runtime/plan/math-ops.js';

/**
 * Every kernel of runtime/plan/kernels.ts that the WebGPU back end implements, as a one-step case
 * with small shapes and data generators that keep it in its domain (probabilities for the
 * cross-entropies, i32 labels and ids). The op suite runs each case on the CPU and on WebGPU.
 *
 * `mode`: `infer` runs the step as the forward pass in inference mode; `train` runs it in a training
 * step (forward in training mode, or the update phase for optimizer kernels) and compares the stored
 * tensors it writes in place too.
 */
export type Gen = 'normal' | 'positive' | 'unit' | 'rows' | 'mask' | 'lengths' | `labels:${number}` | `ids:${number}`;

interface OpInput {
  shape: number[];
  gen?: Gen;
  dtype?: 'f32' | 'i32';
  /** Stored role for tensors updated in place (optimizer slots, running stats, params). */
  role?: PlanTensor['role'];
}

export interface OpCase {
  name: string;
  kernel: string;
  inputs: OpInput[];
  outputs: number[][];
  /** The outputs' dtypes where not f32 (a kernel that copies an int tensor). */
  outputDtypes?: Array<'f32' | 'i32'>;
  attrs?: Record<string, PlanAttr>;
  mode?: 'infer' | 'train-forward' | 'update';
  /** Max abs difference CPU vs WebGPU; 1e-4 unless stated with the reason. */
  tolerance?: number;
}


function activationCases(): OpCase[] {
  const cases: OpCase[] = [];
  for (const act of ACTIVATION_NAMES) {
    const attrs: Record<string, PlanAttr> = act === 'leaky_relu' ? { alpha: 0.2 } : act === 'elu' ? { alpha: 0.7 } : {};
    cases.push({ name: act, kernel: act, inputs: [{ shape: [5, 7] }], outputs: [[5, 7]], attrs });
    cases.push({ name: `${act}_grad`, kernel: `${act}_grad`, inputs: [{ shape: [5, 7] }, { shape: [5, 7] }], outputs: [[5, 7]], attrs });
    cases.push({ name: `matmul+bias+${act}`, kernel: `matmul+bias+${act}`, inputs: [{ shape: [6, 5] }, { shape: [9, 5] }, { shape: [9] }], outputs: [[6, 9], [6, 9]], attrs: { transA: false, transB: true, ...attrs } });
  }
  return cases;
}

function matmulCases(): OpCase[] {
  const cases: OpCase[] = [];
  for (const transA of [false, true]) {
    for (const transB of [false, true]) {
      // [M, K] = [70, 33] and N = 67: more than one 64×64 tile with ragged edges (the tiled variant).
      const a = transA ? [33, 70] : [70, 33];
      const b = transB ? [67, 33] : [33, 67];
      cases.push({ name: `matmul tiled transA=${transA} transB=${transB}`, kernel: 'matmul', inputs: [{ shape: a }, { shape: b }], outputs: [[70, 67]], attrs: { transA, transB } });
      const sa = transA ? [9, 3] : [3, 9];
      const sb = transB ? [4, 9] : [9, 4];
      cases.push({ name: `matmul direct transA=${transA} transB=${transB}`, kernel: 'matmul', inputs: [{ shape: sa }, { shape: sb }], outputs: [[3, 4]], attrs: { transA, transB } });
    }
  }
  cases.push({ name: 'matmul 3-D a', kernel: 'matmul+bias', inputs: [{ shape: [2, 3, 4] }, { shape: [5, 4] }, { shape: [5] }], outputs: [[2, 3, 5]], attrs: { transA: false, transB: true } });
  return cases;
}

function elementwiseCases(): OpCase[] {
  const cases: OpCase[] = [];
  for (const op of ['add', 'sub', 'mul']) {
    cases.push({ name: `${op} same`, kernel: op, inputs: [{ shape: [4, 6] }, { shape: [4, 6] }], outputs: [[4, 6]] });
    cases.push({ name: `${op} suffix`, kernel: op, inputs: [{ shape: [4, 6] }, { shape: [6] }], outputs: [[4, 6]] });
    cases.push({ name: `${op} scalar`, kernel: op, inputs: [{ shape: [] }, { shape: [3, 2] }], outputs: [[3, 2]] });
    cases.push({ name: `${op} general`, kernel: op, inputs: [{ shape: [4, 1, 3] }, { shape: [5, 1] }], outputs: [[4, 5, 3]] });
  }
  cases.push({ name: 'positional_encoding', kernel: 'positional_encoding', inputs: [{ shape: [2, 6, 8] }], outputs: [[2, 6, 8]] });
  cases.push({ name: 'bias_add', kernel: 'bias_add', inputs: [{ shape: [4, 6] }, { shape: [6] }], outputs: [[4, 6]] });
  cases.push({ name: 'scale', kernel: 'scale', inputs: [{ shape: [4, 6] }], outputs: [[4, 6]], attrs: { factor: -0.25 } });
  cases.push({ name: 'copy', kernel: 'copy', inputs: [{ shape: [4, 6] }], outputs: [[4, 6]] });
  cases.push({ name: 'reshape', kernel: 'reshape', inputs: [{ shape: [4, 6] }], outputs: [[2, 12]], attrs: { shape: [2, 12] } });
  cases.push({ name: 'sum_to rows', kernel: 'sum_to', inputs: [{ shape: [9, 5] }], outputs: [[5]], attrs: { shape: [5] } });
  cases.push({ name: 'sum_to middle', kernel: 'sum_to', inputs: [{ shape: [4, 5, 3] }], outputs: [[4, 1, 3]], attrs: { shape: [4, 1, 3] } });
  cases.push({ name: 'sum_to scalar', kernel: 'sum_to', inputs: [{ shape: [4, 5] }], outputs: [[]], attrs: { shape: [] } });
  cases.push({ name: 'concat', kernel: 'concat', inputs: [{ shape: [3, 2, 4] }, { shape: [3, 5, 4] }, { shape: [3, 1, 4] }], outputs: [[3, 8, 4]], attrs: { axis: 1 } });
  cases.push({ name: 'slice', kernel: 'slice', inputs: [{ shape: [3, 8, 4] }], outputs: [[3, 5, 4]], attrs: { axis: 1, start: 2, size: 5 } });
  cases.push({ name: 'l1_l2_grad', kernel: 'l1_l2_grad', inputs: [{ shape: [4, 6] }, { shape: [4, 6] }], outputs: [[4, 6]], attrs: { l1: 0.01, l2: 0.02 } });
  cases.push({ name: 'l1_l2_penalty', kernel: 'l1_l2_penalty', inputs: [{ shape: [40, 30] }], outputs: [[]], attrs: { l1: 0.01, l2: 0.02 } });
  cases.push({ name: 'dropout (inference: copy)', kernel: 'dropout', inputs: [{ shape: [4, 6] }], outputs: [[4, 6], [4, 6]], attrs: { rate: 0.3, seed: 7 } });
  // random: the CPU and WGSL kernels share the counter-based generator, so training draws agree too.
  for (const [dist, a, b] of [['normal', 0.5, 2], ['uniform', -1, 3]] as const) {
    cases.push({ name: `random ${dist} (training: drawn)`, kernel: 'random', inputs: [{ shape: [33, 7] }], outputs: [[33, 7]], attrs: { dist, a, b, seed: 11, inference: false }, mode: 'train-forward' });
    cases.push({ name: `random ${dist} (inference: the mean)`, kernel: 'random', inputs: [{ shape: [4, 6] }], outputs: [[4, 6]], attrs: { dist, a, b, seed: 11, inference: false } });
    cases.push({ name: `random ${dist} (inference: true, drawn)`, kernel: 'random', inputs: [{ shape: [4, 6] }], outputs: [[4, 6]], attrs: { dist, a, b, seed: 11, inference: true } });
  }
  cases.push({ name: 'dropout_grad', kernel: 'dropout_grad', inputs: [{ shape: [4, 6] }, { shape: [4, 6], gen: 'mask' }], outputs: [[4, 6]] });
  return cases;
}

function rowCases(): OpCase[] {
  return [
    { name: 'softmax', kernel: 'softmax', inputs: [{ shape: [5, 7] }], outputs: [[5, 7]] },
    { name: 'log_softmax', kernel: 'log_softmax', inputs: [{ shape: [5, 7] }], outputs: [[5, 7]] },
    { name: 'softmax_grad', kernel: 'softmax_grad', inputs: [{ shape: [5, 7] }, { shape: [5, 7], gen: 'rows' }], outputs: [[5, 7]] },
    { name: 'log_softmax_grad', kernel: 'log_softmax_grad', inputs: [{ shape: [5, 7] }, { shape: [5, 7] }], outputs: [[5, 7]] },
    { name: 'layernorm', kernel: 'layernorm', inputs: [{ shape: [5, 8] }, { shape: [8] }, { shape: [8] }], outputs: [[5, 8], [5], [5]], attrs: { epsilon: 1e-5 } },
    { name: 'layernorm_grad', kernel: 'layernorm_grad', inputs: [{ shape: [5, 8] }, { shape: [5, 8] }, { shape: [8] }, { shape: [5] }, { shape: [5], gen: 'positive' }], outputs: [[5, 8], [8], [8]] },
    { name: 'batchnorm_grad', kernel: 'batchnorm_grad', inputs: [{ shape: [6, 4] }, { shape: [6, 4] }, { shape: [4] }, { shape: [4] }, { shape: [4], gen: 'positive' }], outputs: [[6, 4], [4], [4]] },
    { name: 'embedding', kernel: 'embedding', inputs: [{ shape: [3, 4], dtype: 'i32', gen: 'ids:6' }, { shape: [6, 5] }], outputs: [[3, 4, 5]] },
    { name: 'embedding_grad', kernel: 'embedding_grad', inputs: [{ shape: [3, 4, 5] }, { shape: [3, 4], dtype: 'i32', gen: 'ids:6' }], outputs: [[6, 5]] },
  ];
}

function lossCases(): OpCase[] {
  const cases: OpCase[] = [];
  const dense = (kernel: string, pred: Gen, target: Gen, attrs: Record<string, PlanAttr> = {}): OpCase => ({
    name: kernel, kernel, inputs: [{ shape: [6, 4], gen: pred }, { shape: [6, 4], gen: target }], outputs: [[], [6, 4]], attrs,
  });
  cases.push(dense('mse_loss', 'normal', 'normal'));
  cases.push(dense('mae_loss', 'normal', 'normal'));
  cases.push(dense('huber_loss', 'normal', 'normal', { delta: 0.5 }));
  cases.push(dense('binary_cross_entropy_loss', 'unit', 'unit'));
  cases.push(dense('sigmoid_binary_cross_entropy_loss', 'normal', 'unit'));
  cases.push(dense('cross_entropy_loss', 'rows', 'rows'));
  cases.push(dense('softmax_cross_entropy_loss', 'normal', 'rows'));
  cases.push(dense('kl_divergence_loss', 'rows', 'rows'));
  for (const kernel of ['sparse_cross_entropy_loss', 'sparse_softmax_cross_entropy_loss']) {
    cases.push({ name: kernel, kernel, inputs: [{ shape: [6, 4], gen: kernel.includes('softmax') ? 'normal' : 'rows' }, { shape: [6], dtype: 'i32', gen: 'labels:4' }], outputs: [[], [6, 4]] });
  }
  // Masked cross-entropies: a float mask with holes over [6] rows, an int mask of padded rows over
  // [batch 2, seq 3] (a tagger's tokens), with label smoothing and class weights on two of them.
  const rowsMask: OpInput = { shape: [6], gen: 'mask' };
  const tokensMask: OpInput = { shape: [2, 3], gen: 'lengths', dtype: 'i32' };
  cases.push({ name: 'masked_cross_entropy_loss', kernel: 'masked_cross_entropy_loss', inputs: [{ shape: [6, 4], gen: 'rows' }, { shape: [6, 4], gen: 'rows' }, rowsMask], outputs: [[], [6, 4]] });
  cases.push({ name: 'masked_softmax_cross_entropy_loss', kernel: 'masked_softmax_cross_entropy_loss', inputs: [{ shape: [6, 4] }, { shape: [6, 4], gen: 'rows' }, rowsMask], outputs: [[], [6, 4]], attrs: { smoothing: 0.1 } });
  cases.push({ name: 'masked_sparse_cross_entropy_loss', kernel: 'masked_sparse_cross_entropy_loss', inputs: [{ shape: [2, 3, 4], gen: 'rows' }, { shape: [2, 3], dtype: 'i32', gen: 'labels:4' }, tokensMask], outputs: [[], [2, 3, 4]] });
  cases.push({
    name: 'masked_sparse_softmax_cross_entropy_loss',
    kernel: 'masked_sparse_softmax_cross_entropy_loss',
    inputs: [{ shape: [2, 3, 4] }, { shape: [2, 3], dtype: 'i32', gen: 'labels:4' }, tokensMask],
    outputs: [[], [2, 3, 4]],
    attrs: { classWeights: [1, 2, 0.5, 1] },
  });
  // The other masked losses: a mask of the rows (int, padded) or of every element (float, holes),
  // each entry covering the elements of its row; binary cross-entropy with smoothing and class weights once.
  const elementsMask: OpInput = { shape: [2, 3, 4], gen: 'mask' };
  const masked = (kernel: string, pred: Gen, target: Gen, mask: OpInput, attrs: Record<string, PlanAttr> = {}): OpCase => ({
    name: `masked_${kernel} ${mask === elementsMask ? 'elements' : 'rows'}`,
    kernel: `masked_${kernel}`,
    inputs: [{ shape: [2, 3, 4], gen: pred }, { shape: [2, 3, 4], gen: target }, mask],
    outputs: [[], [2, 3, 4]],
    attrs,
  });
  for (const mask of [tokensMask, elementsMask]) {
    cases.push(masked('mse_loss', 'normal', 'normal', mask));
    cases.push(masked('mae_loss', 'normal', 'normal', mask));
    cases.push(masked('huber_loss', 'normal', 'normal', mask, { delta: 0.5 }));
    cases.push(masked('binary_cross_entropy_loss', 'unit', 'unit', mask));
    cases.push(masked('sigmoid_binary_cross_entropy_loss', 'normal', 'unit', mask, { smoothing: 0.1, classWeights: [0.5, 2] }));
  }
  cases.push(masked('kl_divergence_loss', 'rows', 'rows', tokensMask));
  return cases;
}

function trainingCases(): OpCase[] {
  const slots = (n: number, gen: Gen = 'positive'): OpInput[] => Array.from({ length: n }, () => ({ shape: [4, 3], role: 'optimizer' as const, gen }));
  const param: OpInput = { shape: [4, 3], role: 'param' };
  const grad: OpInput = { shape: [4, 3] };
  const update = (name: string, kernel: string, n: number, attrs: Record<string, PlanAttr>): OpCase => ({
    name, kernel, inputs: [param, grad, ...slots(n, kernel === 'sgd_update' || kernel === 'adam_update' || kernel === 'adamw_update' ? 'normal' : 'positive')], outputs: [[4, 3], ...slots(n).map((s) => s.shape)], attrs, mode: 'update',
  });
  const cases = [
    update('gd_update', 'gd_update', 0, {}),
    update('sgd_update momentum', 'sgd_update', 1, { momentum: 0.9, nesterov: false }),
    update('sgd_update nesterov', 'sgd_update', 1, { momentum: 0.9, nesterov: true }),
    update('adam_update', 'adam_update', 2, { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }),
    update('adamw_update', 'adamw_update', 2, { beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0.01 }),
    update('adagrad_update', 'adagrad_update', 1, { epsilon: 1e-7 }),
    update('rmsprop_update', 'rmsprop_update', 2, { rho: 0.9, epsilon: 1e-7, momentum: 0.5 }),
  ];
  // Adam's v slot must be non-negative (it is a running mean of g²).
  for (const c of cases) if (c.kernel.startsWith('adam')) c.inputs[3] = { ...c.inputs[3]!, gen: 'positive' };
  for (const [name, x, groups] of [['image', [3, 4, 5, 6], 3], ['rows', [5, 8], 2]] as const) {
    const stats = [x[0], groups];
    cases.push({ name: `groupnorm ${name}`, kernel: 'groupnorm', inputs: [{ shape: [...x] }, { shape: [x.at(-1)!] }, { shape: [x.at(-1)!] }], outputs: [[...x], stats, stats], attrs: { groups, epsilon: 1e-3 } });
    cases.push({
      name: `groupnorm_grad ${name}`,
      kernel: 'groupnorm_grad',
      inputs: [{ shape: [...x] }, { shape: [...x] }, { shape: [x.at(-1)!] }, { shape: stats }, { shape: stats, gen: 'positive' }],
      outputs: [[...x], [x.at(-1)!], [x.at(-1)!]],
      attrs: { groups },
    });
  }
  const bn = (mode: 'infer' | 'train-forward'): OpCase => ({
    name: `batchnorm (${mode === 'infer' ? 'inference' : 'training'})`,
    kernel: 'batchnorm',
    inputs: [{ shape: [6, 4] }, { shape: [4], role: 'param' }, { shape: [4], role: 'param' }, { shape: [4], role: 'state' }, { shape: [4], role: 'state', gen: 'positive' }],
    outputs: [[6, 4], [4], [4]],
    attrs: { epsilon: 1e-3, momentum: 0.9 },
    mode,
  });
  cases.push(bn('infer'), bn('train-forward'));
  return cases;
}

function spatialCases(): OpCase[] {
  const cases: OpCase[] = [];
  const conv2d = [
    { name: 'valid', x: [2, 6, 5, 3], w: [4, 3, 2, 3], y: [2, 4, 4, 4], attrs: { strides: [1, 1], padding: 'valid', dilation: [1, 1] } },
    { name: 'same stride 2', x: [2, 7, 6, 3], w: [4, 3, 3, 3], y: [2, 4, 3, 4], attrs: { strides: [2, 2], padding: 'same', dilation: [1, 1] } },
    { name: 'dilated', x: [1, 7, 7, 2], w: [3, 3, 3, 2], y: [1, 3, 3, 3], attrs: { strides: [1, 1], padding: 'valid', dilation: [2, 2] } },
  ];
  for (const c of conv2d) {
    cases.push({ name: `conv2d+bias+relu ${c.name}`, kernel: 'conv2d+bias+relu', inputs: [{ shape: c.x }, { shape: c.w }, { shape: [c.w[0]!] }], outputs: [c.y, c.y], attrs: c.attrs });
    cases.push({ name: `conv2d_grad_input ${c.name}`, kernel: 'conv2d_grad_input', inputs: [{ shape: c.y }, { shape: c.w }], outputs: [c.x], attrs: c.attrs });
    cases.push({ name: `conv2d_grad_weight ${c.name}`, kernel: 'conv2d_grad_weight', inputs: [{ shape: c.y }, { shape: c.x }], outputs: [c.w], attrs: c.attrs });
  }
  // The pooling epilogue: the conv's outputs max-pooled by `pool` at stride = window, the rows and
  // columns after the last whole window dropped (5 → 2, 7 → 2 with windows of 3).
  const pooled: Array<{ kernel: string; name: string; x: number[]; w: number[]; y: number[]; attrs: Record<string, PlanAttr> }> = [
    { kernel: 'conv2d+bias+relu+maxpool', name: 'valid, a row and a column dropped', x: [2, 7, 7, 3], w: [4, 3, 3, 3], y: [2, 2, 2, 4], attrs: { strides: [1, 1], padding: 'valid', dilation: [1, 1], pool: [2, 2] } },
    { kernel: 'conv2d+bias+leaky_relu+maxpool', name: 'same stride 2, windows 2×3', x: [2, 8, 13, 3], w: [4, 3, 3, 3], y: [2, 2, 2, 4], attrs: { strides: [2, 2], padding: 'same', dilation: [1, 1], pool: [2, 3], alpha: 0.2 } },
    { kernel: 'conv2d+maxpool', name: 'dilated, no bias', x: [1, 7, 7, 2], w: [3, 3, 3, 2], y: [1, 1, 1, 3], attrs: { strides: [1, 1], padding: 'valid', dilation: [2, 2], pool: [3, 3] } },
  ];
  for (const c of pooled) {
    const bias = c.kernel.includes('+bias') ? [{ shape: [c.w[0]!] }] : [];
    cases.push({ name: `${c.kernel} ${c.name}`, kernel: c.kernel, inputs: [{ shape: c.x }, { shape: c.w }, ...bias], outputs: [c.y], attrs: c.attrs });
  }
  const c1 = { strides: [2], padding: 'same', dilation: [1] };
  cases.push({ name: 'conv1d same stride 2', kernel: 'conv1d+bias', inputs: [{ shape: [2, 9, 3] }, { shape: [4, 3, 3] }, { shape: [4] }], outputs: [[2, 5, 4]], attrs: c1 });
  cases.push({ name: 'conv1d_grad_input', kernel: 'conv1d_grad_input', inputs: [{ shape: [2, 5, 4] }, { shape: [4, 3, 3] }], outputs: [[2, 9, 3]], attrs: c1 });
  cases.push({ name: 'conv1d_grad_weight', kernel: 'conv1d_grad_weight', inputs: [{ shape: [2, 5, 4] }, { shape: [2, 9, 3] }], outputs: [[4, 3, 3]], attrs: c1 });
  const transposed = [
    { name: 'valid stride 2', x: [2, 3, 4, 3], w: [3, 3, 3, 4], y: [2, 7, 9, 4], attrs: { strides: [2, 2], padding: 'valid', dilation: [1, 1] } },
    { name: 'same stride 2', x: [2, 3, 3, 3], w: [3, 3, 3, 2], y: [2, 6, 6, 2], attrs: { strides: [2, 2], padding: 'same', dilation: [1, 1] } },
    { name: 'kernel 2 stride 3', x: [1, 3, 2, 2], w: [2, 2, 2, 3], y: [1, 9, 6, 3], attrs: { strides: [3, 3], padding: 'valid', dilation: [1, 1] } },
  ];
  for (const c of transposed) cases.push({ name: `conv2d_transpose ${c.name}`, kernel: 'conv2d_transpose', inputs: [{ shape: c.x }, { shape: c.w }], outputs: [c.y], attrs: c.attrs });
  cases.push({ name: 'conv1d_transpose dilated', kernel: 'conv1d_transpose', inputs: [{ shape: [2, 5, 3] }, { shape: [3, 3, 4] }], outputs: [[2, 9, 4]], attrs: { strides: [1], padding: 'valid', dilation: [2] } });
  for (const mode of ['nearest', 'bilinear']) {
    const attrs = { size: [2, 3], mode };
    cases.push({ name: `upsample2d ${mode}`, kernel: 'upsample2d', inputs: [{ shape: [2, 3, 4, 3] }], outputs: [[2, 6, 12, 3]], attrs });
    cases.push({ name: `upsample2d_grad ${mode}`, kernel: 'upsample2d_grad', inputs: [{ shape: [2, 6, 12, 3] }], outputs: [[2, 3, 4, 3]], attrs: { ...attrs, shape: [2, 3, 4, 3] } });
  }
  const grouped = [
    { name: 'depthwise ×2 same stride 2', x: [2, 5, 6, 3], w: [6, 3, 3, 1], y: [2, 3, 3, 6], attrs: { strides: [2, 2], padding: 'same', dilation: [1, 1], groups: 3 } },
    { name: '2 groups valid dilated', x: [2, 7, 6, 4], w: [6, 3, 2, 2], y: [2, 3, 5, 6], attrs: { strides: [1, 1], padding: 'valid', dilation: [2, 1], groups: 2 } },
  ];
  for (const c of grouped) {
    cases.push({ name: `grouped_conv2d+bias+relu ${c.name}`, kernel: 'grouped_conv2d+bias+relu', inputs: [{ shape: c.x }, { shape: c.w }, { shape: [c.w[0]!] }], outputs: [c.y, c.y], attrs: c.attrs });
    cases.push({ name: `grouped_conv2d ${c.name}`, kernel: 'grouped_conv2d', inputs: [{ shape: c.x }, { shape: c.w }], outputs: [c.y], attrs: c.attrs });
    cases.push({ name: `grouped_conv2d_grad_input ${c.name}`, kernel: 'grouped_conv2d_grad_input', inputs: [{ shape: c.y }, { shape: c.w }], outputs: [c.x], attrs: c.attrs });
    cases.push({ name: `grouped_conv2d_grad_weight ${c.name}`, kernel: 'grouped_conv2d_grad_weight', inputs: [{ shape: c.y }, { shape: c.x }], outputs: [c.w], attrs: c.attrs });
  }
  const pools = [
    { name: 'valid 2x2', x: [2, 6, 6, 3], y: [2, 3, 3, 3], attrs: { size: [2, 2], strides: [2, 2], padding: 'valid' } },
    { name: 'same 3x3 stride 2', x: [2, 7, 6, 2], y: [2, 4, 3, 2], attrs: { size: [3, 3], strides: [2, 2], padding: 'same' } },
  ];
  for (const p of pools) {
    for (const kind of ['maxpool2d', 'avgpool2d']) {
      cases.push({ name: `${kind} ${p.name}`, kernel: kind, inputs: [{ shape: p.x }], outputs: [p.y], attrs: p.attrs });
      const grad = kind === 'maxpool2d' ? [{ shape: p.y }, { shape: p.x }] : [{ shape: p.y }];
      cases.push({ name: `${kind}_grad ${p.name}`, kernel: `${kind}_grad`, inputs: grad, outputs: [p.x], attrs: p.attrs });
    }
  }
  for (const kind of ['global_avg_pool', 'global_max_pool']) {
    cases.push({ name: kind, kernel: kind, inputs: [{ shape: [2, 4, 3, 5] }], outputs: [[2, 5]] });
    const grad = kind === 'global_max_pool' ? [{ shape: [2, 5] }, { shape: [2, 4, 3, 5] }] : [{ shape: [2, 5] }];
    cases.push({ name: `${kind}_grad`, kernel: `${kind}_grad`, inputs: grad, outputs: [[2, 4, 3, 5]] });
  }
  return cases;
}

function recurrentCases(): OpCase[] {
  // 5 units run the CPU's JS scans; 8 (a multiple of 4) and 5 rows (the GEMM's SIMD path) its WASM ones.
  const cases: OpCase[] = [...scanCases(3, 5, ''), ...scanCases(5, 8, ' units=8')];
  const [n, t] = [3, 4];
  // Each row reversed over its own length: f32 values with an int mask, an int tensor with a float mask.
  cases.push({ name: 'reverse_sequence f32', kernel: 'reverse_sequence', inputs: [{ shape: [n, t, 2] }, { shape: [n, t], gen: 'lengths', dtype: 'i32' }], outputs: [[n, t, 2]] });
  cases.push({ name: 'reverse_sequence i32', kernel: 'reverse_sequence', inputs: [{ shape: [n, t], gen: 'ids:5', dtype: 'i32' }, { shape: [n, t], gen: 'lengths' }], outputs: [[n, t]], outputDtypes: ['i32'] });
  // A mask as 0/1 weights (masked pooling), from an int and a float mask.
  cases.push({ name: 'nonzero i32', kernel: 'nonzero', inputs: [{ shape: [n, t], gen: 'ids:3', dtype: 'i32' }], outputs: [[n, t]] });
  cases.push({ name: 'nonzero f32', kernel: 'nonzero', inputs: [{ shape: [n, t], gen: 'mask' }], outputs: [[n, t]] });
  return cases;
}

/** The scans and their gradients, unmasked and masked (padded rows and holes), over n rows of 4 steps and u units. */
function scanCases(n: number, u: number, suffix: string): OpCase[] {
  const cases: OpCase[] = [];
  const t = 4;
  for (const cell of RECURRENT_CELL_NAMES) {
    const { gates, saved: stored } = RECURRENT_CELLS[cell];
    const bias = 'recurrentBias' in RECURRENT_CELLS[cell] ? [[gates * u]] : [];
    for (const sequences of [false, true]) {
      const attrs = { units: u, return_sequences: sequences };
      const y = sequences ? [n, t, u] : [n, u];
      const inputs = [{ shape: [n, t, gates * u] }, { shape: [gates * u, u] }, ...bias.map((shape) => ({ shape }))];
      cases.push({ name: `${cell}_scan sequences=${sequences}${suffix}`, kernel: `${cell}_scan`, inputs, outputs: [y, [n, t, stored * u]], attrs });
      cases.push({
        name: `${cell}_scan_grad sequences=${sequences}${suffix}`,
        kernel: `${cell}_scan_grad`,
        inputs: [{ shape: y }, { shape: [gates * u, u] }, { shape: [n, t, stored * u], gen: 'unit' }],
        outputs: [[n, t, gates * u], [gates * u, u], ...bias],
        attrs,
      });
      // A mask [N, T] of padded rows (int for the sequences, float for the last state), and one with
      // holes (0s between real steps, float 0 or 1/0.7).
      const padded = { shape: [n, t], gen: 'lengths' as const, ...(sequences ? { dtype: 'i32' as const } : {}) };
      const holes = { shape: [n, t], gen: 'mask' as const };
      for (const [kind, mask] of [['padded', padded], ['holes', holes]] as const) {
        cases.push({ name: `${cell}_masked_scan sequences=${sequences} ${kind}${suffix}`, kernel: `${cell}_masked_scan`, inputs: [...inputs, mask], outputs: [y, [n, t, stored * u]], attrs });
        cases.push({
          name: `${cell}_masked_scan_grad sequences=${sequences} ${kind}${suffix}`,
          kernel: `${cell}_masked_scan_grad`,
          inputs: [{ shape: y }, { shape: [gates * u, u] }, { shape: [n, t, stored * u], gen: 'unit' }, mask],
          outputs: [[n, t, gates * u], [gates * u, u], ...bias],
          attrs,
        });
      }
    }
  }
  return cases;
}

function attentionCases(): OpCase[] {
  const cases: OpCase[] = [];
  const [n, t, d, heads] = [2, 5, 6, 2];
  for (const causal of [false, true]) {
    const attrs = { heads, causal };
    cases.push({ name: `attention causal=${causal}`, kernel: 'attention', inputs: [{ shape: [n, t, d] }, { shape: [n, t, d] }, { shape: [n, t, d] }], outputs: [[n, t, d], [n, heads, t, t]], attrs });
    cases.push({
      name: `attention_grad causal=${causal}`,
      kernel: 'attention_grad',
      inputs: [{ shape: [n, t, d] }, { shape: [n, t, d] }, { shape: [n, t, d] }, { shape: [n, t, d] }, { shape: [n, heads, t, t], gen: 'rows' }],
      outputs: [[n, t, d], [n, t, d], [n, t, d]],
      attrs,
    });
  }
  // Cross-attention: 5 queries over 3 keys and values (and causal, as a decoder over a shorter memory).
  const tk = 3;
  for (const causal of [false, true]) {
    const attrs = { heads, causal };
    cases.push({ name: `cross attention causal=${causal}`, kernel: 'attention', inputs: [{ shape: [n, t, d] }, { shape: [n, tk, d] }, { shape: [n, tk, d] }], outputs: [[n, t, d], [n, heads, t, tk]], attrs });
    cases.push({
      name: `cross attention_grad causal=${causal}`,
      kernel: 'attention_grad',
      inputs: [{ shape: [n, t, d] }, { shape: [n, t, d] }, { shape: [n, tk, d] }, { shape: [n, tk, d] }, { shape: [n, heads, t, tk], gen: 'rows' }],
      outputs: [[n, t, d], [n, tk, d], [n, tk, d]],
      attrs,
    });
  }
  // A key mask (0 = ignore): float and int masks, self- and cross-attention; some queries lose every key.
  for (const [keys, causal, gen] of [[t, false, 'mask'], [tk, true, 'mask'], [tk, false, 'ids:2']] as const) {
    cases.push({
      name: `masked_attention tk=${keys} causal=${causal} ${gen}`,
      kernel: 'masked_attention',
      inputs: [{ shape: [n, t, d] }, { shape: [n, keys, d] }, { shape: [n, keys, d] }, { shape: [n, keys], gen }],
      outputs: [[n, t, d], [n, heads, t, keys]],
      attrs: { heads, causal },
    });
  }
  // A mask per query and key [N, Tq, Tk].
  for (const gen of ['mask', 'ids:2'] as const) {
    cases.push({
      name: `masked_attention per query tk=${tk} ${gen}`,
      kernel: 'masked_attention',
      inputs: [{ shape: [n, t, d] }, { shape: [n, tk, d] }, { shape: [n, tk, d] }, { shape: [n, t, tk], gen }],
      outputs: [[n, t, d], [n, heads, t, tk]],
      attrs: { heads, causal: false },
    });
  }
  return cases;
}

/** The math kernels: every unary op and its gradient, division, and each reduction over a few axis sets. */
function mathCases(): OpCase[] {
  const cases: OpCase[] = [];
  const numbers: Record<UnaryOpName, Record<string, PlanAttr>> = {
    affine: { a: -0.5, b: 1.25 },
    reciprocal: { a: 2 },
    exp: {},
    log: {},
    sqrt: {},
    abs: {},
    square: {},
    pow: { a: 3 },
    clip: { a: -0.5, b: 0.25 },
  };
  // log, sqrt and 1/x need positive inputs; pow(x, 3) and clip see both signs.
  const positive = new Set<UnaryOpName>(['log', 'sqrt', 'reciprocal']);
  for (const op of UNARY_OP_NAMES) {
    const gen: Gen = positive.has(op) ? 'positive' : 'normal';
    const attrs = { op, ...numbers[op] };
    cases.push({ name: `unary ${op}`, kernel: 'unary', inputs: [{ shape: [5, 7], gen }], outputs: [[5, 7]], attrs });
    cases.push({ name: `unary_grad ${op}`, kernel: 'unary_grad', inputs: [{ shape: [5, 7] }, { shape: [5, 7], gen }], outputs: [[5, 7]], attrs });
  }
  cases.push({ name: 'unary pow 0.5', kernel: 'unary', inputs: [{ shape: [4, 3], gen: 'positive' }], outputs: [[4, 3]], attrs: { op: 'pow', a: 0.5 } });
  cases.push({ name: 'unary pow -2 (even, negative base)', kernel: 'unary', inputs: [{ shape: [4, 3] }], outputs: [[4, 3]], attrs: { op: 'pow', a: -2 } });
  cases.push({ name: 'div general', kernel: 'div', inputs: [{ shape: [4, 1, 3] }, { shape: [5, 1], gen: 'positive' }], outputs: [[4, 5, 3]] });
  cases.push({ name: 'div same', kernel: 'div', inputs: [{ shape: [4, 6] }, { shape: [4, 6], gen: 'positive' }], outputs: [[4, 6]] });
  const x = [3, 4, 5];
  for (const op of REDUCE_OP_NAMES) {
    for (const [axes, keepdims, y] of [[[2], false, [3, 4]], [[0, 2], true, [1, 4, 1]], [[1], false, [3, 5]], [[0, 1, 2], false, []]] as const) {
      const attrs = { op, axes: [...axes], keepdims };
      cases.push({ name: `reduce ${op} axes ${axes.join(',')}${keepdims ? ' keepdims' : ''}`, kernel: 'reduce', inputs: [{ shape: x }], outputs: [[...y]], attrs });
      // max and min route dy to the first x equal to y: two-valued x and y make ties and misses.
      const extreme: Gen = op === 'max' || op === 'min' ? 'mask' : 'normal';
      cases.push({ name: `reduce_grad ${op} axes ${axes.join(',')}`, kernel: 'reduce_grad', inputs: [{ shape: [...y] }, { shape: x, gen: extreme }, { shape: [...y], gen: extreme }], outputs: [x], attrs });
    }
  }
  return cases;
}

/** The axis map: a slice with a step and a reversed axis, an index, a transpose, a new axis; and the writes back. */
function stridedCases(): OpCase[] {
  const maps: Array<{ name: string; big: number[]; small: number[]; attrs: Record<string, PlanAttr> }> = [
    { name: 'x[:, 1:6:2, ::-1]', big: [3, 7, 4], small: [3, 3, 4], attrs: { axes: [0, 1, 2], starts: [0, 1, 3], steps: [1, 2, -1] } },
    { name: 'x[:, -1] (index drops an axis)', big: [3, 7, 4], small: [3, 4], attrs: { axes: [0, 2], starts: [0, 6, 0], steps: [1, 1, 1] } },
    { name: 'transpose [0, 2, 1]', big: [3, 7, 4], small: [3, 4, 7], attrs: { axes: [0, 2, 1], starts: [0, 0, 0], steps: [1, 1, 1] } },
    { name: 'new axis and a slice', big: [5, 6], small: [5, 1, 3], attrs: { axes: [0, -1, 1], starts: [0, 2], steps: [1, 1] } },
  ];
  const cases: OpCase[] = maps.flatMap(({ name, big, small, attrs }) => [
    { name: `strided_read ${name}`, kernel: 'strided_read', inputs: [{ shape: big }], outputs: [small], attrs: { ...attrs, shape: small } },
    { name: `strided_write ${name}`, kernel: 'strided_write', inputs: [{ shape: small }], outputs: [big], attrs: { ...attrs, shape: big } },
  ]);
  // Reflection: widths up to size − 1 on both ends, an unpadded axis, asymmetric widths.
  const reflect = { before: [0, 2, 1, 0], after: [0, 3, 0, 0] };
  cases.push({ name: 'pad_reflect', kernel: 'pad_reflect', inputs: [{ shape: [2, 4, 3, 2] }], outputs: [[2, 9, 4, 2]], attrs: reflect });
  cases.push({ name: 'pad_reflect_grad', kernel: 'pad_reflect_grad', inputs: [{ shape: [2, 9, 4, 2] }], outputs: [[2, 4, 3, 2]], attrs: { ...reflect, shape: [2, 4, 3, 2] } });
  return cases;
}

export const OP_CASES: OpCase[] = [...mathCases(), ...stridedCases(), ...attentionCases(), ...recurrentCases(), ...spatialCases(), ...matmulCases(), ...activationCases(), ...elementwiseCases(), ...rowCases(), ...lossCases(), ...trainingCases()];
