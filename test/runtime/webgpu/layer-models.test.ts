import { describe, it } from 'vitest';
import { testDevice } from './gpu.js';
import { expectBackEndsAgree } from './whole-model.js';

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
  'masked tagger: the ids (0 = padding, anywhere) mask a bidirectional lstm, a pool and the loss': `model Tagger {
  input ids: [batch, seq] int
  input tags: [batch, seq] int
  e = embedding(ids, 7, 4, table: normal(0.0, 0.5))
  h = bidirectional(lstm(e, 5, return_sequences: true, mask: ids))
  output logits = dense(h, 7)
  output pooled = global_maxpool(h, mask: ids)
  train { loss cross_entropy(logits, tags, mask: ids)  optimizer adam(lr: 0.01) }
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
  'learned positions: position_embedding over a symbolic length, a first-token head by slicing': `model Positions {
  input ids: [batch, seq] int
  input label: [batch] int
  h = ids |> embedding(9, 4, table: normal(0.0, 0.5)) |> position_embedding(8, table: normal(0.0, 0.5)) |> layernorm
  output logits = concat(h[:, 0], mean(h |> dense(4, tanh), axis: 1)) |> dense(3)
  train { loss cross_entropy(logits, label)  optimizer adam(lr: 0.01) }
}
`,
};

describe.skipIf(!gpu)('issue 10 layers: CPU and WebGPU agree on whole models', () => {
  for (const [name, text] of Object.entries(MODELS)) {
    it(name, async () => {
      await expectBackEndsAgree(text, gpu!.device);
    });
  }
});
