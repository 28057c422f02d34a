/**
 * The words the calling thread and the workers share to hand out one job at a time (pool.ts), in one
 * SharedArrayBuffer: Int32 words for the job and its bookkeeping, then float64 arguments.
 *
 * A job is "call export FUNCTION of module MODULE with ARGS, then (start, end)" over the tiles
 * [0, TILES), split into PARTS contiguous ranges: range 0 is the calling thread's, range SLOT[w] that
 * of worker w when JOB[w] holds the job's generation. The calling thread writes the job (JOB[w] last),
 * zeroes DONE, then bumps GENERATION (Atomics, so every word written before is visible to a worker
 * that sees the new generation); each worker whose JOB matches the generation it sees runs its range,
 * adds 1 to DONE and wakes the caller. A worker reads the job only then, so it never reads one being
 * written: the caller writes the next job only after every assigned worker has answered. Other bumps
 * of GENERATION (mail, below) match no JOB and only wake workers. MAIL[w] counts the messages posted to worker w (module
 * registrations): a worker that has not read them all leaves its wait to read them. READY[m] has bit w
 * set once worker w has module m.
 */
export const Word = {
  GENERATION: 0,
  DONE: 1,
  FAILED: 2,
  MODULE: 3,
  FUNCTION: 4,
  ARG_COUNT: 5,
  TILES: 6,
  PARTS: 7,
} as const;

/** Workers at most (READY's bit masks are 31 bits wide). */
export const MAX_WORKERS = 31;
export const MAX_MODULES = 64;
export const MAX_ARGS = 32;

export const JOB_WORD = Word.PARTS + 1;
export const SLOT_WORD = JOB_WORD + MAX_WORKERS;
export const MAIL_WORD = SLOT_WORD + MAX_WORKERS;
export const READY_WORD = MAIL_WORD + MAX_WORKERS;
const INT_WORDS = READY_WORD + MAX_MODULES;
/** Byte offset of the float64 arguments (8-aligned). */
export const ARGS_BYTE = Math.ceil((INT_WORDS * 4) / 8) * 8;
export const CONTROL_BYTES = ARGS_BYTE + MAX_ARGS * 8;
