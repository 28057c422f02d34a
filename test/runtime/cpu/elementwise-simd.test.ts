import { afterAll, describe, expect, it } from 'vitest';
import { poolStats, threadsSupported } from '../../../runtime/cpu/threads/pool.js';
import { setCpuThreads } from '../../../runtime/cpu/threads/thread-count.js';
import type { CpuKernel, CpuTensor } from '../../../runtime/cpu/kernel-interface.js';
import { activationKernels } from '../../../runtime/cpu/kernels/activations.js';
import { elementwiseKernels } from '../../../runtime/cpu/kernels/elementwise.js';
import { elementwiseModuleBytes, TILE_FLOATS } from '../../../runtime/cpu/wasm/elementwise-module.js';
import { elementwiseSimdKernels } from '../../../runtime/cpu/wasm/elementwise-simd.js';
import { size } from './float-data.js';
import { bits, warmPool } from './threads/warm-pool.js';

/**
 * The element-wise kernels on WASM SIMD against the JS kernels (float64 arithmetic rounded once):
 *
 * - relu, relu_grad, add, sub, mul, div: to the bit (Object.is per element), −0, NaN and ±∞ included;
 * - leaky_relu_grad, elu_grad, scale: within 2 float32 ulps of dy·(|derivative| + |alpha|) (alpha
 *   rounded to float32, one rounding per operation);
 * - sigmoid_grad, tanh_grad: within 3 ulps (2⁻²¹ relative) of |dy|·|derivative|, tanh's 1 − y² taken
 *   as (1 − y)(1 + y) so that it keeps its relative accuracy near |y| = 1.
 *
 * Sizes: below the WASM minimum (JS runs), not a multiple of 4 (padded), several tiles. The
 * binaries with a repeating operand (a bias, a scalar) are bit for bit too, and give the same bits
 * on 1 and 2 threads.
 */
const ctx = { training: true, lr: 0, step: 0, seed: 0 };
const SIZES = [7, 18, 4 * 33, TILE_FLOATS * 3 + 5];
const ULP = 2 ** -23;

function wave(n: number, seed: number, scale = 1): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => scale * Math.sin(seed * 1.7 + i * 0.61));
}

/** Values with the special cases sprinkled in: zeros of both signs, NaN, ±∞, and exact ties at 0. */
function special(n: number, seed: number): Float32Array {
  const x = wave(n, seed, 3);
  for (let i = 0; i < n; i += 11) x[i] = i % 2 ? -0 : 0;
  if (n > 5) [x[1], x[3], x[5]] = [Number.NaN, Infinity, -Infinity];
  return x;
}

const t = (data: Float32Array): CpuTensor => ({ shape: [data.length], data });

function run(kernel: CpuKernel, inputs: Float32Array[], n: number, attrs: Record<string, number> = {}): Float32Array {
  const out = new Float32Array(n).fill(7);
  kernel(ctx, inputs.map(t), [t(out)], attrs);
  return out;
}

/** The first element that fails `ok`, described, or null (one expect per array: 12,000 are slow). */
function firstFailure(got: Float32Array, want: Float32Array, ok: (i: number) => boolean): string | null {
  const i = want.findIndex((_, j) => !ok(j));
  return i < 0 ? null : `[${i}] = ${got[i]}, want ${want[i]}`;
}

function sameBits(got: Float32Array, want: Float32Array, what: string): void {
  expect(firstFailure(got, want, (i) => Object.is(got[i], want[i])), what).toBeNull();
}

function within(got: Float32Array, want: Float32Array, bound: (i: number) => number, what: string): void {
  expect(firstFailure(got, want, (i) => Math.abs(got[i]! - want[i]!) <= bound(i)), what).toBeNull();
}

