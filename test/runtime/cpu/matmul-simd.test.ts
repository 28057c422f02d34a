import { describe, expect, it } from 'vitest';
import { cpuSimdMatmul } from '../../../runtime/cpu/index.js';
import { gemm, gemmJs, matmul } from '../../../runtime/cpu/kernels/matmul.js';
import { markCacheable, markWritten } from '../../../runtime/cpu/packed-operands.js';
import { matmulModuleBytes } from '../../../runtime/cpu/wasm/matmul-module.js';
import { matmulSimd, simdModule } from '../../../runtime/cpu/wasm/matmul-simd.js';

/**
 * The WebAssembly SIMD matmul against a float64 triple loop (tolerance 1e-5 relative) and against the
 * JS kernel: within one block of k (k ≤ 256) both sum the same float64 products in the same order, so
 * they must agree to the bit; past it the WASM kernel keeps float64 across blocks where the JS one
 * rounds to float32 after each, so they may differ by an ulp of float32 (2.4e-7 relative).
 */
function naive(a: Float32Array, b: Float32Array, m: number, n: number, k: number, transA: boolean, transB: boolean): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (transA ? a[p * m + i]! : a[i * k + p]!) * (transB ? b[j * k + p]! : b[p * n + j]!);
      c[i * n + j] = s;
    }
  }
  return c;
}

const ctx = { training: false, lr: 0, step: 0, seed: 0 };
const none = { bias: null, pre: null, activation: null };

function product(kernel: typeof matmul, a: Float32Array, b: Float32Array, m: number, n: number, k: number, transA: boolean, transB: boolean): Float32Array {
  const y = new Float32Array(m * n).fill(Number.NaN);
  kernel(ctx, [{ shape: transA ? [k, m] : [m, k], data: a }, { shape: transB ? [n, k] : [k, n], data: b }], [{ shape: [m, n], data: y }], { transA, transB }, none);
  return y;
}

describe('wasm simd matmul', () => {
  it('is available on this Node and installed as the CPU matmul', () => {
    expect(WebAssembly.validate(matmulModuleBytes())).toBe(true);
    expect(simdModule()).not.toBeNull();
    expect(cpuSimdMatmul).toBe(process.env.NNET_CPU_SIMD !== '0');
  });

  it('is the GEMM convolutions and recurrent layers call: the JS one within an ulp, exactly it for ≤ 4 rows', () => {
    // conv2d forward's layout: im2col patches [rows, k] times the kernel [filters, k] transposed.
    const random = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 7.1 + i * 1.37));
    for (const [m, n, k] of [[5, 16, 9], [196, 32, 144], [300, 7, 300]] as const) {
      const a = random(m * k, m);
      const b = random(n * k, n);
      const viaKernels = new Float32Array(m * n);
      const viaJs = new Float32Array(m * n);
      gemm(a, k, 1, b, 1, k, viaKernels, m, n, k);
      gemmJs(a, k, 1, b, 1, k, viaJs, m, n, k);
      viaJs.forEach((v, i) => expect(Math.abs(viaKernels[i]! - v)).toBeLessThanOrEqual(2.4e-7 * Math.abs(v) + 1e-30));
    }
    const a = random(4 * 9, 1);
    const b = random(16 * 9, 2);
    const [small, smallJs] = [new Float32Array(64), new Float32Array(64)];
    gemm(a, 9, 1, b, 1, 9, small, 4, 16, 9);
    gemmJs(a, 9, 1, b, 1, 9, smallJs, 4, 16, 9);
    expect([...small]).toEqual([...smallJs]);
  });

  it('sums one 4×4 tile of packed panels into C', () => {
    const module = simdModule()!;
    const memory = new Float64Array(module.memory.buffer);
    // A rows r = [r+1, 10(r+1)], B columns s = [s, 100s] over kc = 2: C[r][s] = 1001 (r+1) s, plus C's 0.5.
    const pa = 0, pb = 8, c = 16;
    for (let kk = 0; kk < 2; kk++) {
      for (let r = 0; r < 4; r++) memory[pa + kk * 4 + r] = (r + 1) * (kk === 0 ? 1 : 10);
      for (let s = 0; s < 4; s++) memory[pb + kk * 4 + s] = s * (kk === 0 ? 1 : 100);
    }
    memory.fill(0.5, c, c + 16);
    module.panels(pa * 8, pb * 8, c * 8, 1, 1, 2, 32);
    expect([...memory.subarray(c, c + 16)]).toEqual(Array.from({ length: 16 }, (_, i) => 1001 * (Math.floor(i / 4) + 1) * (i % 4) + 0.5));
  });

  // Ragged m, n; m across the 128-row chunks; k within and across the 256 blocks; m ≤ 4 falls back.
  for (const [m, n, k] of [[5, 3, 7], [9, 6, 256], [130, 17, 33], [33, 5, 300], [2, 9, 10]] as const) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        it(`${m}x${n}x${k} transA=${transA} transB=${transB}`, () => {
          const a = Float32Array.from({ length: m * k }, (_, i) => Math.sin(i * 1.3));
          const b = Float32Array.from({ length: k * n }, (_, i) => Math.cos(i * 0.7));
          const simd = product(matmulSimd, a, b, m, n, k, transA, transB);
          const js = product(matmul, a, b, m, n, k, transA, transB);
          const want = naive(a, b, m, n, k, transA, transB);
          for (let i = 0; i < m * n; i++) {
            expect(Math.abs(simd[i]! - want[i]!)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(want[i]!)));
            if (k <= 256) expect(simd[i]).toBe(js[i]);
            else expect(Math.abs(simd[i]! - js[i]!)).toBeLessThanOrEqual(2.4e-7 * Math.max(1, Math.abs(js[i]!)));
          }
        });
      }
    }
  }

  it('applies the fused epilogue', () => {
    const m = 6, n = 2, k = 2;
    const a = Float32Array.from({ length: m * k }, (_, i) => i);
    const b = Float32Array.from([1, -1, 0.5, -2]); // B [n, k], transposed
    const y = new Float32Array(m * n);
    const pre = new Float32Array(m * n);
    matmulSimd(ctx, [{ shape: [m, k], data: a }, { shape: [n, k], data: b }], [{ shape: [m, n], data: y }], { transA: false, transB: true }, {
      bias: Float32Array.from([1, 100]),
      pre,
      activation: (data, start, end) => {
        for (let i = start; i < end; i++) data[i] = -data[i]!;
      },
    });
    for (let i = 0; i < m; i++) {
      const x0 = a[i * 2]!, x1 = a[i * 2 + 1]!;
      expect([pre[i * 2], pre[i * 2 + 1]]).toEqual([x0 - x1 + 1, 0.5 * x0 - 2 * x1 + 100]);
      expect([y[i * 2], y[i * 2 + 1]]).toEqual([-(x0 - x1 + 1), -(0.5 * x0 - 2 * x1 + 100)]);
    }
  });

  it('repacks a cached weight after it is written', () => {
    const m = 8, n = 5, k = 4;
    const a = Float32Array.from({ length: m * k }, (_, i) => (i % 5) - 2);
    const w = Float32Array.from({ length: n * k }, (_, i) => i / 3);
    markCacheable(w);
    expect(product(matmulSimd, a, w, m, n, k, false, true)).toEqual(product(matmul, a, w, m, n, k, false, true));
    w.reverse();
    markWritten(w);
    const want = naive(a, w, m, n, k, false, true);
    expect([...product(matmulSimd, a, w, m, n, k, false, true)]).toEqual([...Float32Array.from(want)]);
  });
});
