import { afterAll, describe, expect, it } from 'vitest';
import '../../../runtime/cpu/index.js';
import { resolveCpuKernel } from '../../../runtime/cpu/kernel-registry.js';
import type { CpuTensor, Epilogue } from '../../../runtime/cpu/kernel-interface.js';
import { activationRange } from '../../../runtime/cpu/kernels/activations.js';
import { conv, geometry } from '../../../runtime/cpu/kernels/conv.js';
import { poolingKernels } from '../../../runtime/cpu/kernels/pooling.js';
import { setCpuThreads } from '../../../runtime/cpu/threads/thread-count.js';
import { pooledPath } from '../../../runtime/cpu/wasm/conv-simd.js';
import { convWinograd } from '../../../runtime/cpu/wasm/conv-winograd.js';
import { tileEpilogue } from '../../../runtime/cpu/wasm/matmul-simd.js';
import { sgemmModule } from '../../../runtime/cpu/wasm/sgemm-simd.js';
import { direct, type Case } from './conv-reference.js';
import { U, random, size } from './float-data.js';
import { placedInKernelMemory } from './placed-tensors.js';
import { bits, warmPool } from './threads/warm-pool.js';

/**
 * A convolution with a pooling epilogue (`conv2d+bias+<activation>+maxpool`, runtime/plan/kernels.ts's
 * POOL_EPILOGUE) against two oracles: the exact float64 convolution, bias and activation, max-pooled
 * (within the direct kernel's float32 bound, (k + 4)·2⁻²⁴·Σ|terms|, of the window's largest: max
 * moves no value by more than its inputs moved), and the unfused steps the plan would run without
 * fusion (`conv2d+bias+<activation>`, then maxpool2d), bit for bit: the pooled Winograd transform and
 * the pooled GEMM tiles compute each output as the unpooled ones do, and the other cases are those two steps.
 */
const ctx = { training: false, lr: 0, step: 0, seed: 0 };
const valid = { strides: [1, 1], padding: 'valid', dilation: [1, 1] };
const same = { strides: [1, 1], padding: 'same', dilation: [1, 1] };

interface PooledCase extends Case {
  pool: [number, number];
  activation: 'relu' | 'leaky_relu' | 'sigmoid';
  /** What computes it (conv-simd.ts's pooledPath): the pooled Winograd transform, the pooled GEMM tiles, or the convolution then the pooling kernel. */
  path: 'winograd' | 'indirect' | 'unpooled';
}

/** 'unpooled' appears for every reason pooledPath gives it: a window other than 2×2, an activation outside the tile. */
const cases: PooledCase[] = [
  { name: "the conv net's second layer (11×11 outputs, the last row and column dropped)", x: [3, 13, 13, 32], w: [64, 3, 3, 32], attrs: valid, pool: [2, 2], activation: 'relu', path: 'winograd' },
  { name: 'same, 9×10 (a ragged panel of 20 filters)', x: [2, 9, 10, 16], w: [20, 3, 3, 16], attrs: same, pool: [2, 2], activation: 'leaky_relu', path: 'winograd' },
  { name: 'a first layer (one channel, a tap per window row: the unrolled pooled tiles)', x: [4, 28, 28, 1], w: [8, 3, 3, 1], attrs: valid, pool: [2, 2], activation: 'relu', path: 'indirect' },
  { name: 'RGB, same padding (9 taps of 3 channels), 13×13 outputs', x: [3, 13, 13, 3], w: [12, 3, 3, 3], attrs: same, pool: [2, 2], activation: 'leaky_relu', path: 'indirect' },
  { name: 'a 5×5, stride 2 convolution of 8 channels (the looping pooled tiles), 20 filters', x: [2, 19, 17, 8], w: [20, 5, 5, 8], attrs: { strides: [2, 2], padding: 'valid', dilation: [1, 1] }, pool: [2, 2], activation: 'relu', path: 'indirect' },
  { name: 'a 3×3 pool on a Winograd-shaped layer', x: [2, 13, 13, 16], w: [16, 3, 3, 16], attrs: valid, pool: [3, 3], activation: 'relu', path: 'unpooled' },
  { name: 'an activation outside the tile (sigmoid)', x: [2, 12, 12, 16], w: [16, 3, 3, 16], attrs: same, pool: [2, 2], activation: 'sigmoid', path: 'unpooled' },
  { name: 'a 1×2 pool, stride 2 convolution', x: [2, 15, 16, 8], w: [12, 3, 3, 8], attrs: { strides: [2, 2], padding: 'same', dilation: [1, 1] }, pool: [1, 2], activation: 'relu', path: 'unpooled' },
];

