import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Attrs, Epilogue } from '../../../runtime/cpu/kernel-interface.js';
import { SMALL_M } from '../../../runtime/cpu/kernels/gemm-small.js';
import { gemm, matmul } from '../../../runtime/cpu/kernels/matmul.js';
import { markCacheable, markWritten } from '../../../runtime/cpu/packed-operands.js';
import { GEMV_COLUMNS, GEMV_GROUP, gemvModuleBytes } from '../../../runtime/cpu/wasm/gemv-module.js';
import { gemvModule, gemvSimd } from '../../../runtime/cpu/wasm/gemv-simd.js';
import { matmulSimd } from '../../../runtime/cpu/wasm/matmul-simd.js';

/**
 * The few-rows WebAssembly SIMD kernel (c = A·Wᵀ, m ≤ 4) against a float64 reference. The kernel
 * accumulates in float32 (four lanes, added at the end), so it must be within the float32 dot-product
 * bound of the reference: (k + 3)·2⁻²⁴·Σ|products|. The JS kernel sums in float64, so the same bound
 * (one more rounding) holds against it.
 */
function reference(a: Float32Array, w: Float32Array, m: number, n: number, k: number): { sum: Float64Array; magnitude: Float64Array } {
  const sum = new Float64Array(m * n);
  const magnitude = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0, t = 0;
      for (let p = 0; p < k; p++) {
        s += a[i * k + p]! * w[j * k + p]!;
        t += Math.abs(a[i * k + p]! * w[j * k + p]!);
      }
      sum[i * n + j] = s;
      magnitude[i * n + j] = t;
    }
  }
  return { sum, magnitude };
}

/** got = A·Wᵀ within the float32 dot-product bound (see the top of the file). */
function expectProduct(got: Float32Array, a: Float32Array, w: Float32Array, m: number, n: number, k: number): void {
  const { sum, magnitude } = reference(a, w, m, n, k);
  sum.forEach((v, i) => expect(Math.abs(got[i]! - v), `c[${i}]`).toBeLessThanOrEqual((k + 3) * 2 ** -24 * magnitude[i]!));
}

/** Deterministic values in [-1, 1). */
function randomArray(length: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length }, () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2147483648 - 1);
}

function simd(a: Float32Array, w: Float32Array, m: number, n: number, k: number): Float32Array {
  const c = new Float32Array(m * n).fill(Number.NaN);
  gemvSimd(gemvModule()!, a, w, c, m, n, k);
  return c;
}

const ctx = { training: false, lr: 0, step: 0, seed: 0 };
const none: Epilogue = { bias: null, pre: null, activation: null };

function product(kernel: typeof matmul, a: Float32Array, b: Float32Array, m: number, n: number, k: number, attrs: Attrs, epilogue = none): Float32Array {
  const y = new Float32Array(m * n).fill(Number.NaN);
  const aShape = attrs.transA === true ? [k, m] : [m, k];
  const bShape = attrs.transB === true ? [n, k] : [k, n];
  kernel(ctx, [{ shape: aShape, data: a }, { shape: bShape, data: b }], [{ shape: [m, n], data: y }], attrs, epilogue);
  return y;
}

