import { ACTIVATIONS } from './activations.js';
import type { KernelSource, StepShapes } from './program.js';
import { emitActivation, emitActivationGrad, emitBiasAdd, emitBinary, emitCopy, emitPositionalEncoding, emitScale } from './templates/elementwise.js';
import { emitLoss, emitPenalty, LOSS_KERNELS } from './templates/losses.js';
import { emitMatmul } from './templates/matmul.js';
import { emitDropout, emitDropoutGrad, emitEmbedding, emitEmbeddingGrad, emitPenaltyGrad } from './templates/misc.js';
import { emitBatchnorm, emitBatchnormGrad, emitLayernorm, emitLayernormGrad } from './templates/normalization.js';
import { emitUpdate, UPDATE_KERNELS } from './templates/optimizers.js';
import { emitConv, emitConvGradInput, emitConvGradWeight, emitGlobalPool, emitGlobalPoolGrad, emitPool, emitPoolGrad } from './templates/spatial.js';
import { emitAttention, emitAttentionGrad } from './templates/attention.js';
import { emitScan, emitScanGrad } from './templates/recurrent.js';
import { emitConcat, emitSlice, emitSoftmax, emitSoftmaxGrad, emitSumTo } from './templates/rows.js';

/**
 * Which WGSL template implements each base kernel of runtime/plan/kernels.ts. A kernel missing here
 * has no WebGPU implementation yet; `emitWebGpuPrograms` reports it by name.
 */
export type Template = (step: StepShapes) => KernelSource;

export const TEMPLATES: Record<string, Template> = {
  matmul: emitMatmul,
  bias_add: emitBiasAdd,
  add: emitBinary,
  sub: emitBinary,
  mul: emitBinary,
  scale: emitScale,
  sum_to: emitSumTo,
  concat: emitConcat,
  slice: emitSlice,
  reshape: emitCopy,
  copy: emitCopy,
  softmax: emitSoftmax,
  log_softmax: emitSoftmax,
  softmax_grad: emitSoftmaxGrad,
  log_softmax_grad: emitSoftmaxGrad,
  dropout: emitDropout,
  dropout_grad: emitDropoutGrad,
  layernorm: emitLayernorm,
  layernorm_grad: emitLayernormGrad,
  batchnorm: emitBatchnorm,
  batchnorm_grad: emitBatchnormGrad,
  embedding: emitEmbedding,
  embedding_grad: emitEmbeddingGrad,
  l1_l2_penalty: emitPenalty,
  l1_l2_grad: emitPenaltyGrad,
  conv2d: emitConv,
  conv1d: emitConv,
  conv2d_grad_input: emitConvGradInput,
  conv1d_grad_input: emitConvGradInput,
  conv2d_grad_weight: emitConvGradWeight,
  conv1d_grad_weight: emitConvGradWeight,
  maxpool2d: emitPool,
  avgpool2d: emitPool,
  maxpool2d_grad: emitPoolGrad,
  avgpool2d_grad: emitPoolGrad,
  global_avg_pool: emitGlobalPool,
  global_max_pool: emitGlobalPool,
  global_avg_pool_grad: emitGlobalPoolGrad,
  global_max_pool_grad: emitGlobalPoolGrad,
  positional_encoding: emitPositionalEncoding,
  attention: emitAttention,
  attention_grad: emitAttentionGrad,
  rnn_scan: emitScan,
  lstm_scan: emitScan,
  gru_scan: emitScan,
  rnn_scan_grad: emitScanGrad,
  lstm_scan_grad: emitScanGrad,
  gru_scan_grad: emitScanGrad,
  ...Object.fromEntries(ACTIVATIONS.map((a) => [a, emitActivation])),
  ...Object.fromEntries(ACTIVATIONS.map((a) => [`${a}_grad`, emitActivationGrad])),
  ...Object.fromEntries(LOSS_KERNELS.map((l) => [l, emitLoss])),
  ...Object.fromEntries(UPDATE_KERNELS.map((u) => [u, emitUpdate])),
};

export function hasWebGpuKernel(base: string): boolean {
  return Object.prototype.hasOwnProperty.call(TEMPLATES, base);
}
