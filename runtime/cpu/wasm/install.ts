import { installGemm, installGemmWithEpilogue } from '../kernels/matmul.js';
import { registerActivationRange, registerCpuEpilogueKernel, registerCpuKernel } from '../kernel-registry.js';
import { activationRangeSimd, activationSimdKernels } from './activation-simd.js';
import { attentionGradSimd, attentionSimd } from './attention-simd.js';
import { elementwiseSimdKernels } from './elementwise-simd.js';
import { convGradInputSimd, convGradWeightSimd, convSimd } from './conv-simd.js';
import { groupnormGradSimd, groupnormSimd } from './groupnorm-simd.js';
import { upsampleGradSimd, upsampleSimd } from './upsample-simd.js';
import { groupedConvGradInputSimd, groupedConvGradWeightSimd, groupedConvSimd } from './grouped-simd.js';
import { gemmSimdOrJs, gemmWithEpilogueSimd, matmulSimd } from './matmul-simd.js';
import { batchnormGradSimd, batchnormSimd, sumToSimd } from './norm-simd.js';
import { layernormGradSimd, layernormSimd } from './layernorm-simd.js';
import { dropoutSimd } from './dropout-simd.js';
import { embeddingGradSimd } from './embedding-simd.js';
import { avgpoolGradSimd, avgpoolSimd, globalAvgPoolGradSimd, globalAvgPoolSimd, maxpoolGradSimd, maxpoolSimd } from './pool-simd.js';
import { recurrentScanSimd, sigmoidSimd, tanhSimd } from './recurrent-simd.js';
import { recurrentGradSimd } from './recurrent-grad-simd.js';
import { softmaxSimdKernels } from './softmax-simd.js';
import { lossSimdKernels } from './loss-simd.js';
import { concatSimd, sliceSimd } from './concat-simd.js';
import { kernelHeap, type KernelHeap } from './kernel-memory.js';
import { sgemmModule } from './sgemm-simd.js';

let heap: KernelHeap | null = null;

/**
 * Where executors place their activations, gradients and inputs: the heap of the memory the GEMM
 * and the kernels that share it compute in (kernel-memory.ts), so those kernels use the tensors in
 * place. Null when the SIMD kernels are not installed, or their memory is not shared (growing an
 * ordinary memory would detach the tensors' views).
 */
export function tensorHeap(): KernelHeap | null {
  return heap;
}

/**
 * Replaces the JS matmul, and the GEMM that convolutions and recurrent layers call, with the
 * WebAssembly SIMD ones when the host supports it (Node 16.4+, every
 * current browser). NNET_CPU_SIMD=0 in the environment keeps the JS kernels (for comparisons and for
 * ruling the WASM kernel out when chasing a numerical difference). Executors resolve their kernels
 * when they are built, so this runs when runtime/cpu is first imported.
 */
export function installSimdKernels(): boolean {
  const env = typeof process === 'object' ? process.env : {};
  const gemm = env.NNET_CPU_SIMD === '0' ? null : sgemmModule();
  if (!gemm) return false;
  heap = gemm.threaded.shared ? kernelHeap(gemm.memory) : null;
  registerCpuEpilogueKernel('matmul', matmulSimd);
  registerCpuEpilogueKernel('conv2d', convSimd);
  registerCpuEpilogueKernel('conv1d', convSimd);
  registerCpuKernel('conv2d_grad_input', convGradInputSimd);
  registerCpuKernel('conv1d_grad_input', convGradInputSimd);
  // A transposed convolution is a convolution's input gradient run forward (plan/kernels.ts).
  registerCpuKernel('conv2d_transpose', convGradInputSimd);
  registerCpuKernel('conv1d_transpose', convGradInputSimd);
  registerCpuKernel('conv2d_grad_weight', convGradWeightSimd);
  registerCpuKernel('conv1d_grad_weight', convGradWeightSimd);
  // Depthwise in SIMD over channels, other groupings one GEMM per group (grouped-simd.ts).
  registerCpuEpilogueKernel('grouped_conv2d', groupedConvSimd);
  registerCpuKernel('grouped_conv2d_grad_input', groupedConvGradInputSimd);
  registerCpuKernel('grouped_conv2d_grad_weight', groupedConvGradWeightSimd);
  registerCpuKernel('upsample2d', upsampleSimd);
  registerCpuKernel('upsample2d_grad', upsampleGradSimd);
  registerCpuKernel('groupnorm', groupnormSimd);
  registerCpuKernel('groupnorm_grad', groupnormGradSimd);
  registerCpuKernel('maxpool2d', maxpoolSimd);
  registerCpuKernel('maxpool2d_grad', maxpoolGradSimd);
  registerCpuKernel('avgpool2d', avgpoolSimd);
  registerCpuKernel('avgpool2d_grad', avgpoolGradSimd);
  registerCpuKernel('global_avg_pool', globalAvgPoolSimd);
  registerCpuKernel('global_avg_pool_grad', globalAvgPoolGradSimd);
  registerCpuKernel('batchnorm', batchnormSimd);
  registerCpuKernel('batchnorm_grad', batchnormGradSimd);
  registerCpuKernel('sum_to', sumToSimd);
  registerCpuKernel('concat', concatSimd);
  registerCpuKernel('slice', sliceSimd);
  registerCpuKernel('layernorm', layernormSimd);
  registerCpuKernel('layernorm_grad', layernormGradSimd);
  registerCpuKernel('dropout', dropoutSimd);
  registerCpuKernel('embedding_grad', embeddingGradSimd);
  registerCpuKernel('attention', attentionSimd);
  registerCpuKernel('masked_attention', attentionSimd);
  registerCpuKernel('attention_grad', attentionGradSimd);
  for (const [name, kernel] of Object.entries(recurrentScanSimd)) registerCpuKernel(name, kernel);
  for (const [name, kernel] of Object.entries(recurrentGradSimd)) registerCpuKernel(name, kernel);
  for (const [name, kernel] of Object.entries(elementwiseSimdKernels)) registerCpuKernel(name, kernel);
  for (const [name, kernel] of Object.entries(softmaxSimdKernels)) registerCpuKernel(name, kernel);
  for (const [name, kernel] of Object.entries(activationSimdKernels)) registerCpuKernel(name, kernel);
  for (const [name, kernel] of Object.entries(lossSimdKernels)) registerCpuKernel(name, kernel);
  for (const name of ['gelu', 'silu', 'softplus', 'sigmoid', 'tanh'] as const) registerActivationRange(name, (attrs) => activationRangeSimd(name, attrs));
  registerCpuKernel('sigmoid', sigmoidSimd);
  registerCpuKernel('tanh', tanhSimd);
  installGemm(gemmSimdOrJs);
  installGemmWithEpilogue(gemmWithEpilogueSimd);
  return true;
}
