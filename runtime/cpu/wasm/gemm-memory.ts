import { instantiateThreaded, type ThreadedModule } from '../threads/threaded-module.js';
import { sgemmModule, type SgemmModule } from './sgemm-simd.js';

/**
 * Kernel modules that work in the GEMM module's memory (pooling, normalisation, element-wise): one
 * instance per GEMM module, over its memory, registered with the worker pool when that memory is
 * shared; and the scratch their operands are copied into, above the GEMM's resident weights.
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

const align16 = (bytes: number): number => Math.ceil(bytes / 16) * 16;

/**
 * Byte addresses of consecutive 16-aligned regions of the given float counts from the scratch start,
 * the memory grown to hold them (views of it made before are then stale: take floatsOf after).
 */
export function scratchLayout<const S extends readonly number[]>(gemm: SgemmModule, sizes: S): { [K in keyof S]: number } {
  let next = align16(gemm.resident.scratchStart());
  const addresses = sizes.map((size) => {
    const address = next;
    next = align16(next + size * 4);
    return address;
  });
  gemm.resident.reserve(next);
  return addresses as { [K in keyof S]: number };
}