const exactActivation = { relu: (v: number) => Math.max(v, 0), leaky_relu: (v: number) => (v < 0 ? 0.1 * v : v), sigmoid: (v: number) => 1 / (1 + Math.exp(-v)) };

/** The exact pooled output and each value's bound (sigmoid's own float32 evaluation adds a few ulps of 1). */
function expected(c: PooledCase, x: Float32Array, w: Float32Array, bias: Float32Array) {
  const { g, y, yMag } = direct(c, x, w, new Float32Array(0));
  const k = g.kh * g.kw * g.c;
  const act = exactActivation[c.activation];
  const [ph, pw] = c.pool;
  const [poh, pow] = [Math.floor(g.oh / ph), Math.floor(g.ow / pw)];
  const value: number[] = [];
  const bound: number[] = [];
  for (let b = 0; b < g.n; b++) for (let py = 0; py < poh; py++) for (let px = 0; px < pow; px++) for (let f = 0; f < g.f; f++) {
    let best = -Infinity;
    let worstBound = 0;
    for (let i = 0; i < ph; i++) for (let j = 0; j < pw; j++) {
      const o = ((b * g.oh + py * ph + i) * g.ow + px * pw + j) * g.f + f;
      best = Math.max(best, act(y[o]! + bias[f]!));
      worstBound = Math.max(worstBound, (k + 4) * U * (yMag[o]! + Math.abs(bias[f]!)));
    }
    value.push(best);
    bound.push(worstBound + (c.activation === 'sigmoid' ? 8 * U : 1e-30));
  }
  return { g, shape: [g.n, poh, pow, g.f], value, bound };
}

function worstOverBound(got: Float32Array, value: number[], bound: number[]): number {
  let worst = 0;
  for (let i = 0; i < value.length; i++) {
    const ratio = Math.abs(got[i]! - value[i]!) / bound[i]!;
    if (!(ratio <= worst)) worst = ratio;
  }
  return worst;
}

const attrsOf = (c: PooledCase): Record<string, unknown> => ({ ...c.attrs, pool: c.pool, ...(c.activation === 'leaky_relu' ? { alpha: 0.1 } : {}) });

