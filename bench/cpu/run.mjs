// `npm run bench:cpu`: nnet's CPU back end against onnxruntime-node (1 and 2 threads),
// onnxruntime-web's WebAssembly backend (SIMD + threads, in Node) and TF.js's wasm backend on its
// fused ops, on the same weights, in ONE process, interleaved round by round.
//
//   npx tsc -p tsconfig.json && npm run bench:setup && node bench/cpu/run.mjs [--quick] [--rounds N] [--only REGEX]
//
// Workloads (bench/cpu/models.nnet): MLP 784-512-256-10 inference b1 and b256 and training b128
// with Adam; the conv net inference and training b64; LeNet-5 training b64; an LSTM (seq 32, 128
// units) inference b32. Also nnet fused vs --no-fuse, nnet with NNET_THREADS=1 vs 2 (child
// processes, interleaved), the training compile of a 1,000-layer model, and the heap over 1,000
// steady-state training steps. Prints medians of samples/s and, per ratio, the median of the
// per-round ratios with their min–max; writes the tables to bench/results/cpu-<date>.md.
// As the CLI does: V8's relaxed SIMD on before the runtime compiles its WebAssembly (NNET_RELAXED_SIMD=0: off).
import '../../dist/cli/enable-relaxed-simd.js';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureHeap, measureRate, median, spread } from './measure.mjs';
import { ARCHITECTURES, feedForwardOnnx, feedForwardTf, loadOnnxWriter, lstmOnnx, lstmTf } from './peers.mjs';
import { generateModel } from '../generated-model.mjs';
import { poolStats } from '../../dist/runtime/cpu/threads/pool.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const quick = flag('--quick');
const rounds = Number(option('--rounds') ?? (quick ? 2 : 5));
const only = new RegExp(option('--only') ?? '.');
const wanted = (label) => only.test(label);
/** Milliseconds of timed work per measurement (after measure.mjs's untimed warm-up). */
const minMs = quick ? 250 : 800;

const { checkSource } = await import(join(root, 'dist/compiler/index.js'));
const { compileModel } = await import(join(root, 'dist/compiler/compile.js'));
const { createCpuExecutor } = await import(join(root, 'dist/runtime/cpu/index.js'));
const { createStepResult } = await import(join(root, 'dist/runtime/executor.js'));

// ---- the machine ---------------------------------------------------------------------------------
// AMD's families by core: on Zen 4 a 512-bit instruction runs as two 256-bit halves, on Zen 5 (EPYC)
// at full width, which doubles a native AVX-512 peer's peak against WebAssembly's 128-bit SIMD.
const AMD_CORES = { 23: 'Zen 1/2', 25: 'Zen 3/4', 26: 'Zen 5' };
function machine() {
  let cpuinfo = '';
  try {
    cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  } catch {}
  const field = (name) => cpuinfo.split('\n').find((l) => l.split(':')[0].trim() === name)?.split(':')[1]?.trim();
  const flags = field('flags') ?? '';
  const simd = /\bavx512f\b/.test(flags) ? 'AVX-512' : /\bavx2\b/.test(flags) ? 'AVX2' : flags ? 'SSE only' : 'unknown';
  const [family, model] = [field('cpu family'), field('model')];
  const core = field('vendor_id') === 'AuthenticAMD' && AMD_CORES[family] ? `, ${AMD_CORES[family]}` : '';
  const name = cpus()[0]?.model ?? 'unknown';
  return { model: family ? `${name} (family ${family} model ${model}${core})` : name, cores: cpus().length, simd, node: process.version };
}
const host = machine();
const loadBefore = loadavg();
console.log(`CPU: ${host.model}, ${host.cores} cores, SIMD class ${host.simd}; node ${host.node}; load average ${loadBefore.map((l) => l.toFixed(1)).join(' ')}`);