describe('wasm simd gemv (few rows times a weight read along k)', () => {
  it('is available on this Node', () => {
    expect(WebAssembly.validate(gemvModuleBytes())).toBe(true);
    expect(gemvModule()).not.toBeNull();
  });

  // n and k off the vector width and the column blocks (8, 4, 2), k = 1, n = 1, the benchmark's layers.
  const shapes = [[1, 1], [1, 7], [3, 1], [8, 4], [9, 5], [2, 3], [10, 300], [33, 2], [17, 784], [256, 512]] as const;
  for (let m = 1; m <= SMALL_M; m++) {
    for (const [n, k] of shapes) {
      it(`m=${m} n=${n} k=${k}`, () => {
        const a = randomArray(m * k, 7 * m + k);
        const w = randomArray(n * k, 13 * n + k);
        const got = simd(a, w, m, n, k);
        const { sum, magnitude } = reference(a, w, m, n, k);
        const js = new Float32Array(m * n);
        gemm(a, k, 1, w, 1, k, js, m, n, k);
        for (let i = 0; i < m * n; i++) {
          const bound = (k + 3) * 2 ** -24 * magnitude[i]!;
          expect(Math.abs(got[i]! - sum[i]!), `c[${i}] = ${got[i]} vs ${sum[i]}`).toBeLessThanOrEqual(bound);
          expect(Math.abs(got[i]! - js[i]!), `c[${i}] = ${got[i]} vs JS ${js[i]}`).toBeLessThanOrEqual(bound + 2 ** -24 * magnitude[i]!);
        }
      });
    }
  }

  // The epilogue in the kernel: + bias, then relu / leaky_relu / step, as the JS epilogue does it.
  const finishes: Record<'none' | 'relu' | 'leaky_relu' | 'step', (v: number) => number> = {
    none: (v) => v,
    relu: (v) => (v < 0 ? 0 : v),
    leaky_relu: (v) => (v < 0 ? Math.fround(Math.fround(0.2) * v) : v), // alpha is a float32 in the kernel, as in the GEMM's tiles
    step: (v) => (v > 0 ? 1 : 0),
  };
  for (const withBias of [false, true]) {
    for (const activation of ['none', 'relu', 'leaky_relu', 'step'] as const) {
      it(`finishes each sum in the kernel: bias ${withBias}, ${activation}`, () => {
        const [m, n, k] = [2, 13, 9];
        const a = randomArray(m * k, 21);
        const w = randomArray(n * k, 22);
        const bias = withBias ? randomArray(n, 23) : null;
        const plain = simd(a, w, m, n, k);
        const c = new Float32Array(m * n).fill(Number.NaN);
        gemvSimd(gemvModule()!, a, w, c, m, n, k, { bias, activation, alpha: 0.2 });
        plain.forEach((v, i) => expect(c[i], `c[${i}]`).toBe(finishes[activation](Math.fround(v + (bias ? bias[i % n]! : 0)))));
      });
    }
  }

  it('propagates a non-finite weight even where the input is 0', () => {
    const got = simd(Float32Array.from([0, 1]), Float32Array.from([Infinity, 1, 2, 3]), 1, 2, 2);
    expect(Number.isNaN(got[0])).toBe(true);
    expect(got[1]).toBe(3);
  });

  it('reads a cacheable weight again after it is written, and a plain one on every call', () => {
    const m = 2, n = 5, k = 6;
    const a = randomArray(m * k, 1);
    for (const cacheable of [true, false]) {
      const w = randomArray(n * k, 2);
      if (cacheable) markCacheable(w);
      simd(a, w, m, n, k);
      w.reverse();
      if (cacheable) markWritten(w);
      expectProduct(simd(a, w, m, n, k), a, w, m, n, k);
    }
  });

  it('keeps two resident weights apart', () => {
    const m = 1, n = 9, k = 11;
    const a = randomArray(m * k, 3);
    const w1 = randomArray(n * k, 4);
    const w2 = randomArray(n * k, 5);
    markCacheable(w1);
    markCacheable(w2);
    const first = simd(a, w1, m, n, k);
    simd(a, w2, m, n, k);
    expect([...simd(a, w1, m, n, k)]).toEqual([...first]);
    expectProduct(simd(a, w2, m, n, k), a, w2, m, n, k);
  });
});

/**
 * The module's kernels on raw memory, in a plain-JS harness that runs here or in a child Node with
 * relaxed SIMD enabled: W at 0 in the kernel's layout (groups of GEMV_GROUP rows interleaved by
 * steps of 4 along k, written here from the layout's description), A interleaved after it, C after A.
 */
const harness = `(bytes, m, w, a, blocks, kp, columns) => {
  const memory = new WebAssembly.Memory({ initial: 4, maximum: 16 });
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
  const f = new Float32Array(memory.buffer);
  f.set(w, 0);
  f.set(a, w.length);
  const c = w.length + a.length;
  exports['gemv' + m + '_none'](w.length * 4, 0, c * 4, blocks, kp * 4, 0, 0, 1, 0, blocks);
  return [...f.subarray(c, c + blocks * m * columns)];
}`;

