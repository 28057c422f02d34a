// Timing and heap helpers of bench/cpu/run.mjs.
import v8 from 'node:v8';
import vm from 'node:vm';

/** How long each measurement first runs its work untimed. */
const WARM_UP_MS = 300;

/** V8's full collection, exposed once (`--expose-gc` set at run time, then read in a new context). */
let fullGc = null;
function collectGarbage() {
  if (!fullGc) {
    v8.setFlagsFromString('--expose-gc');
    fullGc = vm.runInNewContext('gc');
  }
  fullGc();
}

/**
 * Runs `work` (returns the samples it processed) for ≥ `minMs` and ≥ 2 calls, after a full collection
 * (the garbage of the engine measured before is not collected during this one) and WARM_UP_MS of
 * untimed calls; samples/s. With one warm-up call instead, the engine measured right after another
 * engine paid for the switch: nnet's fused MLP at batch 1, measured first in its workload, ran at
 * 0.79–0.87× its --no-fuse plan in three full runs on a Zen 5 host, and at 1.21× with the order
 * reversed. With the warm-up: 0.96× (0.95–1.01) and, reversed, 1.07× (1.05–1.08), so run.mjs also
 * reverses the order every other round.
 */
export async function measureRate(work, minMs) {
  collectGarbage();
  for (const start = performance.now(); performance.now() - start < WARM_UP_MS; ) await work();
  let samples = 0;
  let calls = 0;
  const start = performance.now();
  while (calls < 2 || performance.now() - start < minMs) {
    samples += await work();
    calls++;
  }
  return (samples / (performance.now() - start)) * 1000;
}

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export function spread(values) {
  return [Math.min(...values), Math.max(...values)];
}

/** The spaces where V8 allocates what JS code makes: a step's garbage is made there, and only there. */
const YOUNG_SPACES = new Set(['new_space', 'new_large_object_space']);

/** Used bytes of V8's young spaces and of the whole heap, from heap space statistics in either spelling (v8's, GCProfiler's). */
function usedBytes(spaces) {
  let young = 0;
  let all = 0;
  for (const space of spaces) {
    const used = space.space_used_size ?? space.spaceUsedSize;
    all += used;
    if (YOUNG_SPACES.has(space.space_name ?? space.spaceName)) young += used;
  }
  return { young, all };
}

/** Calls `work` `count` times, awaiting only a returned promise: the same loop for the warm-up and the measured steps, so it is compiled before them. */
async function repeat(work, count) {
  for (let i = 0; i < count; i++) {
    const done = work();
    if (typeof done?.then === 'function') await done;
  }
}

/**
 * What `work` allocates on the V8 heap per call, over `steps` calls after `warmSteps` warm-up calls
 * (enough for V8 to have optimized the code they run: until then the interpreter boxes numbers a
 * step, and compiling allocates too). `youngPerStep`: bytes allocated in the young generation, where
 * all of JS's allocations are made (v8.GCProfiler: what the collections during the steps took out of
 * it, plus how much it grew). `oldGrowth`: how much the rest of the heap grew, where the JIT keeps
 * the code it compiles and its metadata, and where survivors are promoted. Also the collections
 * and the growth of memory held by ArrayBuffers (typed arrays allocated per step would show there).
 * A `work` that returns no promise is not awaited (the synchronous CPU step the training loop
 * calls), so the measurement adds no promise of its own.
 */
export async function measureHeap(work, steps, warmSteps) {
  await repeat(work, warmSteps);
  // What measuring allocates (its statistics objects, the loop's promise) is that of the same
  // measurement over no steps, taken off.
  const idle = await allocated(work, 0);
  const run = await allocated(work, steps);
  return {
    youngPerStep: Math.max(0, run.young - idle.young) / steps,
    oldGrowth: run.old - idle.old,
    gcs: run.gcs,
    arrayBufferGrowth: run.arrayBuffers,
  };
}

/** Bytes allocated in the young generation and growth of the rest of the heap and of ArrayBuffers over `count` calls of `work`. */
async function allocated(work, count) {
  // The profiler starts before the collections that empty the young generation: what starting it
  // allocates is not counted. Its first two records are those collections.
  const profiler = new v8.GCProfiler();
  profiler.start();
  collectGarbage();
  collectGarbage();
  const buffersBefore = process.memoryUsage().arrayBuffers;
  const before = usedBytes(v8.getHeapSpaceStatistics());
  await repeat(work, count);
  const after = usedBytes(v8.getHeapSpaceStatistics());
  const buffersAfter = process.memoryUsage().arrayBuffers;
  const collections = profiler.stop().statistics.slice(2);
  let young = after.young - before.young;
  let all = after.all - before.all;
  for (const { beforeGC, afterGC } of collections) {
    const [b, a] = [usedBytes(beforeGC.heapSpaceStatistics), usedBytes(afterGC.heapSpaceStatistics)];
    young += b.young - a.young;
    all += b.all - a.all;
  }
  return { young, old: all - young, gcs: collections.length, arrayBuffers: buffersAfter - buffersBefore };
}
