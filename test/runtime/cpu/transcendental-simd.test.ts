import { expect, it } from 'vitest';
import type { CpuTensor } from '../../../runtime/cpu/kernel-interface.js';
import { recurrentKernels } from '../../../runtime/cpu/kernels/recurrent.js';
import { activationKernels } from '../../../runtime/cpu/kernels/activations.js';
import { recurrentScanSimd, sigmoidSimd, tanhSimd } from '../../../runtime/cpu/wasm/recurrent-simd.js';
import { transcendentalModuleBytes } from '../../../runtime/cpu/wasm/transcendental-module.js';
import { transcendentalModule } from '../../../runtime/cpu/wasm/transcendental-simd.js';
import { describeBuild, wasmBuild } from './wasm-build.js';

/**
 * The WASM SIMD exp, sigmoid and tanh against Math.exp / Math.tanh (float64) over dense sweeps of
 * 2²⁰ points, in the build this process runs (plain multiply + add, or relaxed SIMD's multiply-add:
 * vitest.config.ts runs this file once for each, test/runtime/cpu/wasm-build.ts). Measured
 * maximum relative errors (Node 20, x86-64): exp 1.18e-7 on [−87, 88]; sigmoid 1.85e-7 on [−30, 30];
 * tanh 3.6e-7 (plain) / 2.7e-7 (fused) on [−10, 10] — a few float32 ulps. The bounds below leave ~1.5×.
 * Then the recurrent scans and the activation passes against the JS kernels.
 */
const SWEEP = `(bytes) => {
  const memory = new WebAssembly.Memory({ initial: 200, maximum: 256 });
  const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports;
  const floats = new Float32Array(memory.buffer);
  const N = 1 << 20;
  const sweeps = [['exp', Math.exp, -87, 88], ['sigmoid', (x) => 1 / (1 + Math.exp(-x)), -30, 30], ['tanh', Math.tanh, -10, 10]];
  const out = {};
  for (const [name, ref, lo, hi] of sweeps) {
    for (let i = 0; i < N; i++) floats[i] = lo + ((hi - lo) * i) / (N - 1);
    floats[0] = lo; floats[N - 1] = hi;
    exports[name](0, N * 4, N * 4);
    let worst = 0;
    for (let i = 0; i < N; i++) {
      const want = ref(floats[i]);
      if (want !== 0) worst = Math.max(worst, Math.abs(floats[N + i] - want) / Math.abs(want));
    }
    out[name] = worst;
  }
  return out;
}`;

const BOUNDS = { exp: 2e-7, sigmoid: 3e-7, tanh: 5e-7 };

function expectWithinBounds(errors: Record<string, number>): void {
  for (const [name, bound] of Object.entries(BOUNDS)) {
    expect(errors[name], name).toBeGreaterThan(0);
    expect(errors[name], name).toBeLessThan(bound);
  }
}

describeBuild('WASM SIMD transcendental functions', () => {
  it('exp, sigmoid, tanh stay within a few ulps of Math', () => {
    const sweep = new Function(`return ${SWEEP}`)() as (b: Uint8Array) => Record<string, number>;
    expectWithinBounds(sweep(transcendentalModuleBytes(wasmBuild === 'fma', 256)));
  });

  it('keeps extreme inputs finite and saturating', () => {
    const module = transcendentalModule()!;
    const xs = [-1e30, -200, -88, 0, 88, 200, 1e30];
    const floats = module.reserve(64 * 4);
    for (const name of ['exp', 'sigmoid', 'tanh'] as const) {
      floats.set(xs);
      floats[7] = 0;
      module.exports[name](0, 32 * 4, 8 * 4);
      const got = [...floats.subarray(32, 39)];
      got.forEach((v) => expect(Number.isFinite(v)).toBe(true));
      if (name === 'sigmoid') expect([got[0], got[3], got[6]]).toEqual([expect.closeTo(0, 30), 0.5, 1]);
      if (name === 'tanh') expect([got[0], got[3], got[6]]).toEqual([-1, 0, 1]);
    }
  });

  it('passes NaN through (the clamps are pseudo-min/max, which keep a NaN first operand)', () => {
    const module = transcendentalModule()!;
    const floats = module.reserve(16 * 4);
    for (const name of ['exp', 'sigmoid', 'tanh'] as const) {
      floats.set([NaN, 1, NaN, -1]);
      module.exports[name](0, 8 * 4, 4 * 4);
      expect([...floats.subarray(8, 12)].map(Number.isNaN), name).toEqual([true, false, true, false]);
    }
  });
});

const ctx = { training: false, lr: 0, step: 0, seed: 0 };
let seed = 7;
const random = (size: number, scale: number): Float32Array =>
  Float32Array.from({ length: size }, () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 2 * scale);

describeBuild('recurrent scans with SIMD cells', () => {
  const cases = [
    ['lstm', 4, 6, false], ['gru', 3, 5, false], ['gru_reset_after', 3, 5, true], ['rnn', 1, 1, false],
  ] as const;
  for (const [cell, gates, stored, biased] of cases) {
    for (const sequences of [true, false]) {
      it(`${cell}_scan (return_sequences ${sequences}) matches the JS scan within 1e-6`, () => {
        const [n, t, u] = [5, 7, 12];
        const inputs: CpuTensor[] = [
          { shape: [n, t, gates * u], data: random(n * t * gates * u, 2) },
          { shape: [gates * u, u], data: random(gates * u * u, 0.5) },
          ...(biased ? [{ shape: [gates * u], data: random(gates * u, 0.5) }] : []),
        ];
        const outputs = (): CpuTensor[] => [
          { shape: sequences ? [n, t, u] : [n, u], data: new Float32Array(sequences ? n * t * u : n * u) },
          { shape: [n, t, stored * u], data: new Float32Array(n * t * stored * u) },
        ];
        const [want, got] = [outputs(), outputs()];
        const attrs = { units: u, return_sequences: sequences };
        recurrentKernels[`${cell}_scan`](ctx, inputs, want, attrs);
        recurrentScanSimd[`${cell}_scan`](ctx, inputs, got, attrs);
        for (const k of [0, 1]) {
          const [a, b] = [got[k]!.data as Float32Array, want[k]!.data as Float32Array];
          let worst = 0;
          b.forEach((v, i) => (worst = Math.max(worst, Math.abs(a[i]! - v))));
          expect(worst).toBeLessThan(1e-6);
          expect(b.some((v) => v !== 0)).toBe(true);
        }
      });
    }
  }

  it('sigmoid and tanh passes match the JS kernels within 1e-6, odd lengths included', () => {
    for (const [name, simd] of [['sigmoid', sigmoidSimd], ['tanh', tanhSimd]] as const) {
      for (const size of [4, 1000, 1001]) {
        const x: CpuTensor = { shape: [size], data: random(size, 8) };
        const [want, got] = [new Float32Array(size), new Float32Array(size)];
        activationKernels[name](ctx, [x], [{ shape: [size], data: want }], {});
        simd(ctx, [x], [{ shape: [size], data: got }], {});
        want.forEach((v, i) => expect(Math.abs(got[i]! - v)).toBeLessThan(1e-6));
      }
    }
  });
});
