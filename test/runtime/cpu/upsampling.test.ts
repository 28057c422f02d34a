import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveCpuKernel } from '../../../runtime/cpu/kernel-registry.js';

/**
 * Transposed convolutions and upsampling on the CPU against PyTorch 1.13 (float64), whose outputs
 * fixtures/upsampling-torch.py wrote for the same inputs: conv_transpose2d/1d with the weight
 * permuted from nnet's [in, k…, filters], the 'same' case as PyTorch's full output cropped to n·stride
 * from the start (TensorFlow's padding: the extra cell after), kernel 2 < stride 3 with output_padding
 * 1 (Keras' n·stride), and F.interpolate nearest / bilinear (align_corners=False). Tolerance 1e-5.
 */
const oracle = JSON.parse(readFileSync(new URL('./fixtures/upsampling-torch.json', import.meta.url), 'utf8')) as Record<string, number[]>;
const ctx = { training: false, lr: 0, step: 0, seed: 0 };
const seq = (n: number, f: (i: number) => number): Float32Array => Float32Array.from({ length: n }, (_, i) => f(i));

function run(kernel: string, inputs: Array<{ shape: number[]; data: Float32Array }>, out: number[], attrs: Record<string, string | number[]>): number[] {
  const y = new Float32Array(out.reduce((a, b) => a * b, 1));
  resolveCpuKernel(kernel)(ctx, inputs, [{ shape: out, data: y }], attrs);
  return [...y];
}

function expectClose(actual: number[], expected: number[] | undefined): void {
  expect(actual.length).toBe(expected!.length);
  actual.forEach((v, i) => expect(Math.abs(v - expected![i]!), `element ${i}`).toBeLessThan(1e-5));
}

describe('cpu transposed convolution and upsampling (PyTorch oracle)', () => {
  const x = { shape: [1, 3, 3, 2], data: seq(18, Math.sin) };
  const w = { shape: [2, 3, 3, 3], data: seq(54, (i) => Math.cos(0.3 * i)) };

  it('conv2d_transpose valid, stride 2: 3 → 3·2 + (3 − 2) = 7', () => {
    expectClose(run('conv2d_transpose', [x, w], [1, 7, 7, 3], { strides: [2, 2], padding: 'valid', dilation: [1, 1] }), oracle.t2_valid);
  });

  it('conv2d_transpose same, stride 2: 3 → 6', () => {
    expectClose(run('conv2d_transpose', [x, w], [1, 6, 6, 3], { strides: [2, 2], padding: 'same', dilation: [1, 1] }), oracle.t2_same);
  });

  it('conv2d_transpose valid, kernel 2 < stride 3: 3 → 9 (gaps of zeros)', () => {
    const w2 = new Float32Array(2 * 2 * 2 * 3);
    for (let i = 0; i < 2; i++) for (let ky = 0; ky < 2; ky++) for (let kx = 0; kx < 2; kx++) for (let f = 0; f < 3; f++) {
      w2[((i * 2 + ky) * 2 + kx) * 3 + f] = w.data[((i * 3 + ky) * 3 + kx) * 3 + f]!;
    }
    expectClose(run('conv2d_transpose', [x, { shape: [2, 2, 2, 3], data: w2 }], [1, 9, 9, 3], { strides: [3, 3], padding: 'valid', dilation: [1, 1] }), oracle.t2_k2s3);
  });

  it('conv1d_transpose valid, dilation 2: 4 → 4 + 2·2 = 8', () => {
    const x1 = { shape: [1, 4, 2], data: seq(8, (i) => Math.sin(0.7 * i)) };
    const w1 = { shape: [2, 3, 3], data: seq(18, (i) => Math.cos(0.5 * i)) };
    expectClose(run('conv1d_transpose', [x1, w1], [1, 8, 3], { strides: [1], padding: 'valid', dilation: [2] }), oracle.t1_dil2);
  });

  const image = { shape: [1, 3, 2, 2], data: seq(12, (i) => Math.sin(1.3 * i)) };
  for (const mode of ['nearest', 'bilinear']) {
    it(`upsample2d ${mode} by [2, 3]`, () => {
      expectClose(run('upsample2d', [image], [1, 6, 6, 2], { size: [2, 3], mode }), oracle[`up_${mode}`]);
    });
  }

  it("upsample2d_grad is the forward's adjoint: <up(x), g> = <x, up_grad(g)>", () => {
    for (const mode of ['nearest', 'bilinear']) {
      const g = seq(72, (i) => Math.cos(0.7 * i));
      const up = run('upsample2d', [image], [1, 6, 6, 2], { size: [2, 3], mode });
      const back = run('upsample2d_grad', [{ shape: [1, 6, 6, 2], data: g }], [1, 3, 2, 2], { shape: [1, 3, 2, 2], size: [2, 3], mode });
      const lhs = up.reduce((s, v, i) => s + v * g[i]!, 0);
      const rhs = back.reduce((s, v, i) => s + v * image.data[i]!, 0);
      expect(Math.abs(lhs - rhs)).toBeLessThan(1e-4);
    }
  });
});
