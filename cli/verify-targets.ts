import { emitWebGpuPrograms, WebGpuEmitError } from '../compiler/emit/webgpu/index.js';
import type { Plan } from '../runtime/plan/format.js';
import type { HostTensor } from '../runtime/tensor.js';
import { onnxTracer } from '../runtime/verify/onnx-tracer.js';
import type { Tracer, VerifyTarget } from '../runtime/verify/verify.js';
import type { DeviceOptions } from '../runtime/webgpu/index.js';
import { CliError } from './cli-error.js';
import type { LoadedModel } from './model-loading.js';
import { pytorchTracer } from './verify-pytorch.js';

/**
 * The other side of `nnet verify`: a target that runs the model and hands back every layer's values it
 * can, named as in the plan. A target that cannot run here is refused with its code and what to do
 * (NNR6001 no WebGPU adapter, NNR7201 no onnxruntime-web, NNR7202 no python3 with torch, NNR7204 a
 * plan file for PyTorch; NNR70xx / NNR71xx a model the ONNX / PyTorch export cannot write).
 */
export interface OpenTarget {
  /** `WebGPU (llvmpipe ...)`, `ONNX (onnxruntime-web 1.30.0)`: for the report's first line. */
  name: string;
  trace: Tracer;
  dispose(): void;
}

export interface TargetOptions {
  /** The checked .nnet model: the PyTorch target exports it (a plan holds kernels, not layers). */
  source?: LoadedModel;
  device?: DeviceOptions;
}

export async function openTarget(against: VerifyTarget, plan: Plan, weights: Map<string, HostTensor>, options: TargetOptions = {}): Promise<OpenTarget> {
  if (against === 'onnx') {
    const { trace, runtime } = await onnxTracer(plan, weights);
    return { name: `ONNX (${runtime})`, trace, dispose: () => undefined };
  }
  if (against === 'pytorch') {
    if (!options.source) throw new CliError('NNR7204', '--against pytorch needs the .nnet file: the PyTorch export builds its modules from the layers, which a plan does not keep');
    const { trace, runtime } = await pytorchTracer(options.source, plan, weights);
    return { name: `PyTorch (${runtime})`, trace, dispose: () => undefined };
  }
  return openWebGpu(plan, weights, options.device ?? {});
}

async function openWebGpu(plan: Plan, weights: Map<string, HostTensor>, options: DeviceOptions): Promise<OpenTarget> {
  const { acquireDevice, createWebGpuExecutor, WebGpuError } = await import('../runtime/webgpu/index.js');
  const gpuPlan = plan.target === 'webgpu' ? plan : webGpuPlan(plan);
  let acquired;
  try {
    acquired = await acquireDevice(options);
  } catch (error) {
    if (!(error instanceof WebGpuError) || error.code !== 'NNR6001') throw error;
    const details = /\(([^)]*)\)$/.exec(error.message)?.[1];
    throw new CliError(
      'NNR6001',
      `--against webgpu needs a WebGPU adapter, and none was found${details ? ` (${details})` : ''}. Without a GPU, install the software ` +
        'Vulkan driver (Mesa lavapipe) with `sudo scripts/install-vulkan.sh`, or compare with ONNX: `--against onnx`.',
    );
  }
  const { device, description } = acquired;
  const executor = await createWebGpuExecutor(gpuPlan, weights, { device });
  return {
    name: `WebGPU (${description})`,
    trace: (i, n) => executor.inferTensors(i, n),
    dispose: () => {
      executor.dispose();
      device.destroy();
    },
  };
}

/** The same plan with a WGSL program per step (what `--target webgpu` compiles); NN5006 for a kernel WebGPU lacks. */
function webGpuPlan(plan: Plan): Plan {
  try {
    return emitWebGpuPrograms(plan);
  } catch (error) {
    if (error instanceof WebGpuEmitError) throw new CliError('NN5006', error.message);
    throw error;
  }
}
