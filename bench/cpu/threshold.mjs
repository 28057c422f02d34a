// Where threads start to pay: the float32 GEMM (dist/runtime/cpu/wasm/sgemm-simd.js) and the
// batch-1 GEMV (gemv-simd.js, x·Wᵀ with a resident W) on 1 and 2 threads, interleaved, over products
// of growing size, with the threshold lowered to 0 so that every product is split. The threshold in
// runtime/cpu/threads/threaded-module.ts (PARALLEL_MIN_WORK) comes from these tables: the smallest
// work where 2 threads are clearly faster than 1. On a shared machine run it at a real-time priority
// (`chrt -f 1 node ...`), or the other processes decide the result.
//   npx tsc -p tsconfig.json && node bench/cpu/threshold.mjs [--rounds 5]
import { poolStats } from '../../dist/runtime/cpu/threads/pool.js';
import { setParallelMinWork } from '../../dist/runtime/cpu/threads/threaded-module.js';
import { setCpuThreads } from '../../dist/runtime/cpu/threads/thread-count.js';
import { sgemmModule, sgemmSimd } from '../../dist/runtime/cpu/wasm/sgemm-simd.js';
import { gemvModule, gemvSimd } from '../../dist/runtime/cpu/wasm/gemv-simd.js';
import { markCacheable } from '../../dist/runtime/cpu/packed-operands.js';

const roundsAt = process.argv.indexOf('--rounds');
const rounds = roundsAt >= 0 ? Number(process.argv[roundsAt + 1]) : 5;
const module = sgemmModule();
const product = (m, n, k, a, b, c) => sgemmSimd(module, a, k, 1, b, n, 1, c, m, n, k);
setParallelMinWork(0);
setCpuThreads(2);

// The worker starts without being waited for; go on once it has taken a job.
{
  const [a, b, c] = [new Float32Array(64 * 64), new Float32Array(64 * 64), new Float32Array(64 * 64)];
  while (poolStats().jobs === 0) {
    product(64, 64, 64, a, b, c);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const median = (xs) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)];

/** Per shape: µs per call on 1 and 2 threads (medians of the rounds) and the median per-round ratio. */
function table(title, shapes, setup) {
  console.log(`\n${title}\n`);
  console.log('| m×n×k | multiply-adds | 1 thread (µs) | 2 threads (µs) | 1 / 2 (median of per-round ratios) |');
  console.log('|---|---:|---:|---:|---:|');
  for (const [m, n, k] of shapes) {
    const call = setup(m, n, k);
    const times = { 1: [], 2: [] };
    const ratios = [];
    for (let round = 0; round < rounds; round++) {
      for (const threads of [1, 2]) {
        setCpuThreads(threads);
        const start = performance.now();
        let calls = 0;
        while (performance.now() - start < 100) {
          call();
          calls += 1;
        }
        times[threads].push(((performance.now() - start) / calls) * 1000);
      }
      ratios.push(times[1].at(-1) / times[2].at(-1));
    }
    console.log(`| ${m}×${n}×${k} | ${(m * n * k).toLocaleString('en-US')} | ${median(times[1]).toFixed(1)} | ${median(times[2]).toFixed(1)} | ${median(ratios).toFixed(2)}× |`);
  }
}

const gemmShapes = [[16, 64, 64], [32, 64, 64], [64, 64, 64], [64, 64, 128], [64, 128, 128], [128, 128, 128], [128, 128, 256], [256, 256, 256]];
table('GEMM (sgemm-simd.js)', gemmShapes, (m, n, k) => {
  const a = Float32Array.from({ length: m * k }, (_, i) => Math.sin(i));
  const b = Float32Array.from({ length: k * n }, (_, i) => Math.cos(i));
  const c = new Float32Array(m * n);
  return () => product(m, n, k, a, b, c);
});

const gemv = gemvModule();
const gemvShapes = [[1, 64, 256], [1, 128, 256], [1, 256, 256], [1, 256, 512], [1, 512, 512], [1, 512, 784], [1, 1024, 1024]];
table('GEMV, batch 1, W resident (gemv-simd.js)', gemvShapes, (m, n, k) => {
  const a = Float32Array.from({ length: m * k }, (_, i) => Math.sin(i));
  const w = Float32Array.from({ length: n * k }, (_, i) => Math.cos(i));
  markCacheable(w);
  const c = new Float32Array(m * n);
  return () => gemvSimd(gemv, a, w, c, m, n, k);
});
process.exit(0);
