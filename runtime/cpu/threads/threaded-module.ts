import { registerThreadedModule, runOnPool, threadsSupported } from './pool.js';

/**
 * A WebAssembly kernel module that can run on every thread: its memory is imported (env.memory) and,
 * where the host allows shared memory (Node; a cross-origin isolated page), shared, so the workers'
 * instances of the same module read and write the same bytes. Where it does not, the memory is an
 * ordinary one and every call runs on the calling thread: same code, same results.
 *
 * `parallelFor` is the one entry point a kernel needs: an export taking (...args, start, end) that
 * computes the tiles [start, end) of its output and nothing else, whichever thread calls it. Each tile
 * is computed by the same instructions in the same order on any thread, so results are bit-identical
 * for any thread count (the tests hold every kernel to that).
 */
export interface ThreadedModule {
  exports: WebAssembly.Exports;
  memory: WebAssembly.Memory;
  /** Whether the memory is shared (the module was built to import a shared one). */
  shared: boolean;
  /** The pool's id for the module; null when it runs on the calling thread only. */
  id: number | null;
  functions: readonly string[];
}

/** The largest memory a kernel module may grow to, in 64 KiB pages (4 GiB: wasm32's whole range). */
export const MAX_MEMORY_PAGES = 65536;

/**
 * Below this many multiply-adds a GEMM stays on the calling thread: waking a worker and waiting for
 * it costs about as much as the work it would take over. Measured with bench/cpu/threshold.mjs
 * (1 vs 2 threads, interleaved, the threshold lowered to 0, at a real-time priority so that the other
 * processes of the shared 2-vCPU Xeon did not decide it; 2026-12-03): 64×64×128 (0.5 M) ran 0.97×
 * as fast on two threads as on one, 64×128×128 (1 M) 1.06×, 128×128×128 (2 M) 1.28×, 256³ 1.77×.
 * (Split, a small GEMM pays two hand-offs, its packing of A and its tiles: ~4 µs each when the
 * worker is spinning, far more when it sleeps or the machine is loaded.)
 */
export const PARALLEL_MIN_WORK = 1_000_000;

/**
 * The same for the batch-1 to batch-4 GEMV (gemv-simd.ts), one hand-off per call, whose weight
 * streams from memory: split, each thread reads its half of W (and keeps it in its own core's L2
 * from call to call). Same run: 1×128×256 (33 K) 0.84×, 1×256×256 (66 K) 1.18×, 1×256×512 1.35×,
 * 1×512×784 (the MLP's first layer) 1.87×, 1×1024×1024 2.57×.
 */
export const GEMV_PARALLEL_MIN_WORK = 64_000;

let forcedMinWork: number | null = null;

/** Moves every threshold to `work` (bench/cpu/threshold.mjs measures below them, through dist/); null restores them. @public */
export function setParallelMinWork(work: number | null): void {
  forcedMinWork = work;
}

/**
 * Compiles `bytes(shared)` (a module importing env.memory, shared or not as asked, at most
 * MAX_MEMORY_PAGES) and instantiates it here over a new memory, or over the memory of `over` (a
 * second module working on the same data: pooling in the GEMM's memory); `functions` are the exports
 * `parallelFor` may run. Null when the host cannot (no WebAssembly, or the module does not validate:
 * no SIMD).
 */
export function instantiateThreaded(bytes: (shared: boolean) => Uint8Array<ArrayBuffer>, functions: readonly string[], over?: ThreadedModule): ThreadedModule | null {
  if (typeof WebAssembly !== 'object') return null;
  const choices = over ? [over.shared] : threadsSupported() ? [true, false] : [false];
  for (const shared of choices) {
    try {
      const code = bytes(shared);
      if (!WebAssembly.validate(code)) continue;
      const memory = over?.memory ?? new WebAssembly.Memory({ initial: 1, maximum: MAX_MEMORY_PAGES, shared });
      const module = new WebAssembly.Module(code);
      const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
      const id = shared ? registerThreadedModule(module, memory, functions) : null;
      return { exports, memory, shared, id, functions };
    } catch {
      // a shared memory this host refuses: try the unshared module
    }
  }
  return null;
}

/**
 * Runs export `fn` of `module` as fn(...args, start, end) over tiles [0, tiles), split into contiguous
 * ranges over the threads (cpuThreads(), threads/thread-count.ts), unless `work` (multiply-adds, or
 * the equivalent) is below `minWork` (the kernel's threshold; PARALLEL_MIN_WORK by default) or the
 * module is not shared: then on this thread alone.
 */
