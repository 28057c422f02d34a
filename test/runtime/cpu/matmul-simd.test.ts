import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cpuSimdMatmul } from '../../../runtime/cpu/index.js';
import type { Epilogue } from '../../../runtime/cpu/kernel-interface.js';
import { activationRange } from '../../../runtime/cpu/kernels/activations.js';
import { gemm, matmul } from '../../../runtime/cpu/kernels/matmul.js';
import { markCacheable, markWritten } from '../../../runtime/cpu/packed-operands.js';
import { matmulSimd } from '../../../runtime/cpu/wasm/matmul-simd.js';
import { sgemmModuleBytes, SGEMM_VARIANTS, unrolledTaps, variantName } from '../../../runtime/cpu/wasm/sgemm-module.js';
import { sgemmModule } from '../../../runtime/cpu/wasm/sgemm-simd.js';
import { placedInKernelMemory } from './placed-tensors.js';

/**
 * The float32 WebAssembly SIMD matmul against a float64 triple loop. It accumulates in float32, so
 * the tolerance is the standard bound for a float32 dot product of length k, rounded once more when
 * stored and once per epilogue step: |got − exact| ≤ (k + 3)·2⁻²⁴·Σ|a·b| (+ the bias's magnitude).
 * The same bound holds against the JS kernel, which sums in float64 (nearly exact).
 */
const U = 2 ** -24;

function naive(a: Float32Array, b: Float32Array, m: number, n: number, k: number, transA: boolean, transB: boolean): { exact: Float64Array; magnitude: Float64Array } {
  const exact = new Float64Array(m * n);
  const magnitude = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      let mag = 0;
      for (let p = 0; p < k; p++) {
        const product = (transA ? a[p * m + i]! : a[i * k + p]!) * (transB ? b[j * k + p]! : b[p * n + j]!);
        s += product;
        mag += Math.abs(product);
      }
      exact[i * n + j] = s;
      magnitude[i * n + j] = mag;
    }
  }
  return { exact, magnitude };
}

const ctx = { training: false, lr: 0, step: 0, seed: 0 };
const none: Epilogue = { bias: null, pre: null, activation: null };

function product(kernel: typeof matmul, a: Float32Array, b: Float32Array, m: number, n: number, k: number, transA: boolean, transB: boolean, epilogue = none, attrs = {}): Float32Array {
  const y = new Float32Array(m * n).fill(Number.NaN);
  const inputs = [{ shape: transA ? [k, m] : [m, k], data: a }, { shape: transB ? [n, k] : [k, n], data: b }];
  kernel(ctx, inputs, [{ shape: [m, n], data: y }], { transA, transB, ...attrs }, epilogue);
  return y;
}

const random = (n: number, seed: number): Float32Array => Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 7.1 + i * 1.37));

/**
 * Runs exported tile functions on raw memory in a plain-JS harness, each call on a fresh memory, so the
 * same code checks the module in this process and, for relaxed SIMD, in one child Node started with
 * the flag that enables it.
 * Layout: A panels at 0, B panels at 4096 (a packed panel and a row-major [kc, 8] B are the same
 * floats: ldb = 32 bytes), C at 8192 (row stride 8 floats), bias at 12288. Indirect and gather
 * variants: their pointers at 0 (`pointers`, byte addresses), A's values from 16384. Row-major A
 * variants: A's 4 rows at 0, `aChannels` bytes apart. Gather variants take the tile's first row of A
 * where the others take the bias's address (`row0`).
 */
const harness = `(bytes, calls) => {
  const module = new WebAssembly.Module(bytes);
  return calls.map(([fn, pa, pb, c0, bias, alpha, kc, pointers, ldb, aChannels, row0]) => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 16 });
    const { exports } = new WebAssembly.Instance(module, { env: { memory } });
    const f = new Float32Array(memory.buffer);
    if (pointers) { new Int32Array(memory.buffer).set(pointers, 0); f.set(pa, 4096); } else f.set(pa, 0);
    f.set(pb, 1024); f.set(c0, 2048); f.set(bias, 3072);
    exports[fn](0, 4096, 8192, 1, 1, kc, 32, row0 ?? 12288, ldb, alpha, aChannels);
    return [...f.subarray(2048, 2080)];
  });
}`;
type TileCall = [fn: string, pa: number[], pb: number[], c0: number[], bias: number[], alpha: number, kc: number, pointers: number[] | null, ldb: number, aChannels: number, row0: number | null];
type TileRun = (bytes: Uint8Array, calls: TileCall[]) => number[][];

/**
 * A(r, kk) · B(kk, s) summed, then the variant's epilogue; `a(r, kk)` reads A as the variant lays it out.
 * A pooled variant stores only row 0, the max of the 4 finished rows (a 2×2 window's pixels); the rest of
 * C keeps what it held.
 */
