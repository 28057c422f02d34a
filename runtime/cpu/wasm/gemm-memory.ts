import { instantiateThreaded, type ThreadedModule } from '../threads/threaded-module.js';
import { sgemmModule, type SgemmModule } from './sgemm-simd.js';

/**
 * Kernel modules that work in the GEMM module's memory (pooling, normalisation, element-wise): one
 * instance per GEMM module, over its memory, registered with the worker pool when that memory is
 * shared. Their operands are laid out with kernel-memory.ts's `callLayout`.
 */
export interface GemmMemoryModule<E> {
  gemm: SgemmModule;
  threaded: ThreadedModule;
  exports: E;
}

/** A getter of the module built by `bytes(shared)` over the GEMM's memory; null without WASM SIMD. */
export function overGemmMemory<E>(bytes: (shared: boolean) => Uint8Array<ArrayBuffer>, functions: readonly string[]): () => GemmMemoryModule<E> | null {
  const instances = new WeakMap<SgemmModule, GemmMemoryModule<E> | null>();
  return () => {
    const gemm = sgemmModule();
    if (!gemm) return null;
    let instance = instances.get(gemm);
    if (instance === undefined) {
      const threaded = instantiateThreaded(bytes, functions, gemm.threaded);
      instance = threaded && { gemm, threaded, exports: threaded.exports as unknown as E };
      instances.set(gemm, instance);
    }
    return instance;
  };
}
