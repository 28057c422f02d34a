import { afterAll, describe, expect, it } from 'vitest';
import '../../../runtime/cpu/index.js';
import { resolveCpuKernel } from '../../../runtime/cpu/kernel-registry.js';
import { upsampleKernels } from '../../../runtime/cpu/kernels/upsample.js';
import { poolStats, threadsSupported } from '../../../runtime/cpu/threads/pool.js';
import { setCpuThreads } from '../../../runtime/cpu/threads/thread-count.js';
import { sgemmModule } from '../../../runtime/cpu/wasm/sgemm-simd.js';
import { upsampleGradSimd, upsampleSimd } from '../../../runtime/cpu/wasm/upsample-simd.js';
import { bits, warmPool } from './threads/warm-pool.js';
import { random } from './float-data.js';

/**
 * upsample2d and its gradient on WebAssembly SIMD (wasm/upsample-simd.ts: a weighted gather along the
 * rows, then one along the columns) against the JS kernels (kernels/upsample.ts, float64 products,
 * themselves checked against PyTorch in upsampling.test.ts): within 1e-6 of the magnitude, nearest
 * exactly. The gradient is the forward's adjoint: ⟨up(x), dy⟩ = ⟨x, up_grad(dy)⟩. 1 and 2 threads give
 * the same bits.
 */
const ctx = { training: true, lr: 0, step: 0, seed: 0 };

interface Case {
  x: number[];
  size: number[];
  mode: 'nearest' | 'bilinear';
}

const cases: Case[] = [
  { x: [2, 3, 4, 4], size: [2, 2], mode: 'nearest' },
  { x: [2, 3, 4, 8], size: [2, 2], mode: 'bilinear' },
  { x: [1, 5, 3, 12], size: [3, 1], mode: 'bilinear' },
  { x: [3, 1, 6, 4], size: [1, 4], mode: 'bilinear' },
  { x: [2, 4, 5, 4], size: [3, 2], mode: 'nearest' },
];

const outShape = (c: Case): number[] => [c.x[0]!, c.x[1]! * c.size[0]!, c.x[2]! * c.size[1]!, c.x[3]!];
const count = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

function forward(kernel: typeof upsampleSimd, c: Case, x: Float32Array): Float32Array {
  const y = new Float32Array(count(outShape(c))).fill(Number.NaN);
  kernel(ctx, [{ shape: c.x, data: x }], [{ shape: outShape(c), data: y }], { size: c.size, mode: c.mode });
  return y;
}

function backward(kernel: typeof upsampleSimd, c: Case, dy: Float32Array): Float32Array {
  const dx = new Float32Array(count(c.x)).fill(Number.NaN);
  kernel(ctx, [{ shape: outShape(c), data: dy }], [{ shape: c.x, data: dx }], { size: c.size, mode: c.mode, shape: c.x });
  return dx;
}

const dot = (a: Float32Array, b: Float32Array): number => a.reduce((s, v, i) => s + v * b[i]!, 0);

describe.runIf(sgemmModule() !== null)('upsample2d on WASM SIMD', () => {
  afterAll(() => setCpuThreads(null));

  it('upsample2d and its gradient are the WASM kernels', () => {
    expect(resolveCpuKernel('upsample2d')).toBe(upsampleSimd);
    expect(resolveCpuKernel('upsample2d_grad')).toBe(upsampleGradSimd);
  });

  for (const c of cases) {
    it(`${c.mode} ×[${c.size}] of [${c.x}]: the JS kernels' values and the adjoint`, () => {
      const x = random(count(c.x), 1);
      const dy = random(count(outShape(c)), 2);
      const [y, want] = [forward(upsampleSimd, c, x), forward(upsampleKernels.upsample2d, c, x)];
      if (c.mode === 'nearest') expect(bits(y)).toEqual(bits(want));
      want.forEach((v, i) => expect(Math.abs(y[i]! - v), `y[${i}]`).toBeLessThanOrEqual(1e-6));
      const [dx, wantDx] = [backward(upsampleGradSimd, c, dy), backward(upsampleKernels.upsample2d_grad, c, dy)];
      wantDx.forEach((v, i) => expect(Math.abs(dx[i]! - v), `dx[${i}]`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(v)) * c.size[0]! * c.size[1]!));
      expect(Math.abs(dot(y, dy) - dot(x, dx))).toBeLessThanOrEqual(1e-4 * Math.abs(dot(y, dy)) + 1e-4);
    });
  }

  it('channels not a multiple of 4 stay on the JS kernels', () => {
    const c: Case = { x: [1, 3, 3, 3], size: [2, 2], mode: 'bilinear' };
    const x = random(27, 3);
    expect(bits(forward(upsampleSimd, c, x))).toEqual(bits(forward(upsampleKernels.upsample2d, c, x)));
  });

  it.runIf(threadsSupported())('the same bits on 1 and 2 threads, and 2 uses the workers', async () => {
    const c: Case = { x: [4, 32, 32, 32], size: [2, 2], mode: 'bilinear' };
    const x = random(count(c.x), 4);
    const dy = random(count(outShape(c)), 5);
    await warmPool(1);
    const one = [forward(upsampleSimd, c, x), backward(upsampleGradSimd, c, dy)];
    await warmPool(2);
    const before = poolStats().jobs;
    const two = [forward(upsampleSimd, c, x), backward(upsampleGradSimd, c, dy)];
    expect(poolStats().jobs - before).toBeGreaterThanOrEqual(4);
    expect(bits(two[0]!)).toEqual(bits(one[0]!));
    expect(bits(two[1]!)).toEqual(bits(one[1]!));
  });
});
