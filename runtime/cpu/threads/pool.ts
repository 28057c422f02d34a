import { ARGS_BYTE, CONTROL_BYTES, JOB_WORD, MAIL_WORD, SLOT_WORD, MAX_ARGS, MAX_MODULES, MAX_WORKERS, READY_WORD, Word } from './control-block.js';
import { cpuThreads } from './thread-count.js';
import { WORKER_SOURCE } from './worker-source.js';

/**
 * The worker pool behind `parallelFor` (threaded-module.ts): up to MAX_WORKERS workers, started on
 * first need, each holding an instance of every threaded kernel module over the module's shared
 * memory. A job runs range 0 of its tiles on the calling thread and the other ranges on workers that
 * already hold the module (a worker still starting is simply not asked), so the caller never waits
 * for a worker to start and a job never depends on one.
 *
 * Workers never keep the process alive (Node: `unref`), so a CLI command exits when its work is done.
 */
interface WorkerHandle {
  postMessage(message: unknown): void;
}

interface RegisteredModule {
  id: number;
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  functions: readonly string[];
}

type NodeWorkerConstructor = new (source: string, options: { eval: true }) => WorkerHandle & { unref(): void };

/** Whether this host can run kernels on workers at all: shared memory, and a way to start workers. */
export function threadsSupported(): boolean {
  return sharedMemorySupported() && spawnWorker !== null;
}

/** SharedArrayBuffer exists and may be used: always in Node; in a page, only when cross-origin isolated. */
function sharedMemorySupported(): boolean {
  if (typeof SharedArrayBuffer !== 'function' || typeof Atomics !== 'object') return false;
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  return isolated !== false;
}

const spawnWorker: ((index: number) => WorkerHandle) | null = (() => {
  const nodeProcess = typeof process === 'object' ? (process as { getBuiltinModule?: (id: string) => unknown }) : undefined;
  const threads = nodeProcess?.getBuiltinModule?.('node:worker_threads') as { Worker: NodeWorkerConstructor } | undefined;
  if (threads) {
    return () => {
      const worker = new threads.Worker(WORKER_SOURCE, { eval: true });
      worker.unref();
      return worker;
    };
  }
  if (typeof Worker === 'function' && typeof Blob === 'function' && typeof URL === 'function') {
    const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
    return () => new Worker(url);
  }
  return null;
})();

const control = sharedMemorySupported() ? new SharedArrayBuffer(CONTROL_BYTES) : null;
const words = control && new Int32Array(control);
const args = control && new Float64Array(control, ARGS_BYTE, MAX_ARGS);
const workers: WorkerHandle[] = [];
const modules: RegisteredModule[] = [];
/** Jobs handed to workers so far (the threshold's test; the bench's check that threads ran). */
let jobsOnWorkers = 0;
/** Whether Atomics.wait may block this thread (not on a page's main thread: spin there). */
let canBlock = true;

function post(index: number, module: RegisteredModule): void {
  const { id, module: compiled, memory, functions } = module;
  Atomics.add(words!, MAIL_WORD + index, 1);
  workers[index]!.postMessage({ kind: 'module', id, module: compiled, memory, functions });
  // Wake it if it is waiting for a job, so it reads the message.
  Atomics.add(words!, Word.GENERATION, 1);
  Atomics.notify(words!, Word.GENERATION);
}

/** Starts workers until there are `count` (capped by MAX_WORKERS); each is sent every module. */
function ensureWorkers(count: number): void {
  if (!spawnWorker || !words) return;
  while (workers.length < Math.min(count, MAX_WORKERS)) {
    const index = workers.length;
    const worker = spawnWorker(index);
    workers.push(worker);
    worker.postMessage({ kind: 'init', control, index });
    for (const module of modules) post(index, module);
  }
}

/**
 * Makes `module` (instantiated here over `memory`, a shared WebAssembly.Memory it imports as
 * env.memory) available to the workers, its exports `functions` addressable by index; returns its id.
 */
export function registerThreadedModule(module: WebAssembly.Module, memory: WebAssembly.Memory, functions: readonly string[]): number {
  if (modules.length >= MAX_MODULES) throw new Error(`more than ${MAX_MODULES} threaded WebAssembly modules`);
  const registered = { id: modules.length, module, memory, functions };
  modules.push(registered);
  for (let w = 0; w < workers.length; w++) post(w, registered);
  return registered.id;
}

