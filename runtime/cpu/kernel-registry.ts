import { isActivation, type ActivationName } from '../plan/activations.js';
import { isEpilogueElement, kernelSpec, parseKernelName, POOL_EPILOGUE, type EpilogueKernelName, type KernelName } from '../plan/kernels.js';
import type { Attrs, CpuKernel, CpuTensor, Epilogue, EpilogueKernel, KernelContext } from './kernel-interface.js';
import { activationKernels, activationRange, type RangeFn } from './kernels/activations.js';
import { attentionKernels } from './kernels/attention.js';
import { convKernels, convEpilogueKernels } from './kernels/conv.js';
import { elementwiseKernels } from './kernels/elementwise.js';
import { groupedConvEpilogueKernels, groupedConvKernels } from './kernels/grouped-conv.js';
import { groupnormKernels } from './kernels/groupnorm.js';
import { lossKernels } from './kernels/losses.js';
import { mathKernels } from './kernels/math.js';
import { matmul } from './kernels/matmul.js';
import { normalizationKernels } from './kernels/normalization.js';
import { randomKernels } from './kernels/random.js';
import { poolingKernels } from './kernels/pooling.js';
import { recurrentKernels } from './kernels/recurrent.js';
import { maskKernels } from './kernels/masks.js';
import { optimizerKernels } from './kernels/optimizers.js';
import { softmaxKernels } from './kernels/softmax.js';
import { stridedKernels } from './kernels/strided.js';
import { upsampleKernels } from './kernels/upsample.js';

/**
 * Name → CPU implementation, for every kernel of runtime/plan/kernels.ts: the two records below are
 * typed by the table's names, so a kernel without a CPU implementation is a type error.
 * Epilogue-capable kernels (matmul, conv) are registered separately and receive the fused
 * bias/activation tail. `registerCpuKernel` swaps one implementation (a WASM SIMD matmul, say)
 * without touching anything else.
 */
const PLAIN_KERNELS: Record<Exclude<KernelName, EpilogueKernelName>, CpuKernel> = {
  ...elementwiseKernels,
  ...mathKernels,
  ...stridedKernels,
  ...activationKernels,
  ...softmaxKernels,
  ...lossKernels,
  ...normalizationKernels,
  ...randomKernels,
  ...optimizerKernels,
  ...convKernels,
  ...poolingKernels,
  ...upsampleKernels,
  ...groupedConvKernels,
  ...groupnormKernels,
  ...recurrentKernels,
  ...maskKernels,
  ...attentionKernels,
};

const EPILOGUE_KERNELS: Record<EpilogueKernelName, EpilogueKernel> = { matmul, ...convEpilogueKernels, ...groupedConvEpilogueKernels };

const kernels = new Map<string, CpuKernel>(Object.entries(PLAIN_KERNELS));

const epilogueKernels = new Map<string, EpilogueKernel>(Object.entries(EPILOGUE_KERNELS));

export function registerCpuKernel(name: string, kernel: CpuKernel): void {
  if (!kernelSpec(name)) throw new Error(`'${name}' is not in the kernel table`);
  kernels.set(name, kernel);
}

/** A fused epilogue's activation range functions, by activation, where one replaces kernels/activations.ts's. */
const activationRanges = new Map<string, (attrs: Attrs) => RangeFn>();

/** Swaps the range function fused epilogues apply for `name` (a WASM SIMD pass, say). */
export function registerActivationRange(name: ActivationName, make: (attrs: Attrs) => RangeFn): void {
  activationRanges.set(name, make);
}

export function registerCpuEpilogueKernel(name: string, kernel: EpilogueKernel): void {
  if (!kernelSpec(name)?.epilogue) throw new Error(`'${name}' does not take epilogues`);
  epilogueKernels.set(name, kernel);
}

/** Whether `list` starts with the elements of `prefix`. */
function samePrefix(list: readonly CpuTensor[], prefix: readonly CpuTensor[]): boolean {
  for (let i = 0; i < prefix.length; i++) if (list[i] !== prefix[i]) return false;
  return true;
}

/** Names of table kernels that have no CPU implementation (should be empty). */
export function missingCpuKernels(names: readonly string[]): string[] {
  return names.filter((n) => !kernels.has(n) && !epilogueKernels.has(n));
}

/**
 * Resolves a step's kernel name (possibly fused) into a callable. Fused steps take the bias as the
 * input after the base kernel's inputs and may write the pre-activation as their second output; a
 * pooling epilogue's window (attrs.pool) reaches the kernel as `epilogue.pool`.
 */
export function resolveCpuKernel(kernel: string): CpuKernel {
  const { base, epilogue } = parseKernelName(kernel);
  const withEpilogue = epilogueKernels.get(base);
  if (withEpilogue) {
    const hasBias = epilogue.includes('bias');
    const pooled = epilogue.includes(POOL_EPILOGUE);
    for (const element of epilogue) if (!isEpilogueElement(element)) throw new Error(`'${element}' is not an epilogue element`);
    const activation = epilogue.find(isActivation);
    const baseArity = kernelSpec(base)!.inputs.length;
    // One epilogue object, base-input list and activation function per step, reused while the executor
    // passes the same argument lists (it does every step): a steady-state call allocates nothing.
    const epilogueOf: Epilogue = { bias: null, pre: null, activation: null, activationName: activation ?? null, pool: null };
    let lastInputs: CpuTensor[] | null = null;
    let baseInputs: CpuTensor[] = [];
    let lastAttrs: Attrs | null = null;
    return (ctx: KernelContext, inputs: CpuTensor[], outputs: CpuTensor[], attrs: Attrs) => {
      if (inputs !== lastInputs || !samePrefix(inputs, baseInputs)) {
        baseInputs = inputs.slice(0, baseArity);
        lastInputs = inputs;
      }
      if (attrs !== lastAttrs) {
        epilogueOf.activation = activation ? (activationRanges.get(activation)?.(attrs) ?? activationRange(activation, attrs)) : null;
        epilogueOf.pool = pooled ? (attrs.pool as number[]) : null;
        lastAttrs = attrs;
      }
      epilogueOf.bias = hasBias ? (inputs[baseArity]!.data as Float32Array) : null;
      epilogueOf.pre = outputs[1] ? (outputs[1].data as Float32Array) : null;
      withEpilogue(ctx, baseInputs, outputs, attrs, epilogueOf);
    };
  }
  if (epilogue.length > 0) throw new Error(`'${base}' takes no epilogue`);
  const plain = kernels.get(base);
  if (!plain) throw new Error(`no CPU kernel '${base}'`);
  return plain;
}
