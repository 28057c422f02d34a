import { compileModel } from '../../../compiler/compile.js';
import { checkSource } from '../../../compiler/index.js';
import type { Plan } from '../../../runtime/plan/format.js';
import type { HostTensor } from '../../../runtime/tensor.js';
import { registerCpuKernel, resolveCpuKernel, type CpuKernel } from '../../../runtime/cpu/index.js';

/**
 * A small model every verify target supports (dense, add, softmax: ONNX export covers them), and a
 * deliberately wrong CPU kernel to inject: the layer whose step runs it is where verify must point.
 */
export const PROBE = `model Probe {
  input x: [batch, 4]
  h = dense(x, 6, tanh)
  s = add(h, dense(h, 6))
  y = dense(s, 3)
  output probs = softmax(y)
}
`;

export function compileProbe(): { plan: Plan; weights: Map<string, HostTensor> } {
  const check = checkSource(PROBE, { path: 'probe.nnet' });
  const result = compileModel(check, 'Probe', { target: 'cpu', fuse: true, training: false, text: PROBE, seed: 3 });
  const plan = result.plan!;
  const weights = new Map<string, HostTensor>();
  for (const [name, data] of result.weights) weights.set(name, { shape: plan.tensors.find((t) => t.name === name)!.shape as number[], dtype: 'f32', data });
  return { plan, weights };
}

/**
 * Runs `body` with the CPU's `add` kernel off by `error` in one element (the third), then puts the
 * right kernel back. Executors resolve their kernels when made: make them inside `body`.
 */
export async function withWrongAdd<T>(error: number, body: () => Promise<T>): Promise<T> {
  const right = resolveCpuKernel('add');
  const wrong: CpuKernel = (ctx, inputs, outputs, attrs) => {
    right(ctx, inputs, outputs, attrs);
    outputs[0]!.data[2]! += error;
  };
  registerCpuKernel('add', wrong);
  try {
    return await body();
  } finally {
    registerCpuKernel('add', right);
  }
}
