import { configDefaults, defineConfig } from 'vitest/config';

/**
 * The tests of the WASM modules built with `withFmaWhereValid` (runtime/cpu/wasm/transcendental-module.ts):
 * each runs twice, once in a Node where relaxed SIMD does not validate (plain multiply + add) and once
 * in a Node started with the flag that enables it (relaxed SIMD's multiply-add), as the CLI enables it
 * (cli/enable-relaxed-simd.ts). The flag is V8's, so it holds for the worker threads too; the build a
 * file runs is named by NNET_WASM_BUILD (test/runtime/cpu/wasm-build.ts).
 */
const BOTH_BUILDS = [
  'test/runtime/cpu/activation-simd.test.ts',
  'test/runtime/cpu/attention-gemm.test.ts',
  'test/runtime/cpu/cross-entropy-far-logits.test.ts',
  'test/runtime/cpu/loss-simd.test.ts',
  'test/runtime/cpu/recurrent-grad-simd.test.ts',
  'test/runtime/cpu/softmax-simd.test.ts',
  'test/runtime/cpu/transcendental-simd.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, ...BOTH_BUILDS] } },
      { extends: true, test: { name: 'wasm plain', include: BOTH_BUILDS, execArgv: ['--no-experimental-wasm-relaxed-simd'], env: { NNET_WASM_BUILD: 'plain' } } },
      { extends: true, test: { name: 'wasm fma', include: BOTH_BUILDS, execArgv: ['--experimental-wasm-relaxed-simd'], env: { NNET_WASM_BUILD: 'fma' } } },
    ],
  },
});
