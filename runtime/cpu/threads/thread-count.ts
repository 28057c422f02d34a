/**
 * How many threads the CPU kernels may use: `setCpuThreads(n)` (the CLI's `--threads`), else the
 * NNET_THREADS environment variable, else every core the host reports (Node's
 * os.availableParallelism(), a page's navigator.hardwareConcurrency). One means the calling thread
 * alone: no worker is started.
 */
const MAX_THREADS = 64;

/** NNR4001: a thread count that is not a whole number from 1 to MAX_THREADS. */
export class ThreadCountError extends Error {
  readonly code = 'NNR4001';
  constructor(source: string, value: string) {
    super(`${source} must be a whole number of threads from 1 to ${MAX_THREADS}, not '${value}'`);
    this.name = 'ThreadCountError';
  }
}

/** The count that `value` (a flag's or variable's text) asks for; throws ThreadCountError. */
export function parseThreadCount(value: string, source: string): number {
  const text = value.trim();
  const n = /^[0-9]+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_THREADS) throw new ThreadCountError(source, value);
  return n;
}

let chosen: number | null = null;

/** Sets the count for every later kernel call (validated); null goes back to the default. */
export function setCpuThreads(count: number | null): void {
  if (count !== null) parseThreadCount(String(count), 'the thread count');
  chosen = count;
}

/** The last NNET_THREADS text parsed and its count: every parallel call asks, and parsing it each time made strings and a match. */
let lastText: string | undefined;
let lastCount = 1;

/** NNET_THREADS when set (validated: a bad value throws ThreadCountError), else undefined. */
export function threadsFromEnvironment(): number | undefined {
  const env = typeof process === 'object' ? process.env : {};
  const value = env.NNET_THREADS;
  if (value === undefined || value === '') return undefined;
  if (value !== lastText) {
    lastCount = parseThreadCount(value, 'NNET_THREADS');
    lastText = value;
  }
  return lastCount;
}

/** The machine's cores, asked once: every parallel call asks for the thread count. */
let cores: number | undefined;
function availableCores(): number {
  return (cores ??= askCores());
}

function askCores(): number {
  const os = typeof process === 'object' ? (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule?.('node:os') : undefined;
  const fromNode = (os as { availableParallelism?: () => number } | undefined)?.availableParallelism?.();
  const fromPage = typeof navigator === 'object' ? navigator.hardwareConcurrency : undefined;
  return Math.max(1, Math.min(MAX_THREADS, fromNode ?? fromPage ?? 1));
}

/** The thread count in effect now. */
export function cpuThreads(): number {
  return chosen ?? threadsFromEnvironment() ?? availableCores();
}
