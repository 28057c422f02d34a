import { expect, it } from 'vitest';
import type { CpuTensor } from '../../../runtime/cpu/kernel-interface.js';
import { lossKernels } from '../../../runtime/cpu/kernels/losses.js';
import { lossModuleBytes } from '../../../runtime/cpu/wasm/loss-module.js';
import { lossSimdKernels } from '../../../runtime/cpu/wasm/loss-simd.js';
import { describeBuild, wasmBuild } from './wasm-build.js';

/**
 * The per-element losses on WASM SIMD against the JS kernels (float64 per element and in the sum).
 * Stated tolerances: dpred within 1e-6 relative to max(|dpred|, 1/n) (mse, mae, huber: 2e-7), the
 * loss within 1e-6 relative (float32 terms summed in tiles of 4,096, the tiles in float64). Counts
 * with a tail (not a multiple of 4) and more than one tile; binary cross-entropy's probabilities
 * reach its clipping (0, 1, 1e-9), its sigmoid form's logits ±40.
 */
const ctx = { training: true, lr: 0, step: 0, seed: 0 };
const t = (data: Float32Array): CpuTensor => ({ shape: [data.length], data });

function run(kernel: (typeof lossSimdKernels)[keyof typeof lossSimdKernels], p: Float32Array, target: Float32Array, attrs = {}): { loss: number; g: Float32Array } {
  const [loss, g] = [new Float32Array(1), new Float32Array(p.length).fill(7)];
  kernel(ctx, [t(p), t(target)], [{ shape: [], data: loss }, t(g)], attrs);
  return { loss: loss[0]!, g };
}

const wave = (n: number, seed: number, scale = 1, shift = 0): Float32Array => Float32Array.from({ length: n }, (_, i) => shift + scale * Math.sin(seed * 1.7 + i * 0.37));

interface Case {
  kernel: keyof typeof lossSimdKernels;
  p: (n: number) => Float32Array;
  target: (n: number) => Float32Array;
  attrs?: Record<string, number>;
  gradTolerance: number;
}

const CASES: Case[] = [
  { kernel: 'mse_loss', p: (n) => wave(n, 1, 3), target: (n) => wave(n, 2, 2), gradTolerance: 2e-7 },
  { kernel: 'mae_loss', p: (n) => wave(n, 1, 3), target: (n) => wave(n, 2, 2), gradTolerance: 2e-7 },
  { kernel: 'huber_loss', p: (n) => wave(n, 1, 3), target: (n) => wave(n, 2, 2), attrs: { delta: 1.5 }, gradTolerance: 2e-7 },
  {
    kernel: 'binary_cross_entropy_loss',
    p: (n) => {
      const p = wave(n, 3, 0.5, 0.5);
      [0, 1, 1e-9, 1 - 1e-9, 0.5].forEach((v, i) => (p[i * 7] = v));
      return p;
    },
    target: (n) => wave(n, 4, 0.5, 0.5),
    gradTolerance: 1e-6,
  },
  { kernel: 'sigmoid_binary_cross_entropy_loss', p: (n) => wave(n, 5, 40), target: (n) => wave(n, 6, 0.5, 0.5), gradTolerance: 1e-6 },
];

describeBuild('losses on WASM SIMD', () => {
  it('the module validates on this host', () => {
    expect(WebAssembly.validate(lossModuleBytes(false, wasmBuild === 'fma'))).toBe(true);
  });

  for (const c of CASES) {
    for (const n of [50, 1003, 10_001]) {
      it(`${c.kernel}, ${n} values: loss and gradient`, () => {
        const [p, target] = [c.p(n), c.target(n)];
        const want = run(lossKernels[c.kernel] as never, p, target, c.attrs);
        const got = run(lossSimdKernels[c.kernel], p, target, c.attrs);
        expect(Math.abs(got.loss - want.loss), `loss ${got.loss} vs ${want.loss}`).toBeLessThanOrEqual(1e-6 * Math.abs(want.loss));
        const bad = want.g.findIndex((v, i) => !(Math.abs(got.g[i]! - v) <= c.gradTolerance * Math.max(Math.abs(v), 1 / n)));
        expect(bad, `dpred[${bad}] = ${got.g[bad]}, want ${want.g[bad]} (p ${p[bad]}, t ${target[bad]})`).toBe(-1);
      });
    }
  }

  it('with label smoothing the binary cross-entropies run the JS kernel (same bits)', () => {
    const [p, target] = [wave(40, 7, 0.4, 0.5), wave(40, 8, 0.5, 0.5)];
    for (const kernel of ['binary_cross_entropy_loss', 'sigmoid_binary_cross_entropy_loss'] as const) {
      const want = run(lossKernels[kernel] as never, p, target, { smoothing: 0.1 });
      const got = run(lossSimdKernels[kernel], p, target, { smoothing: 0.1 });
      expect(got).toEqual(want);
    }
  });
});
