import { describe, expect, it } from 'vitest';
import { compileModel } from '../../../compiler/compile.js';
import { emitWebGpuPrograms } from '../../../compiler/emit/webgpu/index.js';
import { checkSource } from '../../../compiler/index.js';
import { CpuExecutor } from '../../../runtime/cpu/index.js';
import { validatePlan } from '../../../runtime/plan/validate.js';

/**
 * conv1d_transpose, conv2d_transpose, upsample1d and upsample2d through the front end: Keras' output
 * sizes and parameter counts, the located error with its fix, and a compiled model that runs and
 * trains (CPU) and emits WGSL over a symbolic length.
 */
const check = (text: string) => checkSource(text, { path: 'test.nnet' });

/**
 * The generator of TensorFlow's DCGAN tutorial (tensorflow.org/tutorials/generative/dcgan), whose
 * Keras summary reads: Dense 1,254,400; BatchNormalization 50,176; Conv2DTranspose (7,7,128) 819,200,
 * BatchNormalization 512; Conv2DTranspose (14,14,64) 204,800, BatchNormalization 256;
 * Conv2DTranspose (28,28,1) 1,600. Total 2,330,944, trainable 2,305,472.
 */
const DCGAN = `model Generator {
  input z: [batch, 100]
  output image = z |> dense(7 * 7 * 256, bias: false) |> batchnorm |> leaky_relu |> reshape([7, 7, 256])
    |> conv2d_transpose(128, 5, padding: same, bias: false) |> batchnorm |> leaky_relu
    |> conv2d_transpose(64, 5, stride: 2, padding: same, bias: false) |> batchnorm |> leaky_relu
    |> conv2d_transpose(1, 5, stride: 2, padding: same, bias: false, activation: tanh)
}
`;

describe('transposed convolution and upsampling layers', () => {
  it("TensorFlow's DCGAN generator: Keras' shapes and 2,330,944 parameters (2,305,472 trainable)", () => {
    const result = check(DCGAN);
    expect(result.diagnostics).toEqual([]);
    const [model] = result.models;
    const rows = model!.summary.filter((r) => r.op === 'conv2d_transpose').map((r) => [r.outputShape, r.params]);
    expect(rows).toEqual([[['batch', 7, 7, 128], 819_200], [['batch', 14, 14, 64], 204_800], [['batch', 28, 28, 1], 1_600]]);
    expect(model!.totalParams).toBe(2_330_944);
    expect(model!.trainableParams).toBe(2_305_472);
  });

  it("follows Keras' deconv_output_length: valid n·s + max(k − s, 0), same n·s; weight [in, k…, filters] + bias", () => {
    const result = check(`model M {
  input x: [batch, 7, 5, 4]
  input s: [batch, 10, 2]
  a = x |> conv2d_transpose(8, 3, stride: 2)
  b = x |> conv2d_transpose(8, [2, 3], stride: 3)
  c = x |> conv2d_transpose(8, 3, dilation: 2)
  d = s |> conv1d_transpose(4, 5, stride: 3)
  e = x |> upsample2d([2, 3], mode: bilinear)
  f = s |> upsample1d(4)
  output y = concat(flatten(a), flatten(b), flatten(c), flatten(d), flatten(e), flatten(f))
}
`);
    expect(result.diagnostics).toEqual([]);
    const row = (layer: string) => result.models[0]!.summary.find((r) => r.layer === layer)!;
    // Keras: Conv2DTranspose(8, 3, strides=2) on (7, 5, 4) → (15, 11, 8), 3·3·4·8 + 8 = 296 parameters.
    expect([row('a').outputShape, row('a').params]).toEqual([['batch', 15, 11, 8], 296]);
    // Kernel [2, 3] < stride 3 along the height: 7·3 = 21; width 5·3 + 0 = 15. 2·3·4·8 + 8 = 200.
    expect([row('b').outputShape, row('b').params]).toEqual([['batch', 21, 15, 8], 200]);
    // Dilation 2: span 5, stride 1 → n + 4.
    expect(row('c').outputShape).toEqual(['batch', 11, 9, 8]);
    // Keras: Conv1DTranspose(4, 5, strides=3) on (10, 2) → (32, 4), 5·2·4 + 4 = 44 parameters.
    expect([row('d').outputShape, row('d').params]).toEqual([['batch', 32, 4], 44]);
    expect([row('e').outputShape, row('e').params]).toEqual([['batch', 14, 15, 4], 0]);
    expect([row('f').outputShape, row('f').params]).toEqual([['batch', 40, 2], 0]);
  });

  it('reports a missing channel axis at the call, with the reshape that fixes it', () => {
    const text = 'model M {\n  input x: [batch, 28, 28]\n  output y = x |> conv2d_transpose(3, 3)\n}\n';
    const [diagnostic] = check(text).diagnostics;
    expect(diagnostic).toMatchObject({ code: 'NN2003', message: 'conv2d_transpose expects [batch, height, width, channels], got [batch, 28, 28]' });
    expect(text.slice(diagnostic!.range.start, diagnostic!.range.end)).toBe('conv2d_transpose(3, 3)');
    expect(diagnostic!.fix?.edits[0]?.newText).toBe('reshape([28, 28, 1]) |> ');
    const mode = check('model M {\n  input x: [batch, 4, 4, 1]\n  output y = upsample2d(x, mode: linear)\n}\n').diagnostics;
    expect(mode.map((d) => d.message)).toEqual(["argument 'mode' of upsample2d expects one of nearest, bilinear, got the activation linear"]);
  });

  const SEQUENCE = `model Up {
  input s: [batch, seq, 3]
  input t: [batch, 4]
  h = s |> conv1d_transpose(4, 3, stride: 2, activation: tanh) |> upsample1d(3, mode: linear)
  output y = h |> global_avgpool |> dense(4)
  train { loss mse(y, t)  optimizer adam(lr: 0.02) }
}
`;

  it('over a symbolic length: seq → seq·2 + 1 → (seq·2 + 1)·3, compiled for both back ends', () => {
    const result = check(SEQUENCE);
    expect(result.diagnostics).toEqual([]);
    expect(result.models[0]!.summary.find((r) => r.layer === 'h')!.outputShape).toEqual(['batch', '(seq*2+1)*3', 4]);
    const { plan } = compileModel(result, 'Up', { target: 'cpu', fuse: true, training: true });
    expect(() => validatePlan(plan!)).not.toThrow();
    expect(Object.keys(emitWebGpuPrograms(plan!).programs ?? {}).length).toBeGreaterThan(0);
  });

  it('trains on the CPU: 30 Adam steps lower the loss of a fixed batch by more than 5%', async () => {
    const { plan, weights } = compileModel(check(SEQUENCE), 'Up', { target: 'cpu', fuse: true, training: true });
    const executor = new CpuExecutor(plan!, weights);
    const [n, len] = [4, 5];
    const s = { shape: [n, len, 3], dtype: 'f32' as const, data: Float32Array.from({ length: n * len * 3 }, (_, i) => Math.sin(i * 0.37)) };
    const t = { shape: [n, 4], dtype: 'f32' as const, data: Float32Array.from({ length: n * 4 }, (_, i) => Math.cos(i * 0.9)) };
    const out = await executor.infer({ s });
    expect(out.y!.shape).toEqual([n, 4]);
    const losses: number[] = [];
    for (let step = 0; step < 30; step++) losses.push((await executor.trainStep({ s, t }, { lr: 0.02, seed: step })).loss);
    expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.95);
  });
});