// ---- nnet -----------------------------------------------------------------------------------------
const source = readFileSync(join(here, 'models.nnet'), 'utf8');
const check = checkSource(source, { path: 'models.nnet' });
function nnet(model, { fuse = true, training = true } = {}) {
  const result = compileModel(check, model, { target: 'cpu', fuse, training, text: source });
  if (!result.plan) throw new Error(result.diagnostics.map((d) => d.message).join('\n'));
  const weights = new Map();
  for (const [name, data] of result.weights) {
    const t = result.plan.tensors.find((x) => x.name === name);
    weights.set(name, { shape: t.shape.map(Number), dtype: t.dtype, data });
  }
  return { executor: createCpuExecutor(result.plan, weights), weights, plan: result.plan };
}

// ---- data -------------------------------------------------------------------------------------------
function random(n, seed) {
  let s = seed;
  return Float32Array.from({ length: n }, () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
}
const labels = (n, seed) => Int32Array.from(random(n, seed), (v) => Math.floor(v * 10));
const SHAPES = { Mlp: [784], ConvNet: [28, 28, 1], LeNet5: [28, 28, 1], Lstm: [32, 128] };
const LSTM = { seq: 32, features: 128, hidden: 128 };
const batchOf = (model, n, seed) => ({ x: random(n * SHAPES[model].reduce((a, b) => a * b, 1), seed), label: labels(n, seed + 1) });

/** nnet's workloads; each returns the samples it processed. */
function nnetInfer(executor, model, n, seed) {
  const data = batchOf(model, n, seed);
  const name = model === 'Mlp' || model === 'Lstm' ? 'x' : 'image';
  const feeds = { [name]: { shape: [n, ...SHAPES[model]], dtype: 'f32', data: data.x } };
  return async () => (await executor.infer(feeds), n);
}
function nnetTrain(executor, model, n, seed) {
  const data = batchOf(model, n, seed);
  const name = model === 'Mlp' ? 'x' : 'image';
  const feeds = { [name]: { shape: [n, ...SHAPES[model]], dtype: 'f32', data: data.x }, label: { shape: [n], dtype: 'i32', data: data.label } };
  const options = { lr: 1e-3, seed: 1 };
  return async () => (await executor.trainStep(feeds, options), n);
}

/**
 * One training step as runtime/train/loop.ts makes it on the CPU: the synchronous step with the
 * loop's reused options and result record, reading back the prediction its accuracy counts.
 */
function loopStep(executor, plan, n, seed) {
  const data = batchOf('Mlp', n, seed);
  const feeds = { x: { shape: [n, ...SHAPES.Mlp], dtype: 'f32', data: data.x }, label: { shape: [n], dtype: 'i32', data: data.label } };
  const prediction = plan.outputs.find((o) => o.tensor === plan.training.prediction) ?? plan.outputs[0];
  const options = { lr: 1e-3, seed: 1, outputs: [prediction.name] };
  const record = createStepResult();
  return () => (executor.trainStepSync(feeds, options, record), n);
}

/**
 * The thread comparison's workloads, in this process (a child with NNET_THREADS set). The workers
 * start without being waited for, so each workload first runs for WARM_MS: long enough for them to
 * start and take their first jobs, which `workerJobs` then shows were handed out.
 */
const WARM_MS = 300;
async function nnetThreadRates() {
  const mlp = nnet('Mlp', { training: false });
  const conv = nnet('ConvNet', { training: false });
  const works = { 'MLP inference b256': nnetInfer(mlp.executor, 'Mlp', 256, 2), 'conv net inference b64': nnetInfer(conv.executor, 'ConvNet', 64, 4) };
  for (const work of Object.values(works)) {
    for (const start = performance.now(); performance.now() - start < WARM_MS; ) {
      await work();
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }
  const rates = {};
  for (const [label, work] of Object.entries(works)) rates[label] = await measureRate(work, minMs);
  return { rates, workerJobs: poolStats().jobs };
}

// ---- a child run: nnet alone on two workloads, for the thread comparison -----------------------
if (flag('--nnet-threads-child')) {
  const { rates, workerJobs } = await nnetThreadRates();
  process.stdout.write(`\n${JSON.stringify({ rates, workerJobs })}\n`);
  process.exit(0);
}

// ---- compile time, first: before the peers fill the heap (their collections would be timed too) ---
let compile = null;
if (wanted('compile')) {
  const { text, layers } = generateModel(1000);
  const big = checkSource(text);
  // Wall time, and the process's CPU time (all its threads: the collector's too), which a loaded
  // host inflates less.
  const times = (training) => {
    const ms = [];
    const cpu = [];
    for (let i = 0; i < (quick ? 3 : 9) + 1; i++) {
      const cpuStart = process.cpuUsage();
      const start = performance.now();
      const result = compileModel(big, 'Big', { target: 'cpu', fuse: true, training, text });
      const used = process.cpuUsage(cpuStart);
      if (i > 0) ms.push(performance.now() - start);
      if (i > 0) cpu.push((used.user + used.system) / 1000);
      if (!result.plan) throw new Error('the generated model did not compile');
    }
    return { ms, cpu };
  };
  compile = { layers, training: times(true), inference: times(false) };
}
// ---- peers -----------------------------------------------------------------------------------------
const require = createRequire(join(root, 'bench', 'package.json'));
const quiet = (fn) => {
  const { warn, log } = console;
  console.warn = console.log = () => {};
  try {
    return fn();
  } finally {
    Object.assign(console, { warn, log });
  }
};
const ortNode = require('onnxruntime-node');
const ortWeb = await import(require.resolve('onnxruntime-web'));
ortWeb.env.wasm.numThreads = Math.min(2, host.cores);
ortWeb.env.wasm.simd = true;
const tf = quiet(() => require('@tensorflow/tfjs'));
const tfWasm = require('@tensorflow/tfjs-backend-wasm');
tfWasm.setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), '/'));
await tf.setBackend('wasm');
await tf.ready();
const onnx = await loadOnnxWriter(root);

