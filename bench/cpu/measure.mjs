// Timing and heap helpers of bench/cpu/run.mjs.
import v8 from 'node:v8';
import vm from 'node:vm';

/** Runs `work` (returns the samples it processed) for ≥ `minMs` and ≥ 2 calls after one warm-up call; samples/s. */
export async function measureRate(work, minMs) {
  await work();
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

/**
 * Bytes allocated on the V8 heap per call of `work` over `steps` calls after 20 warm-up calls:
 * what the collections during the steps freed (v8.GCProfiler: used heap before − after each) plus
 * how much the used heap grew. Also the growth of memory held by ArrayBuffers (typed arrays
 * allocated per step would show there). A `work` that returns no promise is not awaited (the
 * synchronous CPU step the training loop calls), so the measurement adds no promise of its own.
 */
export async function measureHeap(work, steps) {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc');
  for (let i = 0; i < 20; i++) await work();
  gc();
  gc();
  const before = process.memoryUsage();
  const profiler = new v8.GCProfiler();
  profiler.start();
  for (let i = 0; i < steps; i++) {
    const done = work();
    if (typeof done?.then === 'function') await done;
  }
  const { statistics } = profiler.stop();
  const after = process.memoryUsage();
  const freed = statistics.reduce((n, s) => n + (s.beforeGC.heapStatistics.usedHeapSize - s.afterGC.heapStatistics.usedHeapSize), 0);
  const heapGrowth = after.heapUsed - before.heapUsed;
  return {
    bytesPerStep: Math.max(0, freed + heapGrowth) / steps,
    heapGrowth,
    gcs: statistics.length,
    arrayBufferGrowth: after.arrayBuffers - before.arrayBuffers,
  };
}
