import { callLayout, kernelHeap, memoryOf, type KernelHeap } from '../wasm/kernel-memory.js';
import { optimizerModuleBytes, type OptimizerUpdate } from './optimizer-module.js';

/**
 * Where an executor's trainable parameters and optimizer slots live: in one WebAssembly memory, so
 * the optimizer updates run on them in place in WASM SIMD (optimizer-module.ts) with no copy of the
 * weights. That memory is the kernels' shared one when there is one (wasm/install.ts's `tensorHeap`:
 * one block of it, next to the activations and gradients), so the gradient an update reads is used
 * where the backward pass wrote it and the GEMM reads row-major weights where they are; else a memory
 * of its own, sized once and never grown (its views must stay valid), with room above the tensors for
 * a copy of the gradient.
 *
 * No SIMD (or NNET_CPU_SIMD=0): `createStoredMemory` returns null, the executor allocates plain
 * arrays and the optimizer kernels run their JS loops.
 */
type OptimizerFunction = (...args: number[]) => void;

export interface StoredMemory {
  /** A zeroed view of `size` float32 values, 16-byte aligned. */
  allocate(size: number): Float32Array;
}

/** The update functions instantiated on one memory, and the gradient's byte address for the current call. */
interface Region {
  exports: Record<OptimizerUpdate, OptimizerFunction>;
  /** Byte address of the gradient: where it lies in the memory, or its copy above the tensors. */
  scratch: number;
}

const regions = new WeakMap<WebAssembly.Memory, Region>();
const modules = new Map<boolean, WebAssembly.Module | null>();

function optimizerModule(shared: boolean): WebAssembly.Module | null {
  if (modules.has(shared)) return modules.get(shared)!;
  const env = typeof process === 'object' ? process.env : {};
  let module: WebAssembly.Module | null = null;
  try {
    const bytes = optimizerModuleBytes(shared);
    if (env.NNET_CPU_SIMD !== '0' && typeof WebAssembly === 'object' && WebAssembly.validate(bytes)) module = new WebAssembly.Module(bytes);
  } catch {
    module = null;
  }
  modules.set(shared, module);
  return module;
}

const align = (elements: number): number => Math.ceil(elements / 4) * 4;
const PAGE = 65536;
/** Stay well inside 32-bit addresses; bigger models keep plain arrays (and JS updates). */
const MAX_BYTES = 2 ** 31;

/** Instantiates the update module on `memory` (once per memory); false without WebAssembly SIMD. */
function attachOptimizerUpdates(memory: WebAssembly.Memory, shared: boolean): boolean {
  if (regions.has(memory)) return true;
  const compiled = optimizerModule(shared);
  if (!compiled) return false;
  const instance = new WebAssembly.Instance(compiled, { env: { memory } });
  regions.set(memory, { exports: instance.exports as unknown as Region['exports'], scratch: 0 });
  return true;
}

/** Frees the stored tensors' block of the kernels' memory when the executor that owned it is collected. */
const blocks = new FinalizationRegistry<{ heap: KernelHeap; address: number }>(({ heap, address }) => heap.free(address));

/**
 * A memory for tensors of the given element counts: a block of `shared` (the kernels' heap), freed
 * when `owner` is collected; or, without one, a memory of its own with room for a gradient of
 * `scratchElements`.
 */
export function createStoredMemory(sizes: readonly number[], scratchElements: number, shared: KernelHeap | null = null, owner: object | null = null): StoredMemory | null {
  if (sizes.length === 0) return null;
  const total = sizes.reduce((n, s) => n + align(s), 0);
  let heap: KernelHeap;
  if (shared) {
    if (!attachOptimizerUpdates(shared.memory, true) || total * 4 > MAX_BYTES) return null;
    heap = shared;
  } else {
    const bytes = (total + align(scratchElements)) * 4;
    if (!optimizerModule(false) || bytes > MAX_BYTES) return null;
    const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / PAGE)) });
    attachOptimizerUpdates(memory, false);
    heap = kernelHeap(memory);
  }
  const base = heap.allocate(total * 4);
  if (shared && owner) blocks.register(owner, { heap, address: base });
  // A reused block of the shared memory holds old values: the tensors start at zero.
  (heap.view('f32', base, total) as Float32Array).fill(0);
  let top = 0;
  return {
    allocate(size) {
      if (top + align(size) > total) throw new Error('stored memory: more tensors than it was sized for');
      const data = heap.view('f32', base + top * 4, size) as Float32Array;
      top += align(size);
      return data;
    },
  };
}

/**
 * The update functions of `param`'s memory when it and every slot live in one that has them, with
 * `scratch` set to the gradient's byte address there (where it lies, or a copy): the caller then runs
 * `exports[update]` on the first `length - length % 4` values and the scalar formula on the rest.
 * Null otherwise (plain arrays: the caller runs its JS loop). Allocates nothing.
 */
export function simdUpdateRegion(param: Float32Array, grad: Float32Array, slot0?: Float32Array, slot1?: Float32Array): SimdRegion | null {
  const memory = memoryOf(param);
  const region = memory && regions.get(memory);
  if (!memory || region === undefined || param.length < 4 || grad.length !== param.length) return null;
  if ((slot0 !== undefined && memoryOf(slot0) !== memory) || (slot1 !== undefined && memoryOf(slot1) !== memory)) return null;
  region.scratch = callLayout(memory).input(grad);
  return region;
}

export type SimdRegion = Readonly<Region>;
