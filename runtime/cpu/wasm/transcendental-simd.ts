import { floatsOf } from './sgemm-simd.js';
import { TRANSCENDENTAL_FUNCTIONS, transcendentalModuleBytes, type TranscendentalFunction } from './transcendental-module.js';

/**
 * The transcendental module (transcendental-module.ts) instantiated over a memory of its own, for the
 * sigmoid and tanh passes (recurrent-simd.ts) and the tests of its functions; the recurrent scans
 * instantiate it over the GEMM module's memory instead (recurrent-steps.ts).
 */
type TranscendentalExports = Record<TranscendentalFunction, (...args: number[]) => void>;

export interface TranscendentalModule {
  fma: boolean;
  memory: WebAssembly.Memory;
  exports: TranscendentalExports;
  /** Grows the memory to hold `bytes`; returns the float view (a new one after growing). */
  reserve(bytes: number): Float32Array;
}

const PAGE = 65536;
/** 1 GiB: the largest pass of sigmoid or tanh it may hold. */
const MAX_PAGES = 16384;

function instantiate(fma: boolean): TranscendentalModule | null {
  if (typeof WebAssembly !== 'object') return null;
  const bytes = transcendentalModuleBytes(fma, MAX_PAGES);
  if (!WebAssembly.validate(bytes)) return null;
  const memory = new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES });
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
  const exports = Object.fromEntries(TRANSCENDENTAL_FUNCTIONS.map((n) => [n, instance.exports[n]])) as TranscendentalExports;
  return {
    fma,
    memory,
    exports,
    reserve(size) {
      const have = memory.buffer.byteLength;
      if (size > have) memory.grow(Math.ceil((size - have) / PAGE));
      return floatsOf(memory);
    },
  };
}

const instances = new Map<boolean, TranscendentalModule | null>();

/**
 * The module with relaxed SIMD's multiply-add where this engine validates it, else with plain
 * multiply and add; null without WebAssembly SIMD. Pass `fma` to ask for one (tests run both).
 */
export function transcendentalModule(fma?: boolean): TranscendentalModule | null {
  if (fma === undefined) return transcendentalModule(true) ?? transcendentalModule(false);
  if (!instances.has(fma)) instances.set(fma, instantiate(fma));
  return instances.get(fma)!;
}