/** ONNX input layout: NCHW for images (C = 1: the same bytes as NHWC), [seq, b, in] for the LSTM. */
function onnxFeed(model, n, seed) {
  const { x } = batchOf(model, n, seed);
  if (model === 'Mlp') return { x: new ortNode.Tensor('float32', x, [n, 784]) };
  if (model === 'Lstm') {
    const { seq, features } = LSTM;
    const t = new Float32Array(x.length);
    for (let b = 0; b < n; b++) for (let s = 0; s < seq; s++) t.set(x.subarray((b * seq + s) * features, (b * seq + s + 1) * features), (s * n + b) * features);
    return { x: new ortNode.Tensor('float32', t, [seq, n, features]) };
  }
  return { x: new ortNode.Tensor('float32', x, [n, 1, 28, 28]) };
}
async function ortSessions(model, weights) {
  const bytes = model === 'Lstm' ? lstmOnnx(onnx, weights, LSTM) : feedForwardOnnx(onnx, ARCHITECTURES[model], weights);
  // Both packages register their backends in the one onnxruntime-common they share: without an
  // explicit provider, onnxruntime-web's session would run on onnxruntime-node's native CPU backend.
  const options = (threads) => ({ executionProviders: ['cpu'], intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all', executionMode: 'sequential' });
  return {
    'ORT-node 1 thr': await ortNode.InferenceSession.create(bytes, options(1)),
    'ORT-node 2 thr': await ortNode.InferenceSession.create(bytes, options(2)),
    'ORT-web wasm': await ortWeb.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' }),
  };
}
function ortInfer(session, model, n, seed, Tensor) {
  const feeds = Object.fromEntries(Object.entries(onnxFeed(model, n, seed)).map(([k, t]) => [k, new Tensor('float32', t.data, t.dims)]));
  return async () => {
    const out = await session.run(feeds);
    for (const t of Object.values(out)) t.dispose?.();
    return n;
  };
}
function tfInfer(forward, model, n, seed) {
  const x = tf.tensor(batchOf(model, n, seed).x, [n, ...SHAPES[model]]);
  return async () => (tf.tidy(() => forward(x).dataSync()), n);
}
function tfTrain(net, model, n, seed) {
  const data = batchOf(model, n, seed);
  const x = tf.tensor(data.x, [n, ...SHAPES[model]]);
  const y = tf.oneHot(tf.tensor1d(data.label, 'int32'), 10).toFloat();
  const optimizer = tf.train.adam(1e-3);
  return async () => {
    const cost = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, net.logits(x)), true, net.vars);
    cost.dataSync();
    cost.dispose();
    return n;
  };
}

