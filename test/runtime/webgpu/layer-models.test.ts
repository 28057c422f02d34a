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
 * The layers of issue 10 in whole models, CPU against WebGPU (lavapipe here): the same compiled model
 * and weights give the same outputs, the same loss, and after one Adam step the same weights, within
 * 1e-4. Symbolic lengths are bound to 5, the batch to 3.
 */
const gpu = await testDevice();

const MODELS: Record<string, string> = {
  'decoder: conv2d_transpose valid and same, upsample2d bilinear and nearest': `model Decoder {
  input z: [batch, 3, 3, 2]
  input t: [batch, 12, 12, 1]
  h = z |> conv2d_transpose(4, 3, stride: 2, activation: relu) |> conv2d_transpose(3, 2, stride: 1, padding: same)
  u = h |> upsample2d(2, mode: bilinear) |> conv2d(2, 3, stride: 2) |> upsample2d([2, 1])
  output y = u |> conv2d_transpose(1, [1, 2], stride: [1, 2], activation: sigmoid)
  train { loss mse(y, t)  optimizer adam(lr: 0.01) }
}
`,
  'sequence: conv1d_transpose and upsample1d over a symbolic length': `model Up {
  input s: [batch, seq, 3]
  input t: [batch, 4]
  h = s |> conv1d_transpose(4, 3, stride: 2, activation: tanh) |> upsample1d(3, mode: linear) |> conv1d(4, 3, stride: 2, padding: same)
  output y = h |> global_avgpool |> dense(4)
  train { loss mse(y, t)  optimizer adam(lr: 0.02) }
}
`,
  'mobile block: depthwise, separable, grouped conv2d, groupnorm': `model Mobile {
  input x: [batch, 7, 6, 4]
  input t: [batch, 3]
  h = x |> depthwise_conv2d(3, depth_multiplier: 2, stride: 2, padding: same, activation: relu) |> groupnorm(4)
  h2 = h |> separable_conv2d(6, 3, padding: same, activation: tanh) |> conv2d(6, 1, groups: 3) |> groupnorm(2)
  output y = h2 |> global_avgpool |> dense(3)
  train { loss mse(y, t)  optimizer adam(lr: 0.01) }
}
`,
  'gru with reset_after over a symbolic length': `model Gru {
  input s: [batch, seq, 3]
  input t: [batch, 2]
  h = s |> gru(6, return_sequences: true, reset_after: true) |> gru(4, reset_after: true, recurrent_bias: normal(0.0, 0.5))
  output y = h |> dense(2)
  train { loss mse(y, t)  optimizer adam(lr: 0.01) }
}
`,
  'bidirectional lstm (concat) and gru (ave) over a symbolic length': `model Bi {
  input s: [batch, seq, 3]
  input t: [batch, 2]
  h = s |> lstm(5, return_sequences: true, bidirectional: concat) |> gru(4, reset_after: true, bidirectional: ave)
  output y = h |> dense(2)
  train { loss mse(y, t)  optimizer adam(lr: 0.01) }
}
`,
  'shared block: one set of weights at two uses (gradients summed)': `shared block enc(x) {
  h = dense(x, 6, tanh)
  return dense(h, 3)
}
model Shared {
  input x: [batch, 3]
  input t: [batch, 3]
  output y = x |> enc |> relu |> enc
  train { loss mse(y, t)  optimizer adam(lr: 0.01) }
}
`,
  'tied: an output projection reading the embedding table': `model Tied {
  input ids: [batch, seq] int
  input next: [batch, seq] int
  emb = embedding(ids, 7, 4, table: normal(0.0, 0.5))
  h = dense(emb, 4, tanh)
  output logits = dense(h, 7, weight: tied(emb))
  train { loss cross_entropy(logits, next)  optimizer adam(lr: 0.01) }
}
`,
};

function feedsFor(plan: Plan, names: string[], seed: number): Record<string, HostTensor> {
  const random = mulberry32(seed);
  const feeds: Record<string, HostTensor> = {};
  for (const name of names) {
    const t = plan.tensors.find((x) => x.name === name)!;
    const shape = t.shape.map((d) => (typeof d === 'number' ? d : d === 'batch' ? 3 : 5));
    const size = shape.reduce((a, b) => a * b, 1);
    // Integer inputs (token ids, class labels) below 4, inside every model's vocabulary here.
    feeds[name] = t.dtype === 'i32' ? { shape, dtype: 'i32', data: Int32Array.from({ length: size }, () => Math.floor(random() * 4)) } : f32(shape, Array.from({ length: size }, () => random()));
  }
  return feeds;
}

function maxAbsDiff(a: HostTensor, b: HostTensor): number {
  let worst = a.data.length === b.data.length ? 0 : Infinity;
  for (let i = 0; i < a.data.length; i++) worst = Math.max(worst, Math.abs(a.data[i]! - b.data[i]!));
  return worst;
}

describe.skipIf(!gpu)('issue 10 layers: CPU and WebGPU agree on whole models', () => {
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
