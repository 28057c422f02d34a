import { ACTIVATIONS } from './activations.js';
import type { KernelSource, StepShapes } from './program.js';
import { emitActivation, emitActivationGrad, emitBiasAdd, emitBinary, emitCopy, emitScale } from './templates/elementwise.js';
import { emitLoss, emitPenalty, LOSS_KERNELS } from './templates/losses.js';
import { emitMatmul } from './templates/matmul.js';
import { emitDropout, emitDropoutGrad, emitEmbedding, emitEmbeddingGrad, emitPenaltyGrad } from './templates/misc.js';
import { emitBatchnorm, emitBatchnormGrad, emitLayernorm, emitLayernormGrad } from './templates/normalization.js';
import { emitUpdate, UPDATE_KERNELS } from './templates/optimizers.js';
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
  ...Object.fromEntries(ACTIVATIONS.map((a) => [a, emitActivation])),
  ...Object.fromEntries(ACTIVATIONS.map((a) => [`${a}_grad`, emitActivationGrad])),
  ...Object.fromEntries(LOSS_KERNELS.map((l) => [l, emitLoss])),
  ...Object.fromEntries(UPDATE_KERNELS.map((u) => [u, emitUpdate])),
};

export function hasWebGpuKernel(base: string): boolean {
  return Object.prototype.hasOwnProperty.call(TEMPLATES, base);
}
