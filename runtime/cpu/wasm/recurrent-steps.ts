import { RECURRENT_FUNCTIONS, recurrentModuleBytes, type RecurrentFunction } from './recurrent-module.js';
import { MAX_PAGES, transcendentalModule, type TranscendentalModule } from './transcendental-simd.js';

/**
 * The recurrent module (recurrent-module.ts: backward cells, masked rows) instantiated over the
 * transcendental module's memory, so the scans' rows, the forward cells and these share one memory
 * and one layout per call; null without WebAssembly SIMD (the JS scans run then).
 */
export interface RecurrentModule {
  base: TranscendentalModule;
  exports: Record<RecurrentFunction, (...args: number[]) => void>;
}

let kept: RecurrentModule | null | undefined;

export function recurrentModule(): RecurrentModule | null {
  if (kept !== undefined) return kept;
  const base = transcendentalModule();
  const bytes = base ? recurrentModuleBytes(base.fma, MAX_PAGES) : null;
  if (!base || !bytes || !WebAssembly.validate(bytes)) return (kept = null);
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory: base.memory } });
  const exports = Object.fromEntries(RECURRENT_FUNCTIONS.map((n) => [n, instance.exports[n]])) as RecurrentModule['exports'];
  return (kept = { base, exports });
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
