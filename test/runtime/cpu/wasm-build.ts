import { describe, expect, it } from 'vitest';
import { transcendentalModuleBytes } from '../../../runtime/cpu/wasm/transcendental-module.js';
import { transcendentalModule } from '../../../runtime/cpu/wasm/transcendental-simd.js';

/**
 * Which build of the `withFmaWhereValid` modules this test process runs: vitest.config.ts runs their
 * tests in two projects, one with V8's relaxed SIMD off (plain multiply + add) and one with it on
 * (relaxed SIMD's multiply-add), naming the build in NNET_WASM_BUILD.
 */
export const wasmBuild: 'plain' | 'fma' = process.env.NNET_WASM_BUILD === 'fma' ? 'fma' : 'plain';

/** Whether this engine validates relaxed SIMD (what `withFmaWhereValid` asks). */
const relaxedValidates = WebAssembly.validate(transcendentalModuleBytes(true, 1));

/**
 * `describe` for the build this process runs: the title names it, and a first test checks that the
 * modules really are that build. The fma build is skipped, saying why, where the engine cannot
 * validate relaxed SIMD even with the flag.
 */
export function describeBuild(title: string, body: () => void): void {
  if (wasmBuild === 'fma' && !relaxedValidates) {
    describe.skip(`${title} [fma build skipped: relaxed SIMD does not validate on Node ${process.version}]`, body);
    return;
  }
  describe(`${title} [${wasmBuild} multiply-add]`, () => {
    it(`runs the ${wasmBuild} build`, () => {
      expect(relaxedValidates).toBe(wasmBuild === 'fma');
      expect(transcendentalModule()?.fma).toBe(wasmBuild === 'fma');
    });
    body();
  });
}