/** The calling thread's part of a job, run while the workers run theirs. */
export type LocalRun = (start: number, end: number) => void;

/**
 * Runs export `fn` (an index into the module's `functions`) as fn(...callArgs, start, end) over
 * ranges that cover [0, tiles), on up to `cpuThreads()` threads: the calling thread runs the first
 * range through `local` (its own instance), ready workers the others, and this returns when all have.
 */
export function runOnPool(moduleId: number, fn: number, callArgs: readonly number[], tiles: number, local: LocalRun): void {
  const threads = Math.min(cpuThreads(), tiles, MAX_WORKERS + 1);
  if (threads <= 1 || !words || !args) return local(0, tiles);
  ensureWorkers(threads - 1);
  const ready = Atomics.load(words, READY_WORD + moduleId);
  const generation = (words[Word.GENERATION]! + 1) | 0;
  let parts = 1;
  for (let w = 0; w < workers.length && parts < threads; w++) {
    if ((ready & (1 << w)) === 0) continue;
    words[SLOT_WORD + w] = parts++;
    Atomics.store(words, JOB_WORD + w, generation);
  }
  if (parts === 1) return local(0, tiles);
  if (callArgs.length > MAX_ARGS) throw new Error(`a threaded kernel takes at most ${MAX_ARGS} arguments`);
  for (let i = 0; i < callArgs.length; i++) args[i] = callArgs[i]!;
  words[Word.MODULE] = moduleId;
  words[Word.FUNCTION] = fn;
  words[Word.ARG_COUNT] = callArgs.length;
  words[Word.TILES] = tiles;
  words[Word.PARTS] = parts;
  words[Word.FAILED] = 0;
  Atomics.store(words, Word.DONE, 0);
  jobsOnWorkers += 1;
  Atomics.add(words, Word.GENERATION, 1);
  // Spinning workers see the new generation by themselves; a notify is for sleeping ones.
  if (Atomics.load(words, Word.SLEEPERS) > 0) Atomics.notify(words, Word.GENERATION);
  let error: unknown = null;
  try {
    local(0, Math.floor(tiles / parts));
  } catch (err) {
    error = err;
  }
  waitForWorkers(parts - 1);
  if (error !== null) throw error;
  if (words[Word.FAILED] !== 0) throw new Error('a kernel failed on a worker thread');
}

function waitForWorkers(count: number): void {
  const done = words!;
  for (let spins = 0; ; spins++) {
    const finished = Atomics.load(done, Word.DONE);
    if (finished >= count) return;
    // A short spin first: the workers' ranges are the same size as ours, so they are usually close.
    if (spins < 2000 || !canBlock) continue;
    try {
      Atomics.wait(done, Word.DONE, finished, 50);
    } catch {
      canBlock = false; // a page's main thread may not block; it spins (the call is synchronous anyway)
    }
  }
}

/**
 * How many threads the CPU kernels use here, in words for a page's status line: "2 threads", or
 * "1 thread" and why not more (a page must be cross-origin isolated to share memory with workers).
 */
export function cpuThreadsNote(): string {
  if (!sharedMemorySupported()) {
    const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
    return `1 thread: ${isolated === false ? 'the page is not cross-origin isolated (serve it with COOP and COEP headers)' : 'this host has no shared memory'}`;
  }
  if (!spawnWorker) return '1 thread: this host cannot start workers';
  const threads = cpuThreads();
  return threads === 1 ? '1 thread' : `${threads} threads`;
}

/**
 * Starts the workers now rather than at the first big product: a page that will train on the CPU
 * calls it when it picks the runtime, so the workers have loaded (a browser starts a Worker only
 * once the page's thread returns to its event loop) before the first epoch needs them.
 */
export function startCpuWorkers(): void {
  if (threadsSupported()) ensureWorkers(cpuThreads() - 1);
}

/** Workers started so far, and jobs they were given. */
export function poolStats(): { workers: number; jobs: number } {
  return { workers: workers.length, jobs: jobsOnWorkers };
}