/** The largest |a − b| between two outputs (same weights ⇒ equal to float32 summation order). */
function maxDiff(a, b) {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

// ---- the workloads -------------------------------------------------------------------------------
const ENGINES = ['nnet', 'nnet --no-fuse', 'ORT-node 1 thr', 'ORT-node 2 thr', 'ORT-web wasm', 'tfjs-wasm'];
const workloads = [];
const agreement = [];

async function inferenceWorkload(label, model, n, seed) {
  const fused = nnet(model, { training: false });
  const unfused = model === 'Lstm' ? null : nnet(model, { training: false, fuse: false });
  const sessions = await ortSessions(model, fused.weights);
  const tfForward = model === 'Lstm' ? lstmTf(tf, fused.weights, LSTM) : feedForwardTf(tf, ARCHITECTURES[model], fused.weights).probs;
  // Same weights → same outputs: checked once before timing.
  const name = model === 'Mlp' || model === 'Lstm' ? 'x' : 'image';
  const data = batchOf(model, n, seed);
  const ours = Object.values(await fused.executor.infer({ [name]: { shape: [n, ...SHAPES[model]], dtype: 'f32', data: data.x } }))[0].data;
  const diffs = {};
  for (const [engine, session] of Object.entries(sessions)) {
    const Tensor = engine.startsWith('ORT-web') ? ortWeb.Tensor : ortNode.Tensor;
    const feeds = Object.fromEntries(Object.entries(onnxFeed(model, n, seed)).map(([k, t]) => [k, new Tensor('float32', t.data, t.dims)]));
    diffs[engine] = maxDiff(ours, Object.values(await session.run(feeds))[0].data);
  }
  diffs['tfjs-wasm'] = maxDiff(ours, tf.tidy(() => tfForward(tf.tensor(data.x, [n, ...SHAPES[model]])).dataSync()));
  agreement.push([label, diffs]);
  if (Object.values(diffs).some((d) => !(d < 1e-4))) throw new Error(`${label}: the peers disagree with nnet (${JSON.stringify(diffs)}): weights not transferred`);
  workloads.push({
    label,
    engines: {
      nnet: nnetInfer(fused.executor, model, n, seed),
      ...(unfused ? { 'nnet --no-fuse': nnetInfer(unfused.executor, model, n, seed) } : {}),
      ...Object.fromEntries(Object.entries(sessions).map(([e, s]) => [e, ortInfer(s, model, n, seed, e.startsWith('ORT-web') ? ortWeb.Tensor : ortNode.Tensor)])),
      'tfjs-wasm': tfInfer(tfForward, model, n, seed),
    },
  });
}

/** TF.js trains through its wasm backend; tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter, so no conv net. */
function trainingWorkload(label, model, n, seed, { unfused = false } = {}) {
  const fused = nnet(model);
  const convolutional = ARCHITECTURES[model].layers.some(([kind]) => kind === 'conv');
  workloads.push({
    label,
    engines: {
      nnet: nnetTrain(fused.executor, model, n, seed),
      ...(unfused ? { 'nnet --no-fuse': nnetTrain(nnet(model, { fuse: false }).executor, model, n, seed) } : {}),
      ...(convolutional ? {} : { 'tfjs-wasm': tfTrain(feedForwardTf(tf, ARCHITECTURES[model], fused.weights), model, n, seed) }),
    },
  });
}

if (wanted('MLP inference b1')) await inferenceWorkload('MLP inference b1', 'Mlp', 1, 1);
if (wanted('MLP inference b256')) await inferenceWorkload('MLP inference b256', 'Mlp', 256, 2);
if (wanted('MLP training b128 Adam')) trainingWorkload('MLP training b128 Adam', 'Mlp', 128, 3, { unfused: true });
if (wanted('conv net inference b64')) await inferenceWorkload('conv net inference b64', 'ConvNet', 64, 4);
if (wanted('conv net training b64 Adam')) trainingWorkload('conv net training b64 Adam', 'ConvNet', 64, 5, { unfused: true });
if (wanted('LeNet-5 training b64 Adam')) trainingWorkload('LeNet-5 training b64 Adam', 'LeNet5', 64, 6);
if (wanted('LSTM seq 32, 128 units, inference b32')) await inferenceWorkload('LSTM seq 32, 128 units, inference b32', 'Lstm', 32, 7);
for (const [label, diffs] of agreement) {
  console.log(`same weights, ${label}: max |nnet − peer| ${Object.entries(diffs).map(([e, d]) => `${e} ${d.toExponential(1)}`).join(', ')}`);
}

// ---- interleaved rounds ---------------------------------------------------------------------------
const rates = new Map(workloads.map((w) => [w.label, {}]));
const threadRates = [];
const runThreads = wanted('threads') && !flag('--no-threads');
for (let round = 0; round < rounds; round++) {
  for (const workload of workloads) {
    // Every other round in reverse order: whichever engine runs right after another engine's work is
    // a few percent slower (measure.mjs), so no engine always takes that place.
    const engines = Object.entries(workload.engines);
    for (const [engine, work] of round % 2 === 1 ? engines.reverse() : engines) {
      (rates.get(workload.label)[engine] ??= []).push(await measureRate(work, minMs));
    }
  }
  if (runThreads) {
    const child = (threads) => {
      const out = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--nnet-threads-child', ...(quick ? ['--quick'] : [])], {
        env: { ...process.env, NNET_THREADS: String(threads) },
        encoding: 'utf8',
      });
      if (out.status !== 0) throw new Error(`thread child failed: ${out.stderr}`);
      const { rates: childRates, workerJobs } = JSON.parse(out.stdout.trim().split('\n').pop());
      if (threads > 1 && workerJobs === 0) throw new Error(`NNET_THREADS=${threads}: no work went to a worker thread`);
      return childRates;
    };
    threadRates.push({ 1: child(1), 2: child(2) });
  }
  process.stderr.write(`round ${round + 1}/${rounds} done\n`);
}

