import { describe, expect, it } from 'vitest';
import { geometry } from '../../../runtime/cpu/kernels/conv.js';
import { convGradInputSimd, convGradWeightSimd, convSimd } from '../../../runtime/cpu/wasm/conv-simd.js';
import { convWinograd, convWinogradGradWeight, gradInputGeometry, winogradApplies } from '../../../runtime/cpu/wasm/conv-winograd.js';
import { sgemmModule } from '../../../runtime/cpu/wasm/sgemm-simd.js';
import type { TileActivation } from '../../../runtime/cpu/wasm/sgemm-module.js';
import { direct, type Case } from './conv-reference.js';
import { U, random, size } from './float-data.js';
import { placedInKernelMemory } from './placed-tensors.js';

/**
 * The Winograd F(2×2, 3×3) forward (wasm/conv-winograd.ts) against exact float64 loops. Its sum is
 * not the direct one's (16 products of transformed values per channel, each transform a sum of up
 * to 4 values, or 9 halved for the weights, rounded on the way), so no bound of the direct sum's
 * form is proven for it; the tolerance stated is the direct kernel's, (k + 4)·2⁻²⁴·Σ|terms| with the
 * bias (conv-simd.test.ts). Measured on these cases: the worst error is 1/40 of it or less.
 */
const ctx = { training: false, lr: 0, step: 0, seed: 0 };
const valid = { strides: [1, 1], padding: 'valid', dilation: [1, 1] };
const same = { strides: [1, 1], padding: 'same', dilation: [1, 1] };

const cases: Case[] = [
  { name: 'valid, 11×11 outputs (the last tiles half outside), 64 filters', x: [3, 13, 13, 32], w: [64, 3, 3, 32], attrs: valid },
  { name: "same, 9×10 (a ragged row of tiles), 20 filters (a ragged panel)", x: [2, 9, 10, 16], w: [20, 3, 3, 16], attrs: same },
  { name: 'same, one 4×4 image (fewer tiles than a block)', x: [1, 4, 4, 16], w: [8, 3, 3, 16], attrs: same },
  { name: 'valid, 5×4 outputs, 24 channels', x: [5, 7, 6, 24], w: [16, 3, 3, 24], attrs: valid },
];

/** y = act(conv + bias) for the exact y, with each element's bound. */
function expected(c: Case, x: Float32Array, w: Float32Array, bias: Float32Array, activation: (v: number) => number) {
  const { g, y, yMag } = direct(c, x, w, new Float32Array(0));
  const k = 9 * g.c;
  return {
    g,
    value: Array.from(y, (v, i) => activation(v + bias[i % g.f]!)),
    bound: Array.from(yMag, (m, i) => (k + 4) * U * (m + Math.abs(bias[i % g.f]!)) + 1e-30),
  };
}

/** The largest |got − value| / bound (NaN where got is NaN: never ≤ 1). One expect, not one per element: they are 30,000. */
function worstOverBound(got: Float32Array, value: number[], bound: number[]): number {
  let worst = 0;
  for (let i = 0; i < value.length; i++) {
    const ratio = Math.abs(got[i]! - value[i]!) / bound[i]!;
    if (!(ratio <= worst)) worst = ratio;
  }
  return worst;
}

