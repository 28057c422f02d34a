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
 *
 * A worker that finds no job spins on GENERATION for a while (WORKER_SPINS loads) before it sleeps,
 * and counts itself in SLEEPERS while it sleeps, so that a job that follows soon (the next layer, the
 * next time step) is taken without a wake-up, and the caller skips Atomics.notify when no worker
 * sleeps. No wake-up is lost: a worker adds itself to SLEEPERS before Atomics.wait compares
 * GENERATION, and the caller bumps GENERATION before it reads SLEEPERS (all sequentially consistent),
 * so either the caller sees the sleeper and notifies, or the worker's wait sees the new generation.
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
  /** Workers asleep in Atomics.wait (or about to be): the caller wakes them only when nonzero. */
  SLEEPERS: 8,
} as const;

/**
 * Loads of GENERATION a worker spins through before it sleeps: ~60 µs on an idle core of the 2-vCPU
 * Xeon (~6 ns a load), longer than the gap between the products of one inference or one recurrent
 * step. Measured there at a real-time priority, 2 threads, against sleeping at once: MLP batch-1
 * inference 10.5 K → 35 K samples/s (its three GEMVs no longer wait for a wake-up each), the LSTM
 * bench 3.9–4.6 K → 5.9 K, conv net b64 unchanged; 30,000 spins cost the conv net 16% (the vCPUs
 * may share a core: a spinning worker slows the caller).
 */
export const WORKER_SPINS = 10_000;

/** Workers at most (READY's bit masks are 31 bits wide). */
export const MAX_WORKERS = 31;
export const MAX_MODULES = 64;
export const MAX_ARGS = 32;

export const JOB_WORD = Word.SLEEPERS + 1;
export const SLOT_WORD = JOB_WORD + MAX_WORKERS;
export const MAIL_WORD = SLOT_WORD + MAX_WORKERS;
export const READY_WORD = MAIL_WORD + MAX_WORKERS;
const INT_WORDS = READY_WORD + MAX_MODULES;
/** Byte offset of the float64 arguments (8-aligned). */
export const ARGS_BYTE = Math.ceil((INT_WORDS * 4) / 8) * 8;
export const CONTROL_BYTES = ARGS_BYTE + MAX_ARGS * 8;
