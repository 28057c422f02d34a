// The conv net of issue 9 on nnet's CPU back end: inference and training at batch 64, fused and
// --no-fuse, interleaved round by round in one process; medians of the rounds, samples/s.
//
//   npm run build && node bench/conv/run.mjs [--rounds 5]
//
// (The side-by-side bench with the peers is bench/cpu/; this one isolates the kernels' own speed.)
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const { checkSource } = await import(join(root, 'dist/compiler/index.js'));
const { compileModel } = await import(join(root, 'dist/compiler/compile.js'));
const { createCpuExecutor } = await import(join(root, 'dist/runtime/cpu/index.js'));

const args = process.argv.slice(2);
const rounds = Number(args[args.indexOf('--rounds') + 1] || 0) || 5;
const source = readFileSync(join(here, 'convnet.nnet'), 'utf8');
const check = checkSource(source, { path: 'convnet.nnet' });
function executor(fuse) {
  const result = compileModel(check, 'ConvNet', { target: 'cpu', fuse, training: true, text: source });
  if (!result.plan) throw new Error(result.diagnostics.map((d) => d.message).join('\n'));
  const weights = new Map();
  for (const [name, data] of result.weights) {
    const t = result.plan.tensors.find((x) => x.name === name);
    weights.set(name, { shape: t.shape, dtype: t.dtype, data });
  }
  return createCpuExecutor(result.plan, weights);
}
const executors = { fused: executor(true), unfused: executor(false) };
const batch = 64;
const image = { shape: [batch, 28, 28, 1], dtype: 'f32', data: Float32Array.from({ length: batch * 784 }, (_, i) => ((i * 7919) % 255) / 255) };
const label = { shape: [batch], dtype: 'i32', data: Int32Array.from({ length: batch }, (_, i) => i % 10) };
const work = {
  infer: (e) => e.infer({ image }),
  train: (e) => e.trainStep({ image, label }, { lr: 1e-3, seed: 1 }),
};

async function rate(run, e) {
  await run(e);
  let steps = 0;
  const start = performance.now();
  while (performance.now() - start < 1500) {
    await run(e);
    steps++;
  }
  return (steps * batch) / ((performance.now() - start) / 1000);
}

const results = {};
for (let round = 0; round < rounds; round++) {
  for (const [w, run] of Object.entries(work)) {
    for (const [name, e] of Object.entries(executors)) ((results[w] ??= {})[name] ??= []).push(await rate(run, e));
  }
  process.stderr.write(`round ${round + 1}/${rounds} done\n`);
}
const median = (xs) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)];
console.log(`\nconv net batch 64, samples/s, median of ${rounds} interleaved rounds (node ${process.version}, ${cpus()[0]?.model})\n`);
console.log('workload    fused   --no-fuse   fused/unfused (median of per-round ratios)');
for (const [w, r] of Object.entries(results)) {
  const ratios = r.fused.map((v, i) => v / r.unfused[i]);
  console.log(`${w.padEnd(8)} ${Math.round(median(r.fused)).toString().padStart(8)} ${Math.round(median(r.unfused)).toString().padStart(11)}   ${median(ratios).toFixed(2)}× (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`);
}