describe('element-wise kernels on WASM SIMD', () => {
  it('the module validates on this host', () => {
    expect(WebAssembly.validate(elementwiseModuleBytes())).toBe(true);
  });

  for (const n of SIZES) {
    it(`relu, relu_grad and the binaries equal the JS kernels bit for bit (${n} values)`, () => {
      const [x, dy] = [special(n, 1), special(n, 2)];
      sameBits(run(elementwiseSimdKernels.relu, [x], n), run(activationKernels.relu, [x], n), 'relu');
      const y = run(activationKernels.relu, [x], n);
      sameBits(run(elementwiseSimdKernels.relu_grad, [dy, y], n), run(activationKernels.relu_grad, [dy, y], n), 'relu_grad');
      for (const op of ['add', 'sub', 'mul', 'div'] as const) {
        sameBits(run(elementwiseSimdKernels[op], [x, dy], n), run(elementwiseKernels[op], [x, dy], n), op);
      }
    });

    it(`the other activation gradients and scale stay within their bounds (${n} values)`, () => {
      const dy = wave(n, 3, 2);
      const alpha = 0.3;
      const leaky = wave(n, 4, 2).map((v) => (v > 0 ? v : alpha * v));
      const elu = wave(n, 5, 3).map((v) => (v > 0 ? v : alpha * Math.expm1(v)));
      const sigmoid = wave(n, 6, 6).map((v) => 1 / (1 + Math.exp(-v)));
      const tanh = wave(n, 7, 6).map(Math.tanh);
      const x = wave(n, 8, 5);
      const cases: Array<[keyof typeof elementwiseSimdKernels & keyof typeof activationKernels, Float32Array, (y: number) => number, number]> = [
        ['leaky_relu_grad', leaky, (y) => (y > 0 ? 1 : alpha), 2],
        ['elu_grad', elu, (y) => (y > 0 ? 1 : Math.abs(y) + alpha), 2],
        ['sigmoid_grad', sigmoid, (y) => y * (1 - y), 3],
        ['tanh_grad', tanh, (y) => 1 - y * y, 3],
      ];
      for (const [name, y, derivative, ulps] of cases) {
        const got = run(elementwiseSimdKernels[name], [dy, y], n, { alpha });
        const want = run(activationKernels[name], [dy, y], n, { alpha });
        within(got, want, (i) => ulps * ULP * Math.abs(dy[i]!) * Math.max(derivative(y[i]!), Number.MIN_VALUE), name);
      }
      const factor = 0.1;
      within(run(elementwiseSimdKernels.scale, [x], n, { factor }), run(elementwiseKernels.scale, [x], n, { factor }), (i) => 2 * ULP * Math.abs(factor * x[i]!), 'scale');
    });
  }

  /** `op` over a of shape `aShape` and b of `bShape` (broadcast to the larger), by `kernels`. */
  function broadcast(kernels: typeof elementwiseKernels | typeof elementwiseSimdKernels, op: 'add' | 'sub' | 'mul' | 'div', aShape: number[], bShape: number[]): Float32Array {
    const yShape = aShape.length >= bShape.length ? aShape : bShape;
    const a = special(size(aShape), 1);
    const b = special(size(bShape), 2);
    const y = new Float32Array(size(yShape)).fill(7);
    kernels[op](ctx, [{ shape: aShape, data: a }, { shape: bShape, data: b }], [{ shape: yShape, data: y }], {});
    return y;
  }

  // A bias over the last axis (of 1 to 37 values: the period repeated in scratch when not a multiple
  // of 4), a scalar, an operand over the last two axes, either side; the totals with tails and over
  // several tiles. Bit for bit, as the equal-shape binaries.
  const REPEATS: Array<[number[], number[]]> = [
    [[5, 6], [6]],
    [[3, 7], [7]],
    [[9, 37], [37]],
    [[8, 4], [4]],
    [[19], [1]],
    [[21], []],
    [[4, 3, 32], [1, 32]],
    [[2, 5, 6], [5, 6]],
    [[3, TILE_FLOATS + 1], [TILE_FLOATS + 1]],
    [[7, 300, 8], [8]],
  ];
  for (const [full, repeated] of REPEATS) {
    it(`binaries with a repeating operand equal the JS kernels bit for bit ([${full}] and [${repeated}])`, () => {
      for (const op of ['add', 'sub', 'mul', 'div'] as const) {
        sameBits(broadcast(elementwiseSimdKernels, op, full, repeated), broadcast(elementwiseKernels, op, full, repeated), `${op} [${full}] [${repeated}]`);
        sameBits(broadcast(elementwiseSimdKernels, op, repeated, full), broadcast(elementwiseKernels, op, repeated, full), `${op} [${repeated}] [${full}]`);
      }
    });
  }

  it('other broadcasts run the JS kernel', () => {
    sameBits(broadcast(elementwiseSimdKernels, 'sub', [4, 6], [4, 1]), broadcast(elementwiseKernels, 'sub', [4, 6], [4, 1]), 'sub');
  });

  describe.runIf(threadsSupported())('on 2 threads', () => {
    afterAll(() => setCpuThreads(null));

    it('a bias add split over the workers gives the bits of 1 thread', async () => {
      const shape = [5001, 67];
      await warmPool(1);
      const one = broadcast(elementwiseSimdKernels, 'add', shape, [67]);
      await warmPool(2);
      const before = poolStats().jobs;
      const two = broadcast(elementwiseSimdKernels, 'add', shape, [67]);
      expect(poolStats().jobs).toBeGreaterThan(before);
      expect(bits(two)).toEqual(bits(one));
      sameBits(two, broadcast(elementwiseKernels, 'add', shape, [67]), 'add');
    });
  });
});
