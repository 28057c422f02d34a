// CPU time per step of bench/cpu/models.nnet's models on one checkout's dist/, a measure that holds
// up on a loaded machine (wall time does not): process CPU time over 300 ms windows, best of 6.
// Compare two checkouts by running it on each, interleaved:
//
//   NNET_THREADS=1 node bench/cpu/step-time.mjs <checkout> ConvNet:train:64 LeNet5:train:64 ConvNet:infer:64
//
// Each argument is model:train|infer:batch.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [rootArg, ...workloads] = process.argv.slice(2);
const root = resolve(rootArg ?? '.');
const load = (path) => import(pathToFileURL(join(root, path)).href);
await load('dist/cli/enable-relaxed-simd.js');
const { checkSource } = await load('dist/compiler/index.js');
const { compileModel } = await load('dist/compiler/compile.js');
const { createCpuExecutor } = await load('dist/runtime/cpu/index.js');
const source = readFileSync(join(root, 'bench/cpu/models.nnet'), 'utf8');

const results = [];
for (const workload of workloads) {
  const [model, mode, batchText] = workload.split(':');
  const batch = Number(batchText);
  const result = compileModel(checkSource(source, { path: 'models.nnet' }), model, { target: 'cpu', fuse: true, training: mode === 'train', text: source });
  const weights = new Map();
  for (const [name, data] of result.weights) {
    const t = result.plan.tensors.find((x) => x.name === name);
    weights.set(name, { shape: t.shape, dtype: t.dtype, data });
  }
  const executor = createCpuExecutor(result.plan, weights);
  const input = result.plan.tensors.find((t) => t.name === result.plan.inputs[0]);
  const shape = input.shape.map((d) => (typeof d === 'number' ? d : batch));
  const size = shape.reduce((a, b) => a * b, 1);
  const feeds = { [input.name]: { shape, dtype: 'f32', data: Float32Array.from({ length: size }, (_, i) => (i % 97) / 97) } };
  if (mode === 'train') for (const name of result.plan.labels) feeds[name] = { shape: [batch], dtype: 'i32', data: Int32Array.from({ length: batch }, (_, i) => i % 10) };
  const step = () => (mode === 'train' ? executor.trainStep(feeds, { lr: 1e-3, seed: 1 }) : executor.infer(feeds));
  for (let i = 0; i < 3; i++) await step();
  let best = Infinity;
  for (let window = 0; window < 6; window++) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    let steps = 0;
    while (performance.now() - start < 300) {
      await step();
      steps++;
    }
    const used = process.cpuUsage(cpu);
    best = Math.min(best, (used.user + used.system) / 1000 / steps);
  }
  results.push(`${model} ${mode} b${batch}: ${best.toFixed(1)} ms CPU per step (${Math.round((batch / best) * 1000)} samples per CPU second)`);
}
console.log(`${root}\n  ${results.join('\n  ')}`);
