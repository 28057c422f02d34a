// CPU time per step of a bench model on one checkout's dist/, a measure that holds up on a loaded
// machine (wall time does not): process CPU time over windows of WINDOW ms (default 300), best of 6.
// Compare two checkouts by running it on each, interleaved:
//
//   NNET_THREADS=1 node bench/cpu/step-time.mjs <checkout> ConvNet:train:64 LeNet5:train:64 ConvNet:infer:64
//
// Each argument is model:train|infer:batch, from bench/cpu/models.nnet; `--models FILE` reads another
// file, e.g. bench/cpu/layers.nnet (a scaled U-Net, DCGAN's generator, a MobileNet-style
// depthwise/separable stack, a decoder with upsampling, grouped conv and group norm):
//
//   NNET_THREADS=1 WINDOW=1500 node bench/cpu/step-time.mjs <checkout> --models bench/cpu/layers.nnet UNet:train:1 Mobile:train:8
//
// and bench/cpu/recurrent.nnet the recurrent layers' training (LSTM, GRU, RNN, a masked LSTM):
//
//   NNET_THREADS=1 node bench/cpu/step-time.mjs <checkout> --models bench/cpu/recurrent.nnet LstmTrain:train:32 MaskedLstmTrain:train:32
//
// `--wall` reports wall time per step instead (best of the windows too): what threads change, which
// CPU time cannot show; it needs the machine to itself, and alternating the checkouts, run after run:
//
//   NNET_THREADS=2 node bench/cpu/step-time.mjs <checkout> --wall --models examples/digits-cnn.nnet DigitsCnn:train:64
//
// Every float input is a fixed wave, every int input alternates 0 and 1, every int label counts 0–9.
import { readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const modelsAt = args.indexOf('--models');
const modelsPath = modelsAt >= 0 ? args.splice(modelsAt, 2)[1] : 'bench/cpu/models.nnet';
const wallAt = args.indexOf('--wall');
const wall = wallAt >= 0 && args.splice(wallAt, 1).length > 0;
const [rootArg, ...workloads] = args;
const root = resolve(rootArg ?? '.');
const load = (path) => import(pathToFileURL(join(root, path)).href);
await load('dist/cli/enable-relaxed-simd.js');
const { checkSource } = await load('dist/compiler/index.js');
const { compileModel } = await load('dist/compiler/compile.js');
const { createCpuExecutor } = await load('dist/runtime/cpu/index.js');
const source = readFileSync(resolve(modelsPath), 'utf8');
const windowMs = Number(process.env.WINDOW ?? 300);

/** A fixed feed for every input and label of the plan, with the batch dim bound to `batch`. */
function feedsOf(plan, batch) {
  const feeds = {};
  for (const name of new Set([...plan.inputs, ...plan.labels])) {
    const t = plan.tensors.find((x) => x.name === name);
    const shape = t.shape.map((d) => (typeof d === 'number' ? d : batch));
    const size = shape.reduce((a, b) => a * b, 1);
    const ints = plan.labels.includes(name) ? 10 : 2;
    feeds[name] = t.dtype === 'i32'
      ? { shape, dtype: 'i32', data: Int32Array.from({ length: size }, (_, i) => i % ints) }
      : { shape, dtype: 'f32', data: Float32Array.from({ length: size }, (_, i) => (i % 97) / 97 - 0.5) };
  }
  return feeds;
}

const results = [];
for (const workload of workloads) {
  const [model, mode, batchText] = workload.split(':');
  const batch = Number(batchText);
  const result = compileModel(checkSource(source, { path: basename(modelsPath) }), model, { target: 'cpu', fuse: true, training: mode === 'train', text: source });
  const weights = new Map();
  for (const [name, data] of result.weights) {
    const t = result.plan.tensors.find((x) => x.name === name);
    weights.set(name, { shape: t.shape, dtype: t.dtype, data });
  }
  const executor = createCpuExecutor(result.plan, weights);
  const feeds = feedsOf(result.plan, batch);
  const step = () => (mode === 'train' ? executor.trainStep(feeds, { lr: 1e-3, seed: 1 }) : executor.infer(feeds));
  for (let i = 0; i < 3; i++) await step();
  let best = Infinity;
  for (let window = 0; window < 6; window++) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    let steps = 0;
    while (performance.now() - start < windowMs) {
      await step();
      steps++;
    }
    const used = process.cpuUsage(cpu);
    best = Math.min(best, wall ? (performance.now() - start) / steps : (used.user + used.system) / 1000 / steps);
  }
  results.push(
    wall
      ? `${model} ${mode} b${batch}: ${best.toFixed(1)} ms wall per step (${Math.round((batch / best) * 1000)} samples/s)`
      : `${model} ${mode} b${batch}: ${best.toFixed(1)} ms CPU per step (${Math.round((batch / best) * 1000)} samples per CPU second)`,
  );
}
console.log(`${root}\n  ${results.join('\n  ')}`);
