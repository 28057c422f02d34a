import { compileModel } from '../../../compiler/compile.js';
import { checkSource } from '../../../compiler/index.js';
import { createCpuExecutor } from '../../../runtime/cpu/index.js';
import type { Executor } from '../../../runtime/executor.js';
import type { Plan } from '../../../runtime/plan/format.js';
import type { HostTensor } from '../../../runtime/tensor.js';

/** Compiles a .nnet source for training and returns a fresh CPU executor over it. */
export function trainable(source: string, seed?: number): { plan: Plan; executor: Executor; weights: Map<string, HostTensor> } {
  const check = checkSource(source);
  const errors = check.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((d) => `${d.code} ${d.message}`).join('\n'));
  const model = check.models[check.models.length - 1]!;
  const result = compileModel(check, model.name, { target: 'cpu', fuse: true, training: true, text: source, ...(seed !== undefined ? { seed } : {}) });
  if (!result.plan) throw new Error(result.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  const plan = result.plan;
  const weights = new Map<string, HostTensor>();
  for (const [name, data] of result.weights) {
    const t = plan.tensors.find((x) => x.name === name)!;
    weights.set(name, { shape: t.shape as number[], dtype: t.dtype, data });
  }
  return { plan, executor: createCpuExecutor(plan, weights), weights };
}

export const XOR_SOURCE = `
model Xor {
  input x: [batch, 2]
  input label: [batch] int
  h = dense(x, 8, tanh)
  logits = dense(h, 2)
  output probs = softmax(logits)
  train {
    loss cross_entropy(logits, label)
    optimizer adam(lr: 0.05)
    epochs 60  batch 4
    metrics accuracy
    seed 1
    data xor
  }
}
`;

/** A GAN that must learn a 1-D Gaussian, N(2, 0.5²), from 4 numbers of noise (no data: tests feed it). */
export const TOY_GAN_SOURCE = `
model G {
  input z: [batch, 4]
  x = z |> dense(16, relu) |> dense(1)
  output x
}
model D {
  input x: [batch, 1]
  score = x |> dense(16, leaky_relu(0.2)) |> dense(1)
  output score
}
gan Toy {
  generator G
  discriminator D
  train {
    optimizer adam(lr: 2e-3, beta1: 0.5)
    epochs 30  batch 32
    seed 3
  }
}`;
