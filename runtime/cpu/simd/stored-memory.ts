import { optimizerModuleBytes, type OptimizerUpdate } from './optimizer-module.js';

/**
 * One WebAssembly memory holding an executor's trainable parameters and optimizer slots, so the
 * optimizer updates run on them in place in WASM SIMD (optimizer-module.ts) with no copy of the
 * weights. The memory is sized once, when the executor is built, and never grows: the Float32Array
 * views handed out stay valid for the executor's life. Above the tensors, one scratch region as large
 * as the largest parameter receives the gradient (a pooled activation-sized buffer outside the
 * memory) before an update: one memcpy, the only copy per update.
 *
 * No SIMD (or NNET_CPU_SIMD=0): `createStoredMemory` returns null, the executor allocates plain
 * arrays and the optimizer kernels run their JS loops.
 */
type OptimizerFunction = (...args: number[]) => void;

export interface StoredMemory {
  /** A zeroed view of `size` float32 values, 16-byte aligned. */
  allocate(size: number): Float32Array;
}

interface Region {
  exports: Record<OptimizerUpdate, OptimizerFunction>;
  /** The whole memory as float32 (never detached: the memory does not grow). */
  view: Float32Array;
  /** Byte address of the gradient scratch. */
  scratch: number;
  scratchElements: number;
}

const regions = new WeakMap<ArrayBufferLike, Region>();
let module: WebAssembly.Module | null | undefined;

function optimizerModule(): WebAssembly.Module | null {
  if (module !== undefined) return module;
  const env = typeof process === 'object' ? process.env : {};
  module = null;
  try {
    const bytes = optimizerModuleBytes();
    if (env.NNET_CPU_SIMD !== '0' && typeof WebAssembly === 'object' && WebAssembly.validate(bytes)) module = new WebAssembly.Module(bytes);
  } catch {
    module = null;
  }
  return module;
}

const align = (elements: number): number => Math.ceil(elements / 4) * 4;
const PAGE = 65536;
/** Stay well inside 32-bit addresses; bigger models keep plain arrays (and JS updates). */
const MAX_BYTES = 2 ** 31;

/**
 * Lets the optimizer kernels update in place any parameter whose slots live in `memory` (another
 * owner's memory too, e.g. one that keeps weights next to a GEMM's packed copies): instantiates the
 * update module on it, with the gradient scratch at byte `scratch` (16-aligned, room for
 * `scratchElements` float32). Attach again after the memory grows (its buffer, the key, changes).
 * False without WebAssembly SIMD.
 */
function attachOptimizerUpdates(memory: WebAssembly.Memory, scratch: number, scratchElements: number): boolean {
  const compiled = optimizerModule();
  if (!compiled) return false;
  const instance = new WebAssembly.Instance(compiled, { env: { memory } });
  regions.set(memory.buffer, { exports: instance.exports as unknown as Region['exports'], view: new Float32Array(memory.buffer), scratch, scratchElements });
  return true;
}

/** A memory for tensors of the given element counts, with a gradient scratch of `scratchElements`. */
export function createStoredMemory(sizes: readonly number[], scratchElements: number): StoredMemory | null {
  const compiled = optimizerModule();
  if (!compiled || sizes.length === 0) return null;
  const scratchAligned = align(scratchElements);
  const total = sizes.reduce((n, s) => n + align(s), 0) + scratchAligned;
  if (total * 4 > MAX_BYTES) return null;
  const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil((total * 4) / PAGE)) });
  attachOptimizerUpdates(memory, (total - scratchAligned) * 4, scratchAligned);
  let top = 0;
  return {
    allocate(size) {
      if (top + align(size) > total - scratchAligned) throw new Error('stored memory: more tensors than it was sized for');
      const data = new Float32Array(memory.buffer, top * 4, size);
      top += align(size);
      return data;
    },
  };
}

/**
 * The stored memory of `param` when it and every slot live in one, with `grad` copied into its
 * scratch (byte address `scratch`): the caller then runs `exports[update]` on the first
 * `length - length % 4` values and the scalar formula on the rest. Null otherwise (plain arrays:
 * the caller runs its JS loop). Allocates nothing.
 */
export function simdUpdateRegion(param: Float32Array, grad: Float32Array, slot0?: Float32Array, slot1?: Float32Array): SimdRegion | null {
  const region = regions.get(param.buffer);
  if (region === undefined || param.length < 4 || grad.length !== param.length || grad.length > region.scratchElements) return null;
  if ((slot0 !== undefined && slot0.buffer !== param.buffer) || (slot1 !== undefined && slot1.buffer !== param.buffer)) return null;
  region.view.set(grad, region.scratch / 4);
  return region;
}

export type SimdRegion = Readonly<Pick<Region, 'exports' | 'scratch'>>;