function kernelOnRawMemory(fma: boolean, m: number, n: number, k: number, a: Float32Array, w: Float32Array): Float32Array {
  const kp = Math.ceil(k / 4) * 4;
  const nPad = Math.ceil(n / GEMV_GROUP) * GEMV_GROUP;
  const packed = new Float32Array(nPad * kp);
  for (let j = 0; j < n; j++) for (let kk = 0; kk < k; kk++) packed[(Math.floor(j / GEMV_GROUP) * (kp / 4) + Math.floor(kk / 4)) * GEMV_GROUP * 4 + (j % GEMV_GROUP) * 4 + (kk % 4)] = w[j * k + kk]!;
  const interleaved = new Float32Array(m * kp);
  for (let i = 0; i < m; i++) for (let kk = 0; kk < k; kk++) interleaved[(Math.floor(kk / 4) * m + i) * 4 + (kk % 4)] = a[i * k + kk]!;
  const columns = GEMV_COLUMNS[m - 1]!;
  const blocks = nPad / columns;
  const bytes = gemvModuleBytes(false, 16, fma);
  let blocked: number[];
  if (WebAssembly.validate(bytes)) {
    blocked = (new Function(`return ${harness}`)() as (...args: unknown[]) => number[])(bytes, m, packed, interleaved, blocks, kp, columns);
  } else {
    const args = JSON.stringify([[...bytes], m, [...packed], [...interleaved], blocks, kp, columns]);
    // Node 20's V8 has relaxed SIMD behind this flag; newer engines validate it without.
    const child = spawnSync(process.execPath, ['--experimental-wasm-relaxed-simd', '-e', `const [b, ...rest] = ${args}; console.log(JSON.stringify((${harness})(new Uint8Array(b), ...rest)));`], { encoding: 'utf8' });
    expect(child.stderr).toBe('');
    blocked = JSON.parse(child.stdout) as number[];
  }
  // c[block][i][column] → c[i][block·columns + column]
  const c = new Float32Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) c[i * n + j] = blocked[(Math.floor(j / columns) * m + i) * columns + (j % columns)]!;
  return c;
}

describe('the gemv module on raw memory, plain multiply + add and relaxed SIMD multiply-add', () => {
  for (const fma of [false, true]) {
    for (let m = 1; m <= SMALL_M; m++) {
      it(`fma=${fma} m=${m}`, () => {
        const [n, k] = [13, 37];
        const a = randomArray(m * k, 3 + m);
        const w = randomArray(n * k, 5 + m);
        expectProduct(kernelOnRawMemory(fma, m, n, k, a, w), a, w, m, n, k);
      });
    }
  }
});

describe('matmul on wasm simd, few rows', () => {
  it('runs x·Wᵀ on the gemv kernel, leading axes flattened, with the epilogue', () => {
    const n = 3, k = 5;
    const a = randomArray(4 * k, 6); // [2, 2, k]: m = 4
    const w = randomArray(n * k, 8);
    const y = new Float32Array(4 * n);
    const pre = new Float32Array(4 * n);
    const epilogue: Epilogue = { bias: Float32Array.from([1, 2, 3]), pre, activation: (data, start, end) => data.fill(-1, start, end) };
    matmulSimd(ctx, [{ shape: [2, 2, k], data: a }, { shape: [n, k], data: w }], [{ shape: [2, 2, n], data: y }], { transA: false, transB: true }, epilogue);
    const { sum, magnitude } = reference(a, w, 4, n, k);
    for (let i = 0; i < 4 * n; i++) {
      const bias = [1, 2, 3][i % n]!;
      expect(Math.abs(pre[i]! - (sum[i]! + bias))).toBeLessThanOrEqual((k + 4) * 2 ** -24 * (magnitude[i]! + bias));
    }
    expect([...y]).toEqual(new Array(4 * n).fill(-1));
  });

  // Transposed A, or B read along n (dY·W in the backward pass): the JS kernel, to the bit.
  for (const [transA, transB] of [[false, false], [true, false], [true, true]] as const) {
    it(`falls back to the JS kernel for transA=${transA} transB=${transB}`, () => {
      const m = 3, n = 7, k = 9;
      const a = randomArray(m * k, 9);
      const b = randomArray(k * n, 10);
      const attrs = { transA, transB };
      expect([...product(matmulSimd, a, b, m, n, k, attrs)]).toEqual([...product(matmul, a, b, m, n, k, attrs)]);
    });
  }
});
