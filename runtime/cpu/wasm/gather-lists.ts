import { parallelFor } from '../threads/threaded-module.js';
import { overGemmMemory, type GemmMemoryModule } from './gemm-memory.js';
import { intsOf, type callLayout } from './kernel-memory.js';
import { UPSAMPLE_FUNCTIONS, upsampleModuleBytes } from './upsample-module.js';

/**
 * Weighted gathers of blocks on WebAssembly SIMD (upsample-module.ts's gather_axis): for each output
 * block i of each outer index, the sum over list i of weight · source block, in list order on
 * whichever thread, so the same bits for any thread count. Upsampling runs its separable passes on
 * it (upsample-simd.ts), and a convolution's input gradient its col2im (conv-simd.ts).
 */
export type Lists = Array<Array<[number, number]>>;

/**
 * Lists as gather_axis reads them, encoded once: offsets [count + 1] (padded to 16 bytes), then the
 * entries (index i32, weight f32); copied into a call's scratch with one memcpy.
 */
export interface EncodedLists {
  words: Int32Array;
  /** Byte offset of the entries in `words`. */
  entriesOffset: number;
  count: number;
}

export function encodeLists(lists: Lists): EncodedLists {
  const entriesOffset = Math.ceil(((lists.length + 1) * 4) / 16) * 16;
  const words = new Int32Array(entriesOffset / 4 + 2 * lists.reduce((n, l) => n + l.length, 0));
  const weights = new Float32Array(words.buffer);
  let e = 0;
  lists.forEach((list, i) => {
    words[i] = e;
    for (const [index, weight] of list) {
      words[entriesOffset / 4 + 2 * e] = index;
      weights[entriesOffset / 4 + 2 * e + 1] = weight;
      e++;
    }
  });
  words[lists.length] = e;
  return { words, entriesOffset, count: lists.length };
}

/** The module over the GEMM's memory; null without WASM SIMD. */
export const gatherModule = overGemmMemory<unknown>(upsampleModuleBytes, UPSAMPLE_FUNCTIONS);
export type GatherModule = GemmMemoryModule<unknown>;

/** One value's work in the threshold's multiply-adds: memory-bound, as the element-wise kernels'. */
const VALUE_COST = 16;

/** gather_axis's arguments, reused by every pass (parallelFor reads them before it returns). */
const passArgs: number[] = new Array<number>(7).fill(0);

/**
 * dst[outer, i, :] = Σ_{(o, weight) in lists[i]} weight · src[outer, o, :] for every outer index and
 * list i, blocks of `innerFloats` (a multiple of 4) floats, `inCount` source blocks per outer index:
 * the lists copied into the call's scratch, then gather_axis split over threads by output blocks.
 * Byte addresses in the GEMM's memory.
 */
export function gatherBlocks(module: GatherModule, call: ReturnType<typeof callLayout>, src: number, dst: number, lists: EncodedLists, outer: number, inCount: number, innerFloats: number): void {
  const at = call.scratch(lists.words.length);
  intsOf(module.gemm.memory).set(lists.words, at / 4);
  const tiles = outer * lists.count;
  const a = passArgs;
  a[0] = src;
  a[1] = dst;
  a[2] = at;
  a[3] = at + lists.entriesOffset;
  a[4] = inCount;
  a[5] = lists.count;
  a[6] = innerFloats * 4;
  parallelFor(module.threaded, 'gather_axis', a, tiles, tiles * innerFloats * VALUE_COST);
}