function tileOracle(a: (r: number, kk: number) => number, pb: Float32Array, c0: Float32Array, bias: Float32Array, alpha: number, k: number, variant: (typeof SGEMM_VARIANTS)[number]): number[] {
  const finished = unpooledTileOracle(a, pb, c0, bias, alpha, k, variant);
  if (!variant.pooled) return finished;
  return Array.from({ length: 32 }, (_, i) => (i < 8 ? Math.max(...[0, 1, 2, 3].map((r) => finished[r * 8 + i]!)) : c0[i]!));
}

function unpooledTileOracle(a: (r: number, kk: number) => number, pb: Float32Array, c0: Float32Array, bias: Float32Array, alpha: number, k: number, variant: (typeof SGEMM_VARIANTS)[number]): number[] {
  return Array.from({ length: 32 }, (_, i) => {
    const [r, s] = [Math.floor(i / 8), i % 8];
    let v = 0;
    for (let kk = 0; kk < k; kk++) v += a(r, kk) * pb[kk * 8 + s]!;
    if (variant.accumulate) v += c0[i]!;
    if (variant.bias) v += bias[s]!;
    if (variant.activation === 'relu') v = v < 0 ? 0 : v;
    if (variant.activation === 'leaky_relu') v = v < 0 ? alpha * v : v;
    if (variant.activation === 'step') v = v > 0 ? 1 : 0;
    return v;
  });
}

function checkTiles(run: TileRun, fma: boolean): void {
  const kc = 37;
  const [pa, pb, c0, bias] = [random(4 * kc, 1), random(8 * kc, 2), random(32, 3), random(8, 4)];
  // Indirect: taps of `channels` each; row r's tap t reads A's values at (r·taps + t)·channels, except
  // one tap of row 2, which reads the zeros past them (padding).
  const indirect = (taps: number, channels: number) => {
    const values = random(4 * taps * channels, 5);
    const zerosAt = 16384 + values.length * 4;
    const padded = Math.min(4, taps - 1);
    const pointers = Int32Array.from({ length: 4 * taps }, (_, i) => {
      const [t, r] = [Math.floor(i / 4), i % 4];
      return r === 2 && t === padded ? zerosAt : 16384 + (r * taps + t) * channels * 4;
    });
    const a = (r: number, kk: number): number => {
      const t = Math.floor(kk / channels);
      return r === 2 && t === padded ? 0 : values[(r * taps + t) * channels + (kk % channels)]!;
    };
    return { taps, channels, values, pointers, a };
  };
  // The loop variants: 9 taps of 3. The unrolled ones (tapChannels): all the taps they unroll, and fewer.
  const indirectCases = (v: (typeof SGEMM_VARIANTS)[number]) =>
    v.tapChannels ? [indirect(unrolledTaps(v.tapChannels), v.tapChannels), indirect(2, v.tapChannels)] : [indirect(9, 3)];
  // Gather (A transposed, kc = 37 steps): 6 taps of 1 channel then 4 zero lists, list t pointing at
  // step i's value t. A tile from row 0 reads taps 0..3; one from row 4 (a thread's row tile) reads
  // taps 4 and 5, and its rows 2 and 3 are past the last tap and read zero lists.
  const gatherTaps = 6;
  const gatherValues = random(gatherTaps * kc, 6);
  const gatherZerosAt = 16384 + gatherValues.length * 4;
  const lists = Int32Array.from({ length: (gatherTaps + 4) * kc }, (_, i) => {
    const [t, step] = [Math.floor(i / kc), i % kc];
    return t < gatherTaps ? 16384 + (step * gatherTaps + t) * 4 : gatherZerosAt;
  });
  const gatherA = (row0: number) => (r: number, kk: number): number => (row0 + r < gatherTaps ? gatherValues[kk * gatherTaps + row0 + r]! : 0);
  // Row-major A: the packed panel's values, row by row (row r's step kk at r·kc + kk).
  const rowMajorPa = Float32Array.from({ length: 4 * kc }, (_, i) => pa[(i % kc) * 4 + Math.floor(i / kc)]!);
  // Every call first (one child process for all of them when relaxed SIMD needs one), then the checks.
  const calls: TileCall[] = [];
  const checks: ((results: number[][]) => void)[] = [];
  const call = (fn: string, a: Float32Array, k: number, pointers: Int32Array | null, ldb: number, aChannels: number, row0: number | null = null): number => {
    calls.push([fn, [...a], [...pb], [...c0], [...bias], 0.2, k, pointers && [...pointers], ldb, aChannels, row0]);
    return calls.length - 1;
  };
  // Σ|a·b| ≤ k here (|values| ≤ 1); plus C and the bias.
  const within = (name: string, got: number[], want: number[], k: number): void => want.forEach((v, i) => expect(Math.abs(got[i]! - v), `${name}[${i}]`).toBeLessThanOrEqual((k + 3) * U * (k + 2)));
  for (const variant of SGEMM_VARIANTS) {
    const name = variantName(variant);
    if (variant.indirectA) {
      for (const { taps, channels, values, pointers, a } of indirectCases(variant)) {
        const k = taps * channels;
        const got = call(name, values, taps, pointers, channels * 4, 0);
        // Unrolled: the loop variant's sums in the loop variant's order, so its bits.
        const { tapChannels, ...loop } = variant;
        const looped = tapChannels ? call(variantName(loop), values, taps, pointers, channels * 4, 0) : null;
        checks.push((results) => {
          within(`${name} ${taps} taps`, results[got]!, tileOracle(a, pb, c0, bias, 0.2, k, variant), k);
          if (looped !== null) expect(results[got]).toEqual(results[looped]);
        });
      }
      continue;
    }
    if (variant.gatherA) {
      for (const row0 of [0, 4]) {
        const got = call(name, gatherValues, kc, lists, 32, 1, row0);
        checks.push((results) => within(`${name} from row ${row0}`, results[got]!, tileOracle(gatherA(row0), pb, c0, bias, 0.2, kc, variant), kc));
      }
      continue;
    }
    const got = variant.rowMajorA ? call(name, rowMajorPa, kc, null, 32, kc * 4) : call(name, pa, kc, null, 32, 0);
    const want = tileOracle((r, kk) => pa[kk * 4 + r]!, pb, c0, bias, 0.2, kc, variant);
    checks.push((results) => within(name, results[got]!, want, kc));
  }
  const results = run(sgemmModuleBytes(fma, false, 16), calls);
  for (const check of checks) check(results);
}

