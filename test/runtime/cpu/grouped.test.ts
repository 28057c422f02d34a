import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveCpuKernel } from '../../../runtime/cpu/kernel-registry.js';
import { size } from './float-data.js';

/**
 * Grouped (and depthwise) convolution and group normalisation on the CPU against PyTorch 1.13
 * (float64; fixtures/grouped-torch.py wrote the outputs for the same inputs): conv2d with `groups`
 * on NCHW-permuted tensors, TensorFlow's 'same' padding as an explicit pad after, F.group_norm.
 * Tolerance 1e-5. And grouped_conv2d with one group against the im2col conv2d kernel.
 */
const oracle = JSON.parse(readFileSync(new URL('./fixtures/grouped-torch.json', import.meta.url), 'utf8')) as Record<string, number[]>;
const ctx = { training: true, lr: 0, step: 0, seed: 0 };
const seq = (n: number, f: (i: number) => number): Float32Array => Float32Array.from({ length: n }, (_, i) => f(i));

function run(kernel: string, inputs: Array<{ shape: number[]; data: Float32Array }>, outs: number[][], attrs: Record<string, string | number | number[]>): number[][] {
  const outputs = outs.map((shape) => ({ shape, data: new Float32Array(size(shape)) }));
  resolveCpuKernel(kernel)(ctx, inputs, outputs, attrs);
  return outputs.map((o) => [...o.data]);
}

function expectClose(actual: number[], expected: number[] | undefined, tolerance = 1e-5): void {
  expect(actual.length).toBe(expected!.length);
  actual.forEach((v, i) => expect(Math.abs(v - expected![i]!), `element ${i}`).toBeLessThan(tolerance));
}

describe('cpu grouped convolution and group norm (PyTorch oracle)', () => {
  it('depthwise, multiplier 2, same, stride 2: [1,5,6,3] → [1,3,3,6]', () => {
    const x = { shape: [1, 5, 6, 3], data: seq(90, (i) => Math.sin(0.37 * i)) };
    const w = { shape: [6, 3, 3, 1], data: seq(54, (i) => Math.cos(0.21 * i)) };
    const [y] = run('grouped_conv2d', [x, w], [[1, 3, 3, 6]], { strides: [2, 2], padding: 'same', dilation: [1, 1], groups: 3 });
    expectClose(y!, oracle.depthwise_same_s2);
  });

  it('two groups, valid, dilation [2, 1]: [1,7,6,4] → [1,3,5,6]', () => {
    const x = { shape: [1, 7, 6, 4], data: seq(168, (i) => Math.sin(0.11 * i + 0.3)) };
    const w = { shape: [6, 3, 2, 2], data: seq(72, (i) => Math.cos(0.4 * i)) };
    const [y] = run('grouped_conv2d', [x, w], [[1, 3, 5, 6]], { strides: [1, 1], padding: 'valid', dilation: [2, 1], groups: 2 });
    expectClose(y!, oracle.groups2_dilated);
  });

  it('one group is conv2d (the im2col kernel), forward and both gradients', () => {
    const attrs = { strides: [2, 1], padding: 'same', dilation: [1, 1], groups: 1 };
    const x = { shape: [2, 5, 4, 3], data: seq(120, (i) => Math.sin(0.7 * i)) };
    const w = { shape: [4, 3, 2, 3], data: seq(72, (i) => Math.cos(0.3 * i)) };
    const dy = { shape: [2, 3, 4, 4], data: seq(96, (i) => Math.sin(0.2 * i + 1)) };
    expectClose(run('grouped_conv2d', [x, w], [[2, 3, 4, 4]], attrs)[0]!, run('conv2d', [x, w], [[2, 3, 4, 4]], attrs)[0]!, 1e-4);
    const gradAttrs = { ...attrs, shape: [2, 5, 4, 3] };
    expectClose(run('grouped_conv2d_grad_input', [dy, w], [[2, 5, 4, 3]], gradAttrs)[0]!, run('conv2d_grad_input', [dy, w], [[2, 5, 4, 3]], gradAttrs)[0]!, 1e-4);
    const weightAttrs = { ...attrs, shape: [4, 3, 2, 3] };
    expectClose(run('grouped_conv2d_grad_weight', [dy, x], [[4, 3, 2, 3]], weightAttrs)[0]!, run('conv2d_grad_weight', [dy, x], [[4, 3, 2, 3]], weightAttrs)[0]!, 1e-4);
  });

  it('groupnorm, 3 groups over [2,3,2,6], per-channel gamma and beta', () => {
    const x = { shape: [2, 3, 2, 6], data: seq(72, (i) => Math.sin(0.53 * i) * (1 + (i % 5))) };
    const gamma = { shape: [6], data: seq(6, (i) => 1 + 0.1 * i) };
    const beta = { shape: [6], data: seq(6, (i) => 0.05 * i - 0.1) };
    const [y] = run('groupnorm', [x, gamma, beta], [[2, 3, 2, 6], [2, 3], [2, 3]], { groups: 3, epsilon: 1e-3 });
    expectClose(y!, oracle.groupnorm);
  });
});
