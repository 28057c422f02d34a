import { perActivation, perActivationGrad } from '../../../runtime/plan/activations.js';
import { emitRandom } from './templates/random.js';
import { perMaskedScan, perMaskedScanGrad, perScan, perScanGrad, type KernelName } from '../../../runtime/plan/kernels.js';
import type { KernelSource, StepShapes } from './program.js';
import { emitActivation, emitActivationGrad, emitBiasAdd, emitBinary, emitCopy, emitPositionalEncoding, emitScale } from './templates/elementwise.js';
import { emitLoss, emitPenalty } from './templates/losses.js';
import { emitReduce, emitReduceGrad, emitUnary, emitUnaryGrad } from './templates/math.js';
import { emitMatmul } from './templates/matmul.js';
import { emitPadReflect, emitPadReflectGrad, emitStridedRead, emitStridedWrite } from './templates/strided.js';
import { emitDropout, emitDropoutGrad, emitEmbedding, emitEmbeddingGrad, emitPenaltyGrad } from './templates/misc.js';
import { emitBatchnorm, emitBatchnormGrad, emitLayernorm, emitLayernormGrad } from './templates/normalization.js';
import { emitUpdate } from './templates/optimizers.js';
import { emitConv2d } from './templates/pooled-conv.js';
import { emitConv, emitConvGradInput, emitConvGradWeight, emitGlobalPool, emitGlobalPoolGrad, emitPool, emitPoolGrad } from './templates/spatial.js';
import { emitAttention, emitAttentionGrad, emitMaskedAttention } from './templates/attention.js';
import { emitUpsample, emitUpsampleGrad } from './templates/upsample.js';
import { emitGroupedConv, emitGroupedConvGradInput, emitGroupedConvGradWeight } from './templates/grouped-conv.js';
import { emitGroupnorm, emitGroupnormGrad } from './templates/groupnorm.js';
import { emitScan, emitScanGrad } from './templates/recurrent.js';
import { emitNonzero, emitReverseSequence } from './templates/sequence.js';
import { emitConcat, emitSlice, emitSoftmax, emitSoftmaxGrad, emitSumTo } from './templates/rows.js';

/**
 * Which WGSL template implements each base kernel of runtime/plan/kernels.ts. The table is typed by
 * the kernel names, so a kernel without a WGSL template is a type error.
 */
export type Template = (step: StepShapes) => KernelSource;

export const TEMPLATES: Record<KernelName, Template> = {
  matmul: emitMatmul,
  bias_add: emitBiasAdd,
  add: emitBinary,
  sub: emitBinary,
  mul: emitBinary,
  div: emitBinary,
  unary: emitUnary,
  unary_grad: emitUnaryGrad,
  reduce: emitReduce,
  reduce_grad: emitReduceGrad,
  scale: emitScale,
  sum_to: emitSumTo,
  concat: emitConcat,
  slice: emitSlice,
  reshape: emitCopy,
  strided_read: emitStridedRead,
  strided_write: emitStridedWrite,
  pad_reflect: emitPadReflect,
  pad_reflect_grad: emitPadReflectGrad,
  copy: emitCopy,
  softmax: emitSoftmax,
  log_softmax: emitSoftmax,
  softmax_grad: emitSoftmaxGrad,
  log_softmax_grad: emitSoftmaxGrad,
  dropout: emitDropout,
  random: emitRandom,
  dropout_grad: emitDropoutGrad,
  layernorm: emitLayernorm,
  layernorm_grad: emitLayernormGrad,
  batchnorm: emitBatchnorm,
  batchnorm_grad: emitBatchnormGrad,
  embedding: emitEmbedding,
  embedding_grad: emitEmbeddingGrad,
  l1_l2_penalty: emitPenalty,
  l1_l2_grad: emitPenaltyGrad,
  conv2d: emitConv2d,
  conv1d: emitConv,
  conv2d_grad_input: emitConvGradInput,
  conv1d_grad_input: emitConvGradInput,
  conv2d_grad_weight: emitConvGradWeight,
  conv1d_grad_weight: emitConvGradWeight,
  // A transposed convolution is the input gradient run forward (runtime/plan/kernels.ts).
  conv2d_transpose: emitConvGradInput,
  conv1d_transpose: emitConvGradInput,
  grouped_conv2d: emitGroupedConv,
  grouped_conv2d_grad_input: emitGroupedConvGradInput,
  grouped_conv2d_grad_weight: emitGroupedConvGradWeight,
  groupnorm: emitGroupnorm,
  groupnorm_grad: emitGroupnormGrad,
  upsample2d: emitUpsample,
  upsample2d_grad: emitUpsampleGrad,
  maxpool2d: emitPool,
  avgpool2d: emitPool,
  maxpool2d_grad: emitPoolGrad,
  avgpool2d_grad: emitPoolGrad,
  global_avg_pool: emitGlobalPool,
  global_max_pool: emitGlobalPool,
  global_avg_pool_grad: emitGlobalPoolGrad,
  global_max_pool_grad: emitGlobalPoolGrad,
  positional_encoding: emitPositionalEncoding,
  attention: (step) => emitAttention(step),
  masked_attention: emitMaskedAttention,
  attention_grad: emitAttentionGrad,
  ...perScan(() => emitScan),
  ...perScanGrad(() => emitScanGrad),
  ...perMaskedScan(() => emitScan),
  ...perMaskedScanGrad(() => emitScanGrad),
  reverse_sequence: emitReverseSequence,
  nonzero: emitNonzero,
  mse_loss: emitLoss,
  mae_loss: emitLoss,
  huber_loss: emitLoss,
  binary_cross_entropy_loss: emitLoss,
  sigmoid_binary_cross_entropy_loss: emitLoss,
  cross_entropy_loss: emitLoss,
  softmax_cross_entropy_loss: emitLoss,
  sparse_cross_entropy_loss: emitLoss,
  sparse_softmax_cross_entropy_loss: emitLoss,
  kl_divergence_loss: emitLoss,
  masked_cross_entropy_loss: emitLoss,
  masked_softmax_cross_entropy_loss: emitLoss,
  masked_sparse_cross_entropy_loss: emitLoss,
  masked_sparse_softmax_cross_entropy_loss: emitLoss,
  masked_mse_loss: emitLoss,
  masked_mae_loss: emitLoss,
  masked_huber_loss: emitLoss,
  masked_binary_cross_entropy_loss: emitLoss,
  masked_sigmoid_binary_cross_entropy_loss: emitLoss,
  masked_kl_divergence_loss: emitLoss,
  gd_update: emitUpdate,
  sgd_update: emitUpdate,
  adam_update: emitUpdate,
  adamw_update: emitUpdate,
  adagrad_update: emitUpdate,
  rmsprop_update: emitUpdate,
  ...perActivation(() => emitActivation),
  ...perActivationGrad(() => emitActivationGrad),
};

export function webGpuTemplate(base: string): Template | undefined {
  return Object.prototype.hasOwnProperty.call(TEMPLATES, base) ? TEMPLATES[base as KernelName] : undefined;
}
