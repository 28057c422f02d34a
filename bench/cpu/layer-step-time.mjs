// CPU time per training step of bench/cpu/layers.nnet's models (a scaled U-Net, DCGAN's generator,
// a MobileNet-style depthwise/separable stack, a decoder with upsampling, grouped conv and group norm)
// on one checkout's dist/: process CPU time over windows of WINDOW ms (default 1500), best of 4, as
// step-time.mjs measures. Compare two checkouts by running it on each, interleaved:
//
//   NNET_THREADS=1 node bench/cpu/layer-step-time.mjs <checkout> UNet:1 Generator:4 Mobile:8 Decoder:4
//
// Each argument is model:batch. Every float input is a fixed wave, every int input alternates 0 and 1.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [rootArg, ...workloads] = process.argv.slice(2);
const root = resolve(rootArg ?? '.');
const load = (path) => import(pathToFileURL(join(root, path)).href);
await load('dist/cli/enable-relaxed-simd.js');
const { checkSource } = await load('dist/compiler/index.js');
const { compileModel } = await load('dist/compiler/compile.js');
const { createCpuExecutor } = await load('dist/runtime/cpu/index.js');
const source = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'layers.nnet'), 'utf8');
const windowMs = Number(process.env.WINDOW ?? 1500);

const results = [];
for (const workload of workloads) {
  const [model, batchText] = workload.split(':');
  const batch = Number(batchText);
  const result = compileModel(checkSource(source, { path: 'layers.nnet' }), model, { target: 'cpu', fuse: true, training: true, text: source });
  const weights = new Map();
  for (const [name, data] of result.weights) {
    const t = result.plan.tensors.find((x) => x.name === name);
    weights.set(name, { shape: t.shape, dtype: t.dtype, data });
  }
  const executor = createCpuExecutor(result.plan, weights);
  const feeds = {};
  for (const name of new Set([...result.plan.inputs, ...result.plan.labels])) {
    const t = result.plan.tensors.find((x) => x.name === name);
    const shape = t.shape.map((d) => (typeof d === 'number' ? d : batch));
    const size = shape.reduce((a, b) => a * b, 1);
    feeds[name] = t.dtype === 'i32'
      ? { shape, dtype: 'i32', data: Int32Array.from({ length: size }, (_, i) => i % 2) }
      : { shape, dtype: 'f32', data: Float32Array.from({ length: size }, (_, i) => (i % 97) / 97 - 0.5) };
  }
  const step = () => executor.trainStep(feeds, { lr: 1e-3, seed: 1 });
  await step();
  let best = Infinity;
  for (let window = 0; window < 4; window++) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    let steps = 0;
    while (performance.now() - start < windowMs) {
      await step();
      steps++;
    }
    const used = process.cpuUsage(cpu);
    best = Math.min(best, (used.user + used.system) / 1000 / steps);
  }
  results.push(`${model} b${batch}: ${best.toFixed(1)} ms CPU per step`);
}
console.log(`${root}\n  ${results.join('\n  ')}`);
