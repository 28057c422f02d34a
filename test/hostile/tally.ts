/**
 * The figures of the hostile corpus: every input tried, and how many crashed (an exception that is
 * not a user error with a code, or a stack trace printed), hung (over the per-input time limit) or
 * were silently accepted (exit 0, or no error, where one is due). Each file of test/hostile prints
 * its line at the end; the assertions require zero of each.
 */
export interface Tally {
  inputs: number;
  crashes: string[];
  hangs: string[];
  silent: string[];
}

export function newTally(): Tally {
  return { inputs: 0, crashes: [], hangs: [], silent: [] };
}

export function summary(name: string, tally: Tally): string {
  return `hostile corpus (${name}): ${tally.inputs} inputs, ${tally.crashes.length} crashes, ${tally.hangs.length} hangs, ${tally.silent.length} silent acceptances`;
}

/** Resolves with the promise's value, or rejects with HANG after `ms`. */
export async function withinTime<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('HANG')), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A stack trace line as Node prints it: `    at fn (file:line:col)`. */
export const STACK_TRACE = /^\s+at .+[:(]/m;