describe('wasm simd float32 matmul', () => {
  it('is available on this Node and installed as the CPU matmul', () => {
    expect(WebAssembly.validate(sgemmModuleBytes(false, false, 16))).toBe(true);
    expect(sgemmModule()).not.toBeNull();
    expect(cpuSimdMatmul).toBe(process.env.NNET_CPU_SIMD !== '0');
  });

  it('every tile variant with plain multiply + add: 4×8 tile, accumulate, bias, activation', () => {
    const run = new Function(`return ${harness}`)() as TileRun;
    checkTiles(run, false);
  });

  it('every tile variant with relaxed SIMD multiply-add (in a Node where it validates)', () => {
    const here = WebAssembly.validate(sgemmModuleBytes(true, false, 16));
    const run: TileRun = (bytes, calls) => {
      if (here) return (new Function(`return ${harness}`)() as TileRun)(bytes, calls);
      const args = JSON.stringify([[...bytes], calls]);
      const script = `const [b, calls] = ${args}; console.log(JSON.stringify((${harness})(new Uint8Array(b), calls)));`;
      // Node 20's V8 has relaxed SIMD behind this flag; newer engines validate it without. The script
      // goes by stdin: the module's bytes as JSON are past the limit of one command-line argument.
      const child = spawnSync(process.execPath, ['--experimental-wasm-relaxed-simd', '-'], { input: script, encoding: 'utf8' });
      expect(child.stderr).toBe('');
      return JSON.parse(child.stdout) as number[][];
    };
    checkTiles(run, true);
  });

  it('is the GEMM convolutions and recurrent layers call', () => {
    // conv2d forward's layout: im2col patches [rows, k] times the kernel [filters, k] transposed.
    for (const [m, n, k] of [[5, 16, 9], [196, 32, 144], [300, 7, 300]] as const) {
      const a = random(m * k, m);
      const b = random(n * k, n);
      const got = new Float32Array(m * n);
      gemm(a, k, 1, b, 1, k, got, m, n, k);
      const { exact, magnitude } = naive(a, b, m, n, k, false, true);
      exact.forEach((v, i) => expect(Math.abs(got[i]! - v)).toBeLessThanOrEqual((k + 3) * U * magnitude[i]!));
    }
  });

  // Ragged m, n; m across the 128-row chunks; k within and across the 256 blocks; m ≤ 4 (gemv, JS).
  for (const [m, n, k] of [[5, 3, 7], [9, 6, 256], [130, 17, 33], [33, 5, 300], [2, 9, 10], [260, 40, 600]] as const) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        it(`${m}x${n}x${k} transA=${transA} transB=${transB}: within the float32 bound of the exact product`, () => {
          const a = random(m * k, 1);
          const b = random(k * n, 2);
          const simd = product(matmulSimd, a, b, m, n, k, transA, transB);
          const js = product(matmul, a, b, m, n, k, transA, transB);
          const { exact, magnitude } = naive(a, b, m, n, k, transA, transB);
          for (let i = 0; i < m * n; i++) {
            expect(Math.abs(simd[i]! - exact[i]!)).toBeLessThanOrEqual((k + 3) * U * magnitude[i]!);
            expect(Math.abs(simd[i]! - js[i]!)).toBeLessThanOrEqual((k + 4) * U * magnitude[i]!);
          }
        });
      }
    }
  }

  // x·Wᵀ with x an executor's tensor (in the kernels' memory), rows a multiple of 4 and W at most 256
  // rows: the tiles read x where it lies, row-major, instead of packing it; the same products in the
  // same order as from a packed copy (x elsewhere), so the same bits, with the fused bias and relu too.
  for (const [m, n, k] of [[8, 10, 300], [260, 40, 600], [64, 256, 37]] as const) {
    it(`${m}x${n}x${k}, A read row-major where it lies: the bits of packing it, within the bound of the exact product`, () => {
      const a = random(m * k, 8);
      const b = random(n * k, 9);
      const bias = random(n, 10);
      const placed = placedInKernelMemory([{ shape: [m, k], data: a }]);
      try {
        const placedA = placed.tensors[0]!.data as Float32Array;
        for (const epilogue of [none, { bias, pre: null, activation: activationRange('relu', {}), activationName: 'relu' }]) {
          const inPlace = product(matmulSimd, placedA, b, m, n, k, false, true, epilogue);
          const packed = product(matmulSimd, a, b, m, n, k, false, true, epilogue);
          expect(new Uint32Array(inPlace.buffer)).toEqual(new Uint32Array(packed.buffer));
        }
        const { exact, magnitude } = naive(a, b, m, n, k, false, true);
        const got = product(matmulSimd, placedA, b, m, n, k, false, true);
        exact.forEach((v, i) => expect(Math.abs(got[i]! - v)).toBeLessThanOrEqual((k + 3) * U * magnitude[i]!));
      } finally {
        placed.free();
      }
    });
  }

  // Every activation of the kernel table: relu, leaky_relu and step inside the tile, the others after
  // each chunk; with the pre-activation kept, only the bias is in the tile.
  const activations = ['linear', 'relu', 'leaky_relu', 'elu', 'gelu', 'sigmoid', 'tanh', 'softplus', 'silu', 'step'] as const;
  for (const name of activations) {
    for (const keepPre of [false, true]) {
      it(`fused bias + ${name}${keepPre ? ', keeping pre' : ''}: the JS epilogue on the exact product`, () => {
        const [m, n, k] = [150, 13, 40];
        const a = random(m * k, 5);
        const b = random(n * k, 6);
        const bias = random(n, 7);
        const attrs: Record<string, number> = name === 'leaky_relu' || name === 'elu' ? { alpha: 0.3 } : {};
        const activation = activationRange(name, attrs);
        const pre = keepPre ? new Float32Array(m * n) : null;
        const y = product(matmulSimd, a, b, m, n, k, false, true, { bias, pre, activation, activationName: name }, attrs);
        const { exact, magnitude } = naive(a, b, m, n, k, false, true);
        const wantPre = Float32Array.from(exact, (v, i) => v + bias[i % n]!);
        const want = Float32Array.from(wantPre);
        activation(want, 0, want.length);
        for (let i = 0; i < m * n; i++) {
          const slack = (k + 4) * U * (magnitude[i]! + 1);
          if (pre) expect(Math.abs(pre[i]! - wantPre[i]!)).toBeLessThanOrEqual(slack);
          if (name === 'step') {
            if (Math.abs(wantPre[i]!) > slack) expect(y[i]).toBe(want[i]);
          } else {
            // Every activation here has a slope of at most 1.13 (gelu).
            expect(Math.abs(y[i]! - want[i]!), `${i}`).toBeLessThanOrEqual(1.13 * slack + 4 * U * Math.abs(want[i]!));
          }
        }
      });
    }
  }

  it('repacks a resident weight after it is written, and keeps its two layouts apart', () => {
    const m = 8, n = 5, k = 4;
    // Small integers: every sum is exact in float32, so the kernel must equal the exact product.
    const a = Float32Array.from({ length: m * k }, (_, i) => (i % 5) - 2);
    const dy = Float32Array.from({ length: m * n }, (_, i) => (i % 3) - 1);
    const w = Float32Array.from({ length: n * k }, (_, i) => i - 7);
    markCacheable(w);
    const check = (): void => {
      expect([...product(matmulSimd, a, w, m, n, k, false, true)]).toEqual([...naive(a, w, m, n, k, false, true).exact]);
      expect([...product(matmulSimd, dy, w, m, k, n, false, false)]).toEqual([...naive(dy, w, m, k, n, false, false).exact]);
    };
    check();
    check();
    w.reverse();
    markWritten(w);
    check();
  });
});