export function parallelFor(module: ThreadedModule, fn: string, args: readonly number[], tiles: number, work: number, minWork = PARALLEL_MIN_WORK): void {
  const kernel = module.exports[fn] as (...values: number[]) => void;
  asSmallIntegers(args);
  // A wrong count would shift (start, end) into other parameters, silently.
  if (kernel.length !== args.length + 2) throw new Error(`'${fn}' takes ${kernel.length - 2} arguments before (start, end), not ${args.length}`);
  if (tiles <= 0) return;
  if (module.id === null || work < (forcedMinWork ?? minWork) || tiles === 1) return callRange(kernel, args, 0, tiles);
  const index = module.functions.indexOf(fn);
  if (index < 0) throw new Error(`'${fn}' is not one of the module's threaded functions`);
  current.kernel = kernel;
  current.args = args;
  runOnPool(module.id, index, args, tiles, runCurrent);
}

type RangeKernel = (...values: number[]) => void;

/**
 * Byte addresses past 2³¹ − 1 (a kernels' memory past 2 GiB) as the int32 of the same bits, in place:
 * they are V8's small integers then, where a number past them is a heap number boxed for every call
 * into the module (~2.4 KB a step for the MLP above a 2.2 GiB block). An i32 parameter reads the same
 * bits either way; the float arguments some kernels take are far below 2³¹.
 */
function asSmallIntegers(args: readonly number[]): void {
  const words = args as number[];
  for (let i = 0; i < words.length; i++) if (words[i]! > 0x7fffffff) words[i] = words[i]! | 0;
}

/** The job `runCurrent` runs on this thread: one closure for every call, not one per call (garbage per step). */
const current: { kernel: RangeKernel; args: readonly number[] } = { kernel: () => {}, args: [] };
const runCurrent = (start: number, end: number): void => callRange(current.kernel, current.args, start, end);

/** kernel(...args, start, end) without the spread's array (the argument counts the kernels use, 3 to 20 (maxpool_grad's 18); any other spreads, allocating). */
function callRange(kernel: RangeKernel, a: readonly number[], start: number, end: number): void {
  switch (a.length) {
    case 3:
      return kernel(a[0]!, a[1]!, a[2]!, start, end);
    case 4:
      return kernel(a[0]!, a[1]!, a[2]!, a[3]!, start, end);
    case 5:
      return kernel(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, start, end);
    case 6:
      return kernel(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, start, end);
    case 7:
      return kernel(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, a[6]!, start, end);
    case 8:
      return kernel(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, a[6]!, a[7]!, start, end);
    case 9:
      return kernel(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, a[6]!, a[7]!, a[8]!, start, end);
    case 10:
      return kernel(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, a[6]!, a[7]!, a[8]!, a[9]!, start, end);
    case 11:
      return kernel(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, a[6]!, a[7]!, a[8]!, a[9]!, a[10]!, start, end);
    case 12:
      return kernel(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, a[6]!, a[7]!, a[8]!, a[9]!, a[10]!, a[11]!, start, end);
    case 13:
      return kernel(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, a[6]!, a[7]!, a[8]!, a[9]!, a[10]!, a[11]!, a[12]!, start, end);
    case 14:
      return kernel(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, a[6]!, a[7]!, a[8]!, a[9]!, a[10]!, a[11]!, a[12]!, a[13]!, start, end);
    case 15:
      return kernel(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, a[6]!, a[7]!, a[8]!, a[9]!, a[10]!, a[11]!, a[12]!, a[13]!, a[14]!, start, end);
    case 16:
      return kernel(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, a[6]!, a[7]!, a[8]!, a[9]!, a[10]!, a[11]!, a[12]!, a[13]!, a[14]!, a[15]!, start, end);
    case 17:
      return kernel(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, a[6]!, a[7]!, a[8]!, a[9]!, a[10]!, a[11]!, a[12]!, a[13]!, a[14]!, a[15]!, a[16]!, start, end);
    case 18:
      return kernel(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, a[6]!, a[7]!, a[8]!, a[9]!, a[10]!, a[11]!, a[12]!, a[13]!, a[14]!, a[15]!, a[16]!, a[17]!, start, end);
    case 19:
      return kernel(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, a[6]!, a[7]!, a[8]!, a[9]!, a[10]!, a[11]!, a[12]!, a[13]!, a[14]!, a[15]!, a[16]!, a[17]!, a[18]!, start, end);
    case 20:
      return kernel(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, a[6]!, a[7]!, a[8]!, a[9]!, a[10]!, a[11]!, a[12]!, a[13]!, a[14]!, a[15]!, a[16]!, a[17]!, a[18]!, a[19]!, start, end);
    default:
      return kernel(...a, start, end);
  }
}
