import { InvalidArgumentError } from 'commander';
import { parseThreadCount, setCpuThreads, threadsFromEnvironment, ThreadCountError } from '../runtime/cpu/threads/thread-count.js';

/**
 * `--threads N` (run, train): how many threads the CPU kernels use; without it NNET_THREADS, else
 * every core (runtime/cpu/threads/thread-count.ts). A bad value is NNR4001: a usage error for the
 * flag, an error line (exit code 1) for the variable.
 */
export const THREADS_HELP = 'threads for the CPU kernels (default: NNET_THREADS, else every core)';

export function parseThreads(value: string): number {
  try {
    return parseThreadCount(value, '--threads');
  } catch (err) {
    if (err instanceof ThreadCountError) throw new InvalidArgumentError(`${err.code}: ${err.message}`);
    throw err;
  }
}

/** Applies the flag, or validates NNET_THREADS now (throws ThreadCountError, NNR4001) so a bad one is reported before any work. */
export function applyThreads(flag: number | undefined): void {
  setCpuThreads(flag ?? threadsFromEnvironment() ?? null);
}
