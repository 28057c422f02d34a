import { describe, expect, it } from 'vitest';
import { compileModel } from '../../../compiler/compile.js';
import { checkSource } from '../../../compiler/index.js';
import { CpuExecutor } from '../../../runtime/cpu/index.js';

/**
 * depthwise_conv2d, separable_conv2d, conv2d with groups and groupnorm through the front end: Keras'
 * parameter counts (the Keras formulas, and MobileNet v1's first block as its summary reads), the
 * located errors, the plan's kernels, and a model that trains on the CPU.
 */
const check = (text: string) => checkSource(text, { path: 'test.nnet' });

describe('depthwise, separable and grouped convolutions, group norm', () => {
  it("match Keras' parameter counts and shapes", () => {
    const result = check(`model M {
  input x: [batch, 32, 32, 16]
  a = x |> depthwise_conv2d(3, depth_multiplier: 2)
  b = x |> separable_conv2d(64, 3, padding: same)
  c = x |> conv2d(64, 3, groups: 4)
  d = c |> groupnorm(8)
  e = x |> separable_conv2d(8, [3, 5], stride: 2, depth_multiplier: 3, bias: false)
  output y = concat(flatten(a), flatten(b), flatten(d), flatten(e))
}
`);
    expect(result.diagnostics).toEqual([]);
    const row = (layer: string) => result.models[0]!.summary.find((r) => r.layer === layer)!;
    // Keras DepthwiseConv2D(3, depth_multiplier=2) on (32, 32, 16): (30, 30, 32), 3·3·16·2 + 32 = 320.
    expect([row('a').outputShape, row('a').params]).toEqual([['batch', 30, 30, 32], 320]);
    // Keras SeparableConv2D(64, 3, padding='same') on (32, 32, 16): 3·3·16 + 16·64 + 64 = 1,232.
    expect([row('b').outputShape, row('b').params]).toEqual([['batch', 32, 32, 64], 1_232]);
    // Keras Conv2D(64, 3, groups=4) on (32, 32, 16): 3·3·4·64 + 64 = 2,368.
    expect([row('c').outputShape, row('c').params]).toEqual([['batch', 30, 30, 64], 2_368]);
    // Keras GroupNormalization(groups=8) on 64 channels: gamma and beta, 128.
    expect([row('d').outputShape, row('d').params]).toEqual([['batch', 30, 30, 64], 128]);
    // SeparableConv2D(8, (3, 5), strides=2, depth_multiplier=3, use_bias=False): 3·5·16·3 + 48·8 = 1,104.
    expect([row('e').outputShape, row('e').params]).toEqual([['batch', 15, 14, 8], 1_104]);
  });

  it("MobileNet v1's stem and first depthwise block: Keras' summary 864 + 128 + 288 + 128 + 2,048 + 256", () => {
    const result = check(`model MobileNetStem {
  input image: [batch, 224, 224, 3]
  s = image |> conv2d(32, 3, stride: 2, padding: same, bias: false) |> batchnorm |> relu
  d = s |> depthwise_conv2d(3, padding: same, bias: false) |> batchnorm |> relu
  output p = d |> conv2d(64, 1, bias: false) |> batchnorm |> relu
}
`);
    expect(result.diagnostics).toEqual([]);
    const params = result.models[0]!.summary.filter((r) => r.params > 0).map((r) => r.params);
    expect(params).toEqual([864, 128, 288, 128, 2_048, 256]);
    expect(result.models[0]!.summary.at(-1)!.outputShape).toEqual(['batch', 112, 112, 64]);
  });

  it('reports channels that do not divide into the groups, with the counts that do', () => {
    const text = 'model M {\n  input x: [batch, 8, 8, 12]\n  a = x |> groupnorm(5)\n  output b = a |> conv2d(6, 3, groups: 4)\n}\n';
    const messages = check(text).diagnostics.map((d) => [d.code, d.message, text.slice(d.range.start, d.range.end)]);
    expect(messages).toEqual([
      ['NN2003', 'groupnorm expects channels that divide into 5 groups (12 channels divide into 1, 2, 3, 4, 6, 12), got [batch, 8, 8, 12]', 'groupnorm(5)'],
    ]);
    const conv = check('model M {\n  input x: [batch, 8, 8, 12]\n  output b = x |> conv2d(6, 3, groups: 4)\n}\n').diagnostics;
    expect(conv.map((d) => d.message)).toEqual(['conv2d expects input channels and filters that divide into 4 groups, got 12 channels and 6 filters']);
    const image = check('model M {\n  input x: [batch, 8, 8]\n  output b = x |> depthwise_conv2d(3)\n}\n').diagnostics;
    expect(image.map((d) => [d.message, d.fix?.edits[0]?.newText])).toEqual([['depthwise_conv2d expects [batch, height, width, channels], got [batch, 8, 8]', 'reshape([8, 8, 1]) |> ']]);
  });

  const SMALL = `model Small {
  input x: [batch, 6, 6, 4]
  input t: [batch, 3]
  h = x |> depthwise_conv2d(3, depth_multiplier: 2, activation: relu) |> groupnorm(4)
  h2 = h |> separable_conv2d(6, 3, padding: same, activation: tanh) |> conv2d(6, 1, groups: 3)
  output y = h2 |> global_avgpool |> dense(3)
  train { loss mse(y, t)  optimizer adam(lr: 0.02) }
}
`;

  it('lowers to grouped_conv2d (fused with its bias and activation) and groupnorm', () => {
    const { plan } = compileModel(check(SMALL), 'Small', { target: 'cpu', fuse: true, training: true });
    const kernels = plan!.forward.map((s) => s.kernel);
    expect(kernels).toContain('grouped_conv2d+bias+relu');
    expect(kernels).toContain('groupnorm');
    expect(kernels.filter((k) => k.startsWith('grouped_conv2d'))).toHaveLength(3);
    const backward = plan!.backward.map((s) => s.kernel);
    expect(backward).toEqual(expect.arrayContaining(['grouped_conv2d_grad_input', 'grouped_conv2d_grad_weight', 'groupnorm_grad']));
  });

  it('trains on the CPU: 30 Adam steps lower the loss of a fixed batch by more than 5%', async () => {
    const { plan, weights } = compileModel(check(SMALL), 'Small', { target: 'cpu', fuse: true, training: true });
    const executor = new CpuExecutor(plan!, weights);
    const x = { shape: [4, 6, 6, 4], dtype: 'f32' as const, data: Float32Array.from({ length: 576 }, (_, i) => Math.sin(i * 0.37)) };
    const t = { shape: [4, 3], dtype: 'f32' as const, data: Float32Array.from({ length: 12 }, (_, i) => Math.cos(i * 0.9)) };
    const losses: number[] = [];
    for (let step = 0; step < 30; step++) losses.push((await executor.trainStep({ x, t }, { lr: 0.02, seed: step })).loss);
    expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.95);
  });
});
