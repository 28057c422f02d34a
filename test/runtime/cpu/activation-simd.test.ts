import { expect, it } from 'vitest';
import type { CpuKernel, CpuTensor } from '../../../runtime/cpu/kernel-interface.js';
import { activationKernels, activationRange } from '../../../runtime/cpu/kernels/activations.js';
import { activationModuleBytes } from '../../../runtime/cpu/wasm/activation-module.js';
import { activationRangeSimd, activationSimdKernels } from '../../../runtime/cpu/wasm/activation-simd.js';
import { kernelHeap } from '../../../runtime/cpu/wasm/kernel-memory.js';
import { sgemmModule } from '../../../runtime/cpu/wasm/sgemm-simd.js';
import { poolStats, threadsSupported } from '../../../runtime/cpu/threads/pool.js';
import { setCpuThreads } from '../../../runtime/cpu/threads/thread-count.js';
import { bits, warmPool } from './threads/warm-pool.js';
import { describeBuild, wasmBuild } from './wasm-build.js';

/**
 * gelu, silu, softplus and their gradients on WASM SIMD against the JS kernels (float64 Math.tanh,
 * Math.exp, Math.log1p, rounded once), over x in [−12, 12] densely and out to ±100. Stated
 * tolerance: |got − want| ≤ 5e-7 · max(1, |want|), a few float32 ulps (measured worst, Node 20
 * x86-64, plain multiply + add: gelu 1.4e-7, gelu_grad 2.2e-7, silu 1.5e-7, silu_grad 2.4e-7,
 * softplus 1.2e-7, softplus_grad 0.9e-7; relaxed SIMD multiply-add the same but softplus_grad 0.6e-7;
 * both builds run: vitest.config.ts). softplus keeps its relative accuracy where it is tiny
 * (x ≪ 0: log1p(e^x) ≈ e^x), checked at 1e-6 relative down to x = −80. sigmoid and tanh, which
 * run here only as a fused epilogue, within their float32 bounds, and the same bits on 1 and 2 threads.
 */
const ctx = { training: true, lr: 0, step: 0, seed: 0 };
const t = (data: Float32Array): CpuTensor => ({ shape: [data.length], data });

const dense = Float32Array.from({ length: 24_003 }, (_, i) => -12 + i * 0.001);
const wide = Float32Array.from([-100, -88, -80, -50, -30, -20, -15, 15, 20, 30, 50, 88, 100, 0, -0, 1e-8, -1e-8, 1e-3]);
const xs = Float32Array.from([...dense, ...wide]);
const dy = Float32Array.from(xs, (_, i) => Math.cos(i * 0.7));

function run(kernel: CpuKernel, inputs: Float32Array[]): Float32Array {
  const out = new Float32Array(inputs[0]!.length).fill(7);
  kernel(ctx, inputs.map(t), [t(out)], {});
  return out;
}

function worst(got: Float32Array, want: Float32Array): { error: number; at: number } {
  let error = 0;
  let at = -1;
  want.forEach((v, i) => {
    const e = Math.abs(got[i]! - v) / Math.max(1, Math.abs(v));
    if (!(e <= error)) [error, at] = [e, i];
  });
  return { error, at };
}

