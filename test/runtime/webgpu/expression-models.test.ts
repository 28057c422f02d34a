import { describe, expect, it } from 'vitest';
import { compileModel } from '../../../compiler/compile.js';
import { checkSource } from '../../../compiler/index.js';
import { createCpuExecutor } from '../../../runtime/cpu/index.js';
import { mulberry32 } from '../../../runtime/plan/random.js';
import type { Plan } from '../../../runtime/plan/format.js';
import { f32, type HostTensor } from '../../../runtime/tensor.js';
import { createWebGpuExecutor } from '../../../runtime/webgpu/index.js';
import { testDevice } from './gpu.js';

/**
 * Tensor arithmetic, reductions, indexing and the axis ops of issue 10 in whole models, CPU against
 * WebGPU (lavapipe here): the same outputs and loss, and after one Adam step the same weights, within
 * 1e-4. Symbolic lengths are bound to 5, the batch to 3.
 */
const gpu = await testDevice();

const MODELS: Record<string, string> = {
  'an encoder with a reparameterised sample and a KL term out of arithmetic and reductions': `model Vae {
  input x: [batch, 6]
  input eps: [batch, 2]
  input t: [batch, 6]
  stats = x |> dense(8, tanh) |> dense(4)
  mu = stats[:, :2]
  logvar = stats[:, 2:]
  z = mu + exp(0.5 * logvar) * eps
  kl = mean(sum(-0.5 * (1 + logvar - square(mu) - exp(logvar)), axis: -1, keepdims: true))
  h = dense(z, 6) / (1 + abs(z[:, 0:1])) - sqrt(square(x) + 1) * kl
  output y = clip(h, min: -3, max: 3) + pow(sigmoid(h), 2) + log(1 + max(x, axis: 1, keepdims: true)) - min(x)
  train { loss mse(y, t)  optimizer adam(lr: 0.01) }
}
`,
  'a sequence head: first and last tokens, reversed and strided slices, transposes, stack and pads': `model Head {
  input s: [batch, seq, 4]
  input t: [batch, 3]
  h = dense(s, 6, tanh)
  first = h[:, 0]
  last = h[:, -1]
  pair = stack(first, last, axis: 1)
  flipped = transpose(pair)[:, ::-1, :]
  padded = pad(flipped, [1, 0], after: [1, 1], mode: reflect) + pad(flipped, [1, 1], after: [1, 0])
  pooled = mean(h[:, 1:], axis: 1) - sum(padded, axis: 2)[:, 1:7]
  output y = pooled |> dense(3)
  train { loss mse(y, t)  optimizer adam(lr: 0.02) }
}
`,
};

function feedsFor(plan: Plan, names: string[], seed: number): Record<string, HostTensor> {
  const random = mulberry32(seed);
  const feeds: Record<string, HostTensor> = {};
  for (const name of names) {
    const t = plan.tensors.find((x) => x.name === name)!;
    const shape = t.shape.map((d) => (typeof d === 'number' ? d : d === 'batch' ? 3 : 5));
    feeds[name] = f32(shape, Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random()));
  }
  return feeds;
}

function maxAbsDiff(a: HostTensor, b: HostTensor): number {
  let worst = a.data.length === b.data.length ? 0 : Infinity;
  for (let i = 0; i < a.data.length; i++) worst = Math.max(worst, Math.abs(a.data[i]! - b.data[i]!));
  return worst;
}

describe.skipIf(!gpu)('issue 10 expressions: CPU and WebGPU agree on whole models', () => {
  for (const [name, text] of Object.entries(MODELS)) {
    it(name, async () => {
      const check = checkSource(text, { path: 'model.nnet' });
      expect(check.diagnostics).toEqual([]);
      const model = check.models[0]!.name;
      const { plan: cpuPlan, weights } = compileModel(check, model, { target: 'cpu', fuse: true, training: true });
      const { plan: gpuPlan } = compileModel(check, model, { target: 'webgpu', fuse: true, training: true });
      const cpu = createCpuExecutor(cpuPlan!, weights);
      const webgpu = await createWebGpuExecutor(gpuPlan!, weights, { device: gpu!.device });
      const inputs = feedsFor(cpuPlan!, cpuPlan!.inputs, 7);
      const expected = await cpu.infer(inputs);
      const actual = await webgpu.infer(inputs);
      for (const [output, want] of Object.entries(expected)) {
        expect(actual[output]!.shape, output).toEqual(want.shape);
        expect(maxAbsDiff(actual[output]!, want), `${output}: max abs diff`).toBeLessThanOrEqual(1e-4);
      }
      const all = { ...inputs, ...feedsFor(cpuPlan!, cpuPlan!.labels, 8) };
      const cpuStep = await cpu.trainStep(all, { lr: 0.01, seed: 1 });
      const gpuStep = await webgpu.trainStep(all, { lr: 0.01, seed: 1 });
      expect(Math.abs(gpuStep.loss - cpuStep.loss)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(cpuStep.loss)));
      const [cpuWeights, gpuWeights] = [await cpu.getWeights(), await webgpu.getWeights()];
      for (const [weight, want] of cpuWeights) expect(maxAbsDiff(gpuWeights.get(weight)!, want), weight).toBeLessThanOrEqual(1e-4);
      webgpu.dispose();
    });
  }
});