// ---- heap ----------------------------------------------------------------------------------------------
let heap = null;
if (wanted('heap')) {
  const steps = quick ? 100 : 1000;
  // V8 has optimized the step's functions by then (measured: the young generation took ~2 KB a step
  // over the first 1,000 steps, 33 B over the next 1,000, nothing after).
  const warmSteps = quick ? 500 : 2000;
  const { executor, plan } = nnet('Mlp');
  heap = { steps, warmSteps, ...(await measureHeap(loopStep(executor, plan, 128, 3), steps, warmSteps)) };
}

// ---- report -----------------------------------------------------------------------------------------
const loadAfter = loadavg();
const fmt = (v) => (v === undefined ? '–' : Math.round(v).toLocaleString('en-US'));
const ratio = (label, a, b) => {
  const r = rates.get(label);
  if (!r[a] || !r[b]) return '–';
  const per = r[a].map((x, i) => x / r[b][i]);
  const [lo, hi] = spread(per);
  return `${median(per).toFixed(2)}× (${lo.toFixed(2)}–${hi.toFixed(2)})`;
};
const lines = [];
const date = new Date().toISOString();
lines.push(`CPU: ${host.model}, ${host.cores} cores, SIMD class ${host.simd}. Node ${host.node}. ${date}.`);
lines.push(`Load average ${loadBefore.map((l) => l.toFixed(1)).join(' ')} before, ${loadAfter.map((l) => l.toFixed(1)).join(' ')} after. ${rounds} interleaved rounds, ≥ ${minMs} ms per measurement.`);
lines.push('');
lines.push('Samples/s, median of the rounds; ratios: median of the per-round ratios (min–max). TF.js on its fused ops; it cannot train the conv nets on wasm (tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter kernel).');
lines.push('');
lines.push(`| workload | ${ENGINES.join(' | ')} | nnet / ORT-node 2 thr | nnet / ORT-web | nnet / tfjs-wasm | fused / --no-fuse |`);
lines.push(`|---|${ENGINES.map(() => '---:').join('|')}|---:|---:|---:|---:|`);
for (const { label } of workloads) {
  const r = rates.get(label);
  const cells = ENGINES.map((e) => fmt(r[e] && median(r[e])));
  lines.push(`| ${label} | ${cells.join(' | ')} | ${ratio(label, 'nnet', 'ORT-node 2 thr')} | ${ratio(label, 'nnet', 'ORT-web wasm')} | ${ratio(label, 'nnet', 'tfjs-wasm')} | ${ratio(label, 'nnet', 'nnet --no-fuse')} |`);
}
if (threadRates.length > 0) {
  lines.push('');
  lines.push('nnet with NNET_THREADS=1 and 2 (child processes, one pair per round; samples/s):');
  lines.push('');
  lines.push('| workload | 1 thread | 2 threads | 2 / 1 |');
  lines.push('|---|---:|---:|---:|');
  for (const label of Object.keys(threadRates[0][1])) {
    const one = threadRates.map((t) => t[1][label]);
    const two = threadRates.map((t) => t[2][label]);
    const per = two.map((x, i) => x / one[i]);
    const [lo, hi] = spread(per);
    lines.push(`| ${label} | ${fmt(median(one))} | ${fmt(median(two))} | ${median(per).toFixed(2)}× (${lo.toFixed(2)}–${hi.toFixed(2)}) |`);
  }
}
if (compile) {
  const [lo, hi] = spread(compile.training.ms);
  lines.push('');
  lines.push(
    `Compile of a ${compile.layers}-layer model (bench/generated-model.mjs), median of ${compile.training.ms.length}: ` +
      `for training ${median(compile.training.ms).toFixed(0)} ms (${lo.toFixed(0)}–${hi.toFixed(0)}; CPU time ${median(compile.training.cpu).toFixed(0)} ms), ` +
      `for inference ${median(compile.inference.ms).toFixed(0)} ms (CPU time ${median(compile.inference.cpu).toFixed(0)} ms).`,
  );
}
if (heap) {
  lines.push('');
  lines.push(
    `Heap over ${heap.steps} steady-state MLP training steps after ${heap.warmSteps} warm-up steps (b128, Adam; the training loop's synchronous step, reading back the prediction): ` +
      `${heap.youngPerStep.toFixed(0)} bytes allocated per step in V8's young generation ` +
      `(the rest of the heap, the JIT's code and metadata, grew ${(heap.oldGrowth / 1024).toFixed(0)} KiB; ${heap.gcs} collections during the steps; ` +
      `array buffers ${(heap.arrayBufferGrowth / 1024).toFixed(0)} KiB).`,
  );
}
const table = lines.join('\n');
console.log(`\n${table}\n`);
mkdirSync(join(root, 'bench', 'results'), { recursive: true });
const file = join(root, 'bench', 'results', `cpu-${date.slice(0, 16).replace(/[:T]/g, '-')}${quick ? '-quick' : ''}.md`);
writeFileSync(file, `# npm run bench:cpu${quick ? ' --quick' : ''}\n\n${table}\n`);
console.log(`written: ${file}`);
process.exit(0);
