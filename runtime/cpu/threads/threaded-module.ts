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
 * Below this many multiply-adds a call stays on the calling thread: waking a worker and waiting for
 * it costs about as much as the work it would take over. Measured with bench/cpu/threshold.mjs
 * (1 vs 2 threads, interleaved, the threshold lowered to 0) on the 2-vCPU Xeon at a load average of
 * 6 (no core reliably free): a 16×64×64 product took 11 µs on one thread and 26 µs on two, so a
 * job's round trip costs ~15-20 µs; one thread does ~11 GMAC/s (256³ in 1.5 ms). Splitting W
 * multiply-adds in two saves W / 22 GMAC/s, which pays for 20 µs from ~0.45 M; 1 M leaves a factor
 * of two for a slower wake-up. (No size ran faster on two threads in that run: the machine had no
 * second core to give. Rerun it on a quiet machine before moving the constant.)
 */
export const PARALLEL_MIN_WORK = 1_000_000;

let minWork = PARALLEL_MIN_WORK;

/** Moves the threshold (bench/cpu/threshold.mjs measures below it, through dist/); null restores PARALLEL_MIN_WORK. @public */
export function setParallelMinWork(work: number | null): void {
  minWork = work ?? PARALLEL_MIN_WORK;
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
 * the equivalent) is below PARALLEL_MIN_WORK or the module is not shared: then on this thread alone.
 */
export function parallelFor(module: ThreadedModule, fn: string, args: readonly number[], tiles: number, work: number): void {
  const kernel = module.exports[fn] as (...values: number[]) => void;
  // A wrong count would shift (start, end) into other parameters, silently.
  if (kernel.length !== args.length + 2) throw new Error(`'${fn}' takes ${kernel.length - 2} arguments before (start, end), not ${args.length}`);
  if (tiles <= 0) return;
  if (module.id === null || work < minWork || tiles === 1) return kernel(...args, 0, tiles);
  const index = module.functions.indexOf(fn);
  if (index < 0) throw new Error(`'${fn}' is not one of the module's threaded functions`);
  runOnPool(module.id, index, args, tiles, (start, end) => kernel(...args, start, end));
}
