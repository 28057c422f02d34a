import { sgemmModule, type SgemmModule } from './sgemm-simd.js';

/**
 * A getter for a helper module (pooling, normalisation) instantiated on the GEMM module's memory
 * (imported as `env.memory`), so its operands share that memory's scratch above the resident
 * weights. Compiled once per GEMM module; the getter returns null without WebAssembly SIMD.
 */
export function onGemmMemory<T>(bytes: () => Uint8Array<ArrayBuffer>): () => { gemm: SgemmModule; exports: T } | null {
  const instances = new WeakMap<SgemmModule, T | null>();
  return () => {
    const gemm = sgemmModule();
    if (!gemm) return null;
    if (!instances.has(gemm)) {
      let exports: T | null = null;
      try {
        const code = bytes();
        if (WebAssembly.validate(code)) exports = new WebAssembly.Instance(new WebAssembly.Module(code), { env: { memory: gemm.memory } }).exports as unknown as T;
      } catch {
        exports = null;
      }
      instances.set(gemm, exports);
    }
    const exports = instances.get(gemm)!;
    return exports ? { gemm, exports } : null;
  };
}
