import { describe, it } from 'vitest';
import { testDevice } from './gpu.js';
import { expectBackEndsAgree } from './whole-model.js';

/**
 * Tensor arithmetic, reductions, indexing, the axis ops and split of issue 10 in whole models, CPU against
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
  'split: a VAE head cut in two, sized parts of a middle axis with one discarded, a gating block': `block gate(x) {
  a, b = split(x, 2)
  return a * sigmoid(b)
}
model Split {
  input s: [batch, seq, 4]
  input eps: [batch, seq, 2]
  input t: [batch, 3]
  mu, logvar = s |> dense(8, tanh) |> dense(4) |> split(2)
  z = mu + exp(0.5 * logvar) * eps
  first, _, rest = z |> dense(6) |> transpose |> split([1, 2, 3], axis: 1)
  g = gate(dense(mean(z, axis: 1), 4))
  output y = concat(mean(first, axis: 2), mean(rest, axis: 2), g) |> dense(3)
  train { loss mse(y, t)  optimizer adam(lr: 0.02) }
}
`,
};

describe.skipIf(!gpu)('issue 10 expressions: CPU and WebGPU agree on whole models', () => {
  for (const [name, text] of Object.entries(MODELS)) {
    it(name, async () => {
      await expectBackEndsAgree(text, gpu!.device);
    });
  }
});