/** Whether a and b hold the same float32 bits. */
function sameBits(a: Float32Array, b: Float32Array): boolean {
  const [x, y] = [new Uint32Array(a.buffer, a.byteOffset, a.length), new Uint32Array(b.buffer, b.byteOffset, b.length)];
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

const activations: Array<[TileActivation, (v: number) => number]> = [
  ['none', (v) => v],
  ['relu', (v) => Math.max(v, 0)],
  ['leaky_relu', (v) => (v < 0 ? 0.1 * v : v)],
];

describe.runIf(sgemmModule() !== null)('convolutions by Winograd F(2×2, 3×3)', () => {
  for (const c of cases) {
    for (const [activation, f] of activations) {
      it(`${c.name}: + bias, ${activation}, within the stated bound`, () => {
        const x = random(size(c.x), 1);
        const w = random(size(c.w), 2);
        const bias = random(c.w[0]!, 3);
        const { g, value, bound } = expected(c, x, w, bias, f);
        expect(winogradApplies(g)).toBe(true);
        const placed = placedInKernelMemory([{ shape: c.x, data: x }, { shape: c.w, data: w }, { shape: [g.n, g.oh, g.ow, g.f], data: new Float32Array(value.length).fill(Number.NaN) }]);
        const [px, pw, py] = placed.tensors;
        const done = convWinograd(sgemmModule()!, px!.data as Float32Array, pw!.data as Float32Array, py!.data as Float32Array, g, { bias, activation, alpha: 0.1, after: null });
        expect(done).toBe(true);
        expect(worstOverBound(py!.data as Float32Array, value, bound)).toBeLessThanOrEqual(1);
        placed.free();
      });
    }
  }

  // Those whose gradient has 16 channels (F) or more.
  for (const c of cases.filter((c) => c.w[0]! >= 16)) {
    it(`${c.name}: the input gradient, as a convolution of dy by the flipped weights, within the stated bound`, () => {
      const x = random(size(c.x), 7);
      const w = random(size(c.w), 8);
      const g0 = geometry(c.x, c.w, c.attrs);
      const dy = random(g0.n * g0.oh * g0.ow * g0.f, 9);
      const { g, dx, dxMag } = direct(c, x, w, dy);
      const transposed = gradInputGeometry(g);
      expect(winogradApplies(transposed)).toBe(true);
      const placed = placedInKernelMemory([{ shape: [g.n, g.oh, g.ow, g.f], data: dy }, { shape: c.w, data: w }, { shape: c.x, data: new Float32Array(dx.length).fill(Number.NaN) }]);
      const [pdy, pw, pdx] = placed.tensors;
      const done = convWinograd(sgemmModule()!, pdy!.data as Float32Array, pw!.data as Float32Array, pdx!.data as Float32Array, transposed, { bias: null, activation: 'none', alpha: 0, after: null }, 'gradInput');
      expect(done).toBe(true);
      const k = 9 * g.f;
      expect(worstOverBound(pdx!.data as Float32Array, Array.from(dx), Array.from(dxMag, (m) => (k + 3) * U * m + 1e-30))).toBeLessThanOrEqual(1);
      placed.free();
    });
  }

  for (const c of cases) {
    it(`${c.name}: the weight gradient, Σ over tiles of the transformed windows ⊗ transformed dy, within the stated bound`, () => {
      const x = random(size(c.x), 10);
      const w = random(size(c.w), 11);
      const g0 = geometry(c.x, c.w, c.attrs);
      const dy = random(g0.n * g0.oh * g0.ow * g0.f, 12);
      const { g, dw, dwMag } = direct(c, x, w, dy);
      const placed = placedInKernelMemory([{ shape: [g.n, g.oh, g.ow, g.f], data: dy }, { shape: c.x, data: x }]);
      const [pdy, px] = placed.tensors;
      const got = new Float32Array(dw.length).fill(Number.NaN);
      expect(convWinogradGradWeight(sgemmModule()!, pdy!.data as Float32Array, px!.data as Float32Array, got, g)).toBe(true);
      const k = g.n * g.oh * g.ow;
      const bound = Array.from(dwMag, (m) => (k + 3) * U * m + 1e-30);
      expect(worstOverBound(got, Array.from(dw), bound)).toBeLessThanOrEqual(1);
      placed.free();
    });
  }

  it("is what conv2d's input and weight gradients run for such a layer, bit for bit", () => {
    const c = cases[0]!;
    const g = geometry(c.x, c.w, c.attrs);
    const dyShape = [g.n, g.oh, g.ow, g.f];
    const placed = placedInKernelMemory([
      { shape: dyShape, data: random(size(dyShape), 16) }, { shape: c.w, data: random(size(c.w), 17) }, { shape: c.x, data: random(size(c.x), 18) },
      { shape: c.x, data: new Float32Array(size(c.x)) }, { shape: c.x, data: new Float32Array(size(c.x)) },
    ]);
    const [dy, w, x, dx, dxOwn] = placed.tensors.map((t) => t.data as Float32Array);
    convGradInputSimd(ctx, [placed.tensors[0]!, placed.tensors[1]!], [placed.tensors[3]!], c.attrs);
    convWinograd(sgemmModule()!, dy!, w!, dxOwn!, gradInputGeometry(g), { bias: null, activation: 'none', alpha: 0, after: null }, 'gradInput');
    expect(sameBits(dx!, dxOwn!)).toBe(true);
    const dw = new Float32Array(size(c.w));
    const dwOwn = new Float32Array(size(c.w));
    convGradWeightSimd(ctx, [placed.tensors[0]!, placed.tensors[2]!], [{ shape: c.w, data: dw }], c.attrs);
    convWinogradGradWeight(sgemmModule()!, dy!, x!, dwOwn, g);
    expect(sameBits(dw, dwOwn)).toBe(true);
    placed.free();
  });

  it('is what conv2d runs for such a layer, with an activation outside the tile (sigmoid) and the pre-activation kept', () => {
    const c = cases[1]!;
    const x = random(size(c.x), 4);
    const w = random(size(c.w), 5);
    const bias = random(c.w[0]!, 6);
    const { g, value, bound } = expected(c, x, w, bias, (v) => v);
    const placed = placedInKernelMemory([{ shape: c.x, data: x }, { shape: c.w, data: w }, { shape: [g.n, g.oh, g.ow, g.f], data: new Float32Array(value.length) }]);
    const pre = new Float32Array(value.length);
    const sigmoid = (data: Float32Array, start: number, end: number): void => {
      for (let i = start; i < end; i++) data[i] = 1 / (1 + Math.exp(-data[i]!));
    };
    convSimd(ctx, placed.tensors.slice(0, 2), placed.tensors.slice(2), c.attrs, { bias, pre, activation: sigmoid, activationName: 'sigmoid' });
    const got = placed.tensors[2]!.data as Float32Array;
    expect(worstOverBound(pre, value, bound)).toBeLessThanOrEqual(1);
    // The pre-activation is Winograd's own result, bit for bit.
    const own = new Float32Array(value.length);
    const ownPlaced = placedInKernelMemory([{ shape: [g.n, g.oh, g.ow, g.f], data: own }]);
    convWinograd(sgemmModule()!, placed.tensors[0]!.data as Float32Array, placed.tensors[1]!.data as Float32Array, ownPlaced.tensors[0]!.data as Float32Array, g, { bias, activation: 'none', alpha: 0, after: null });
    expect(sameBits(pre, ownPlaced.tensors[0]!.data as Float32Array)).toBe(true);
    ownPlaced.free();
    expect(worstOverBound(got, value.map((v) => 1 / (1 + Math.exp(-v))), bound)).toBeLessThanOrEqual(1);
    placed.free();
  });

  it('copies in a weight that lies outside the kernels’ memory', () => {
    const c = cases[0]!;
    const x = random(size(c.x), 13);
    const w = random(size(c.w), 14);
    const bias = random(c.w[0]!, 15);
    const { g, value, bound } = expected(c, x, w, bias, (v) => v);
    const placed = placedInKernelMemory([{ shape: c.x, data: x }, { shape: [g.n, g.oh, g.ow, g.f], data: new Float32Array(value.length).fill(Number.NaN) }]);
    const [px, py] = placed.tensors;
    expect(convWinograd(sgemmModule()!, px!.data as Float32Array, w, py!.data as Float32Array, g, { bias, activation: 'none', alpha: 0, after: null })).toBe(true);
    expect(worstOverBound(py!.data as Float32Array, value, bound)).toBeLessThanOrEqual(1);
    placed.free();
  });

  it('declines operands outside the kernels’ memory, leaving the output alone (the indirect GEMM takes them)', () => {
    const c = cases[2]!;
    const g = geometry(c.x, c.w, c.attrs);
    const y = new Float32Array(g.n * g.oh * g.ow * g.f).fill(7);
    expect(convWinograd(sgemmModule()!, random(size(c.x), 1), random(size(c.w), 2), y, g, { bias: null, activation: 'none', alpha: 0, after: null })).toBe(false);
    expect(y.every((v) => v === 7)).toBe(true);
  });

  it('applies to 3×3, stride 1, undilated convolutions of 16 channels or more into 8 filters or more, in fours', () => {
    const applies = (x: number[], w: number[], attrs = same): boolean => winogradApplies(geometry(x, w, attrs));
    expect(applies([1, 8, 8, 16], [8, 3, 3, 16])).toBe(true);
    expect(applies([1, 8, 8, 8], [16, 3, 3, 8])).toBe(false);
    expect(applies([1, 8, 8, 16], [4, 3, 3, 16])).toBe(false);
    expect(applies([1, 8, 8, 18], [16, 3, 3, 18])).toBe(false);
    expect(applies([1, 8, 8, 16], [18, 3, 3, 16])).toBe(false);
    expect(applies([1, 8, 8, 16], [16, 5, 5, 16])).toBe(false);
    expect(applies([1, 8, 8, 16], [16, 3, 3, 16], { strides: [2, 2], padding: 'same', dilation: [1, 1] })).toBe(false);
    expect(applies([1, 8, 8, 16], [16, 3, 3, 16], { strides: [1, 1], padding: 'same', dilation: [2, 2] })).toBe(false);
  });
});
