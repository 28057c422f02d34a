// CPU time per call of batchnorm (training), batchnorm_grad and sum_to on the WASM SIMD kernels
// (runtime/cpu/wasm/norm-simd.ts, their per-channel sums in channel-sums.ts), one thread, with the
// [rows, C] operands in the kernels' memory as an executor's are. Run it against two checkouts, interleaved:
//
//   NNET_THREADS=1 nice node bench/cpu/channel-sums.mjs <checkout>
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
const root = resolve(process.argv[2] ?? '.');
const load = (p) => import(pathToFileURL(join(root, p)).href);
const { batchnormSimd, batchnormGradSimd, normModule, sumToSimd } = await load('dist/runtime/cpu/wasm/norm-simd.js');
const { kernelHeap } = await load('dist/runtime/cpu/wasm/kernel-memory.js');
const { setCpuThreads } = await load('dist/runtime/cpu/threads/thread-count.js');
setCpuThreads(1);
const ctx = { training: true, lr: 0, step: 0, seed: 0 };
const t = (shape, data) => ({ shape, data });
const wave = (n, s) => Float32Array.from({ length: n }, (_, i) => Math.sin(s * 1.3 + i * 0.37));
const size = (s) => s.reduce((a, b) => a * b, 1);
// The [rows, C] operands in the kernels' memory (as an executor's tensors are): no copies in or out.
const heap = kernelHeap(normModule().gemm.memory);
const resident = (data) => { const v = heap.view('f32', heap.allocate(data.length * 4), data.length); v.set(data); return v; };
function time(fn) {
  for (let i = 0; i < 5; i++) fn();
  let best = Infinity;
  for (let round = 0; round < 7; round++) {
    const reps = 20;
    const t0 = process.cpuUsage();
    for (let i = 0; i < reps; i++) fn();
    const d = process.cpuUsage(t0);
    best = Math.min(best, (d.user + d.system) / 1000 / reps);
  }
  return best;
}
const out = [];
for (const shape of [[32, 32, 32, 16], [32, 8, 8, 64], [43264, 32]]) {
  const c = shape[shape.length - 1], n = size(shape);
  const x = t(shape, resident(wave(n, 1))), dy = t(shape, resident(wave(n, 2)));
  const g = t([c], wave(c, 3)), b = t([c], wave(c, 4));
  const rm = t([c], new Float32Array(c)), rv = t([c], new Float32Array(c).fill(1));
  const y = t(shape, resident(new Float32Array(n))), mean = t([c], new Float32Array(c)), inv = t([c], new Float32Array(c));
  const dx = t(shape, resident(new Float32Array(n))), dg = t([c], new Float32Array(c)), db = t([c], new Float32Array(c));
  const attrs = { epsilon: 1e-5, momentum: 0.9 };
  const fwd = time(() => batchnormSimd(ctx, [x, g, b, rm, rv], [y, mean, inv], attrs));
  const bwd = time(() => batchnormGradSimd(ctx, [dy, x, g, mean, inv], [dx, dg, db], {}));
  const st = time(() => sumToSimd(ctx, [dy], [t([c], new Float32Array(c))], {}));
  out.push(`[${shape}] bn ${fwd.toFixed(3)} bn_grad ${bwd.toFixed(3)} sum_to ${st.toFixed(3)} ms`);
}
console.log(root, '\n ' + out.join('\n '));
process.exit(0);
