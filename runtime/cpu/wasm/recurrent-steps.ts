import { MAX_MEMORY_PAGES } from '../threads/threaded-module.js';
import { HeldBlock } from './group-columns.js';
import { addressIn } from './kernel-memory.js';
import { RECURRENT_FUNCTIONS, recurrentModuleBytes, type RecurrentFunction } from './recurrent-module.js';
import { sgemmModule, type SgemmModule } from './sgemm-simd.js';
import { TRANSCENDENTAL_FUNCTIONS, transcendentalModuleBytes, type TranscendentalFunction } from './transcendental-module.js';

/**
 * The modules the scans run (transcendental-module.ts: the forward cells and add_rows;
 * recurrent-module.ts: the backward cells and select_rows) instantiated over the GEMM module's
 * memory, with a block of its heap kept between calls for a call's rows (group-columns.ts's
 * HeldBlock): the recurrent product reads h_{t−1} and writes w_hh·h where the cells leave and read
 * them, and the scans read and write an executor's tensors where they lie, instead of copying them
 * per step or per call. The cells run on the calling thread (a step's N·u values are too little work
 * to split); the GEMMs split over the worker pool as every GEMM. Null without WebAssembly SIMD (the
 * JS scans run then).
 */
export interface ScanModules {
  gemm: SgemmModule;
  memory: WebAssembly.Memory;
  cells: Record<TranscendentalFunction, (...args: number[]) => void>;
  steps: Record<RecurrentFunction, (...args: number[]) => void>;
  block: HeldBlock;
}

const instances = new WeakMap<SgemmModule, ScanModules | null>();

function instantiate(gemm: SgemmModule): ScanModules | null {
  const { memory } = gemm;
  const shared = gemm.threaded.shared;
  const over = <F extends string>(bytes: (fma: boolean) => Uint8Array<ArrayBuffer>, names: readonly F[]): Record<F, (...args: number[]) => void> | null => {
    const fused = bytes(true);
    const chosen = WebAssembly.validate(fused) ? fused : bytes(false);
    if (!WebAssembly.validate(chosen)) return null;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(chosen), { env: { memory } });
    return Object.fromEntries(names.map((n) => [n, instance.exports[n]])) as Record<F, (...args: number[]) => void>;
  };
  const cells = over((fma) => transcendentalModuleBytes(fma, MAX_MEMORY_PAGES, shared), TRANSCENDENTAL_FUNCTIONS);
  const steps = over((fma) => recurrentModuleBytes(fma, MAX_MEMORY_PAGES, shared), RECURRENT_FUNCTIONS);
  return cells && steps ? { gemm, memory, cells, steps, block: new HeldBlock(memory) } : null;
}

export function scanModules(): ScanModules | null {
  const gemm = sgemmModule();
  if (!gemm) return null;
  let modules = instances.get(gemm);
  if (modules === undefined) instances.set(gemm, (modules = instantiate(gemm)));
  return modules;
}

/** The float offset of `data` in the scans' memory when it lies there, else null. */
export function floatOffsetIn(modules: ScanModules, data: ArrayBufferView): number | null {
  const at = addressIn(modules.memory, data);
  return at === null ? null : at / 4;
}

/**
 * A scan's mask [N, T] (i32 or f32, 0 = padding) as i32 words in `floats`' memory at float offset
 * `at`: −1 (all bits set) where the step counts, 0 where it is padding, as select_rows and the
 * backward cells read them.
 */
export function writeMaskWords(mask: ArrayLike<number>, floats: Float32Array, at: number): void {
  const words = wordsOf(floats);
  for (let i = 0; i < mask.length; i++) words[at + i] = mask[i] !== 0 ? -1 : 0;
}

/** One word −1 at float offset `at` (the mask of an unmasked scan, read with stride 0). */
export function writeAllSteps(floats: Float32Array, at: number): void {
  wordsOf(floats)[at] = -1;
}

/** An i32 view of the memory under `floats`, made again only when growing replaced the buffer. */
let words: Int32Array = new Int32Array(0);
function wordsOf(floats: Float32Array): Int32Array {
  if (words.buffer !== floats.buffer) words = new Int32Array(floats.buffer);
  return words;
}