describeBuild('gelu, silu and softplus on WASM SIMD', () => {
  it('the module validates on this host', () => {
    expect(WebAssembly.validate(activationModuleBytes(false, wasmBuild === 'fma'))).toBe(true);
  });

  for (const name of ['gelu', 'silu', 'softplus'] as const) {
    it(`${name} and its gradient are within 5e-7 · max(1, |value|) of the JS kernels`, () => {
      const y = run(activationKernels[name], [xs]);
      const { error, at } = worst(run(activationSimdKernels[name], [xs]), y);
      expect(error, `${name} at x = ${xs[at]}`).toBeLessThanOrEqual(5e-7);
      // gelu's and silu's gradients take x, softplus's its output.
      const v = name === 'softplus' ? y : xs;
      const grad = worst(run(activationSimdKernels[`${name}_grad`], [dy, v]), run(activationKernels[`${name}_grad`], [dy, v]));
      expect(grad.error, `${name}_grad at x = ${xs[grad.at]}`).toBeLessThanOrEqual(5e-7);
    });
  }

  it('softplus keeps its relative accuracy where it is tiny', () => {
    const x = Float32Array.from({ length: 80 }, (_, i) => -80 + i);
    const want = run(activationKernels.softplus, [x]);
    const got = run(activationSimdKernels.softplus, [x]);
    want.forEach((v, i) => expect(Math.abs(got[i]! - v) / v, `x = ${x[i]}`).toBeLessThanOrEqual(1e-6));
  });

  it.runIf(sgemmModule())('as a fused epilogue: in place in the kernels memory, the bits of the kernel; outside it, the JS range function', () => {
    const heap = kernelHeap(sgemmModule()!.memory);
    const n = 1003;
    for (const name of ['gelu', 'silu', 'softplus'] as const) {
      const address = heap.allocate(n * 4 + 64);
      const placed = heap.view('f32', address, n) as Float32Array;
      placed.set(xs.subarray(0, n));
      // Values [5, 1002): an unaligned start, 996 in WASM and a tail of 1 that the JS range function computes.
      activationRangeSimd(name, {})(placed, 5, 1002);
      const kernel = run(activationSimdKernels[name], [xs.subarray(5, 1001)]);
      expect(placed.slice(5, 1001)).toEqual(kernel);
      const js = xs.slice(0, n);
      activationRange(name, {})(js, 1001, 1002);
      expect(placed[1001]).toBe(js[1001]);
      expect(placed.slice(0, 5)).toEqual(xs.slice(0, 5));
      expect(placed.slice(1002)).toEqual(xs.slice(1002, n));
      heap.free(address);
      const plain = xs.slice(0, n);
      activationRangeSimd(name, {})(plain, 0, n);
      const reference = xs.slice(0, n);
      activationRange(name, {})(reference, 0, n);
      expect(plain).toEqual(reference);
    }
  });

  /** `name`'s range function over a copy of `x` placed in the kernels' memory; the values it leaves. */
  function inPlace(name: 'sigmoid' | 'tanh', x: Float32Array): Float32Array {
    const heap = kernelHeap(sgemmModule()!.memory);
    const address = heap.allocate(x.length * 4);
    const placed = heap.view('f32', address, x.length) as Float32Array;
    placed.set(x);
    activationRangeSimd(name, {})(placed, 0, x.length);
    const out = placed.slice();
    heap.free(address);
    return out;
  }

  // The measured errors of transcendental-module.ts's σ and tanh (test/runtime/cpu/transcendental-simd.test.ts):
  // relative 3e-7 and 5e-7; beyond the dense range within 5e-7 · max(1, |value|), as above.
  it.runIf(sgemmModule())('sigmoid and tanh as a fused epilogue are within their float32 bounds of the JS range function', () => {
    for (const [name, bound] of [['sigmoid', 3e-7], ['tanh', 5e-7]] as const) {
      const want = xs.slice();
      activationRange(name, {})(want, 0, want.length);
      const got = inPlace(name, xs);
      let relative = 0;
      let at = -1;
      for (let i = 0; i < dense.length; i++) {
        const e = want[i] === 0 ? Math.abs(got[i]!) : Math.abs(got[i]! - want[i]!) / Math.abs(want[i]!);
        if (!(e <= relative)) [relative, at] = [e, i];
      }
      expect(relative, `${name} at x = ${xs[at]}`).toBeLessThanOrEqual(bound);
      const all = worst(got, want);
      expect(all.error, `${name} at x = ${xs[all.at]}`).toBeLessThanOrEqual(5e-7);
    }
  });

  it.runIf(sgemmModule() && threadsSupported())('sigmoid and tanh epilogues give the same bits on 1 and 2 threads', async () => {
    const x = Float32Array.from({ length: 100_003 }, (_, i) => 8 * Math.sin(i * 0.37));
    for (const name of ['sigmoid', 'tanh'] as const) {
      await warmPool(1);
      const one = inPlace(name, x);
      await warmPool(2);
      const before = poolStats().jobs;
      const two = inPlace(name, x);
      expect(poolStats().jobs).toBeGreaterThan(before);
      expect(bits(two)).toEqual(bits(one));
    }
    setCpuThreads(null);
  });
});