describe.runIf(sgemmModule() !== null)('convolutions with a max-pooling epilogue', () => {
  afterAll(() => setCpuThreads(null));

  for (const c of cases) {
    it(`${c.name}: within the stated bound of the exact pooled values, and bit for bit the unfused steps`, async () => {
      const x = random(size(c.x), 1);
      const w = random(size(c.w), 2);
      const bias = random(c.w[0]!, 3);
      const { g, shape, value, bound } = expected(c, x, w, bias);
      const tile = tileEpilogue({ bias, pre: null, activation: activationRange(c.activation, {}), activationName: c.activation }, {}, g.f);
      expect(pooledPath(g, c.pool, tile)).toBe(c.path);
      const unpooled = [g.n, g.oh, g.ow, g.f];
      const placed = placedInKernelMemory([
        { shape: c.x, data: x }, { shape: c.w, data: w }, { shape: [g.f], data: bias },
        { shape, data: new Float32Array(value.length).fill(Number.NaN) }, { shape: unpooled, data: new Float32Array(size(unpooled)) }, { shape, data: new Float32Array(value.length) },
      ]);
      const [px, pw, pb, fused, conv2d, pooled] = placed.tensors as [CpuTensor, CpuTensor, CpuTensor, CpuTensor, CpuTensor, CpuTensor];
      const attrs = attrsOf(c) as never;
      const runFused = (): void => resolveCpuKernel(`conv2d+bias+${c.activation}+maxpool`)(ctx, [px, pw, pb], [fused], attrs);
      await warmPool(2);
      runFused();
      expect(worstOverBound(fused.data as Float32Array, value, bound)).toBeLessThanOrEqual(1);
      resolveCpuKernel(`conv2d+bias+${c.activation}`)(ctx, [px, pw, pb], [conv2d], attrs);
      resolveCpuKernel('maxpool2d')(ctx, [conv2d], [pooled], { size: c.pool, strides: c.pool, padding: 'valid' });
      expect(bits(fused.data)).toEqual(bits(pooled.data));
      const twoThreads = bits(fused.data);
      setCpuThreads(1);
      runFused();
      expect(bits(fused.data)).toEqual(twoThreads);
      if (c.path === 'winograd') {
        // What ran is the pooled transform itself (a tolerance alone would also pass the unfused steps).
        const own = new Float32Array(value.length);
        placed.tensors[5]!.data.fill(Number.NaN);
        expect(convWinograd(sgemmModule()!, px.data as Float32Array, pw.data as Float32Array, pooled.data as Float32Array, g, { bias, activation: c.activation as 'relu' | 'leaky_relu', alpha: 0.1, after: null }, 'maxpool')).toBe(true);
        own.set(pooled.data);
        expect(bits(own)).toEqual(twoThreads);
      }
      placed.free();
    });
  }

  it('the JS kernel (no WebAssembly) pools the same way: its convolution, then its pooling', () => {
    const c = cases.find((c) => c.pool[0] === 3)!;
    const x = random(size(c.x), 4);
    const w = random(size(c.w), 5);
    const bias = random(c.w[0]!, 6);
    const { g, shape, value, bound } = expected(c, x, w, bias);
    const epilogue = (pool: readonly number[] | null): Epilogue => ({ bias, pre: null, activation: activationRange('relu', {}), activationName: 'relu', pool });
    const fused = new Float32Array(value.length).fill(Number.NaN);
    conv(ctx, [{ shape: c.x, data: x }, { shape: c.w, data: w }], [{ shape, data: fused }], c.attrs, epilogue(c.pool));
    expect(worstOverBound(fused, value, bound)).toBeLessThanOrEqual(1);
    const unpooled = new Float32Array(g.n * g.oh * g.ow * g.f);
    conv(ctx, [{ shape: c.x, data: x }, { shape: c.w, data: w }], [{ shape: [g.n, g.oh, g.ow, g.f], data: unpooled }], c.attrs, epilogue(null));
    const pooled = new Float32Array(value.length);
    poolingKernels.maxpool2d(ctx, [{ shape: [g.n, g.oh, g.ow, g.f], data: unpooled }], [{ shape, data: pooled }], { size: c.pool, strides: c.pool, padding: 'valid' });
    expect(bits(fused)).toEqual(bits(pooled));
  });

  it('geometry of the dropped edge: a 2×2 pool of 11×11 outputs reads none of the last row and column', () => {
    // Outputs that no window reads may be anything: a NaN there (an input that only they see) must not reach y.
    const c = cases[0]!;
    const x = random(size(c.x), 7);
    const g = geometry(c.x, c.w, c.attrs);
    // x's last row and column feed only the 11th output row and column (valid 3×3).
    for (let b = 0; b < g.n; b++) for (let i = 0; i < g.h; i++) for (let ch = 0; ch < g.c; ch++) {
      x[((b * g.h + i) * g.w + g.w - 1) * g.c + ch] = Number.NaN;
      x[((b * g.h + g.h - 1) * g.w + i) * g.c + ch] = Number.NaN;
    }
    const w = random(size(c.w), 8);
    const shape = [g.n, 5, 5, g.f];
    const placed = placedInKernelMemory([{ shape: c.x, data: x }, { shape: c.w, data: w }, { shape: [g.f], data: random(g.f, 9) }, { shape, data: new Float32Array(size(shape)) }]);
    const [px, pw, pb, y] = placed.tensors as [CpuTensor, CpuTensor, CpuTensor, CpuTensor];
    resolveCpuKernel('conv2d+bias+relu+maxpool')(ctx, [px, pw, pb], [y], attrsOf(c) as never);
    expect(Array.from(y.data).every(Number.isFinite)).toBe(true);
    placed.free();
  });
});
