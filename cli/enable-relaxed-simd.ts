import { setFlagsFromString } from 'node:v8';

/**
 * Lets V8 validate WebAssembly relaxed SIMD before any module compiles, so the CPU matmul uses the
 * fused `f32x4.relaxed_madd` (runtime/cpu/wasm/sgemm-module.ts): measured 1.3–1.5× the GEMM rate of
 * multiply + add here. Node 20's V8 (11.3) has it behind this flag; it ships enabled from V8 11.4, where
 * the flag is a no-op. Imported first by main.ts, since runtime/cpu compiles its modules on import.
 * NNET_RELAXED_SIMD=0 keeps plain SIMD (to compare, or to rule it out).
 */
if (process.env.NNET_RELAXED_SIMD !== '0') setFlagsFromString('--experimental-wasm-relaxed-simd');
