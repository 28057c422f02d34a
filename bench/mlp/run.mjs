// MLP 784-512-256-10 benchmark: nnet (CPU, fused and --no-fuse) against TF.js (cpu and wasm
// backends) on the same weights, in ONE process, interleaved round by round; medians of the rounds.
//
//   npm run build && npm run bench:setup && node bench/mlp/run.mjs [--rounds 5] [--quick]
//
// Reports samples/s for inference at batch 1 and 256 and for training at batch 128 with Adam, and
// the ratios nnet / peer. Uses the built dist/ (the same code `nnet` runs).
// As the CLI does: V8's relaxed SIMD on before the runtime compiles its WebAssembly (NNET_RELAXED_SIMD=0: off).
import '../../dist/cli/enable-relaxed-simd.js';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const { checkSource } = await import(join(root, 'dist/compiler/index.js'));
const { compileModel } = await import(join(root, 'dist/compiler/compile.js'));
const { createCpuExecutor } = await import(join(root, 'dist/runtime/cpu/index.js'));

const args = process.argv.slice(2);
const rounds = Number(args[args.indexOf('--rounds') + 1] || 0) || (args.includes('--quick') ? 2 : 5);
const quiet = (fn) => {
  const warn = console.warn;
  const log = console.log;
  console.warn = () => {};
  console.log = () => {};
  try {
    return fn();
  } finally {
    console.warn = warn;
    console.log = log;
  }
};

// ---- nnet ----------------------------------------------------------------------------------
const source = readFileSync(join(here, 'mlp.nnet'), 'utf8');
const check = checkSource(source, { path: 'mlp.nnet' });
function nnetExecutor(fuse) {
  const result = compileModel(check, 'Mlp', { target: 'cpu', fuse, training: true, text: source });
  if (!result.plan) throw new Error(result.diagnostics.map((d) => d.message).join('\n'));
  const weights = new Map();
  for (const [name, data] of result.weights) {
    const t = result.plan.tensors.find((x) => x.name === name);
    weights.set(name, { shape: t.shape, dtype: t.dtype, data });
  }
  return { executor: createCpuExecutor(result.plan, weights), weights };
}
const fused = nnetExecutor(true);
const unfused = nnetExecutor(false);

// ---- TF.js, same initial weights (nnet dense weight [units, in] → TF.js kernel [in, units]) --
const require = createRequire(import.meta.url);
const tf = quiet(() => require('@tensorflow/tfjs'));
const wasm = require('@tensorflow/tfjs-backend-wasm');
wasm.setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), '/'));
function transpose(t) {
  const [rows, cols] = t.shape;
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = t.data[r * cols + c];
  return out;
}
function tfModel() {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [784], units: 512, activation: 'relu' }),
      tf.layers.dense({ units: 256, activation: 'relu' }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  const w = fused.weights;
  model.setWeights(
    ['h1', 'h2', 'logits'].flatMap((layer) => {
      const kernel = w.get(`${layer}.weight`);
      const bias = w.get(`${layer}.bias`);
      return [tf.tensor2d(transpose(kernel), [kernel.shape[1], kernel.shape[0]]), tf.tensor1d(bias.data)];
    }),
  );
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'sparseCategoricalCrossentropy' });
  return model;
}
const backends = {};
for (const name of ['cpu', 'wasm']) {
  await tf.setBackend(name);
  await tf.ready();
  backends[name] = tfModel();
}

// ---- data --------------------------------------------------------------------------------
function randomBatch(n, seed) {
  let s = seed;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  return { x: Float32Array.from({ length: n * 784 }, next), label: Int32Array.from({ length: n }, () => Math.floor(next() * 10)) };
}
const batches = { 1: randomBatch(1, 1), 256: randomBatch(256, 2), 128: randomBatch(128, 3) };

// Same weights → same outputs: check once before timing (tolerance for float32 summation order).
{
  const out = await fused.executor.infer({ x: { shape: [256, 784], dtype: 'f32', data: batches[256].x } });
  await tf.setBackend('cpu');
  const ref = backends.cpu.predict(tf.tensor2d(batches[256].x, [256, 784])).dataSync();
  let maxDiff = 0;
  for (let i = 0; i < ref.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ref[i] - out.probs.data[i]));
  console.log(`same weights: max |nnet − tfjs-cpu| over 256×10 probabilities = ${maxDiff.toExponential(2)}`);
  if (maxDiff > 1e-4) throw new Error('nnet and TF.js disagree: the weights were not transferred correctly');
}

// ---- workloads: each returns samples processed --------------------------------------------
const nnetWork = (exec) => ({
  infer1: async () => (await exec.infer({ x: { shape: [1, 784], dtype: 'f32', data: batches[1].x } }), 1),
  infer256: async () => (await exec.infer({ x: { shape: [256, 784], dtype: 'f32', data: batches[256].x } }), 256),
  train128: async () => (
    await exec.trainStep(
      { x: { shape: [128, 784], dtype: 'f32', data: batches[128].x }, label: { shape: [128], dtype: 'i32', data: batches[128].label } },
      { lr: 1e-3, seed: 1 },
    ),
    128
  ),
});
const tfWork = (backend) => {
  const model = backends[backend];
  const x1 = () => tf.tensor2d(batches[1].x, [1, 784]);
  return {
    setup: () => tf.setBackend(backend),
    infer1: async () => (tf.tidy(() => model.predict(x1()).dataSync()), 1),
    infer256: async () => (tf.tidy(() => model.predict(tf.tensor2d(batches[256].x, [256, 784])).dataSync()), 256),
    train128: async () => {
      const x = tf.tensor2d(batches[128].x, [128, 784]);
      const y = tf.tensor1d(Float32Array.from(batches[128].label));
      await model.trainOnBatch(x, y);
      x.dispose();
      y.dispose();
      return 128;
    },
  };
};
const engines = {
  'nnet (fused)': nnetWork(fused.executor),
  'nnet --no-fuse': nnetWork(unfused.executor),
  'tfjs-cpu': tfWork('cpu'),
  'tfjs-wasm': tfWork('wasm'),
};

/** Runs `work` for at least `minMs` (and 2 calls) after one warm-up call; samples/s. */
async function measure(work, minMs) {
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

const workloads = [
  ['infer1', 'inference, batch 1', 300],
  ['infer256', 'inference, batch 256', 600],
  ['train128', 'training, batch 128, Adam', 1200],
];
const results = {};
for (let round = 0; round < rounds; round++) {
  for (const [key] of workloads) {
    for (const [name, engine] of Object.entries(engines)) {
      await engine.setup?.();
      ((results[key] ??= {})[name] ??= []).push(await measure(engine[key], workloads.find((w) => w[0] === key)[2]));
    }
  }
  process.stderr.write(`round ${round + 1}/${rounds} done\n`);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
console.log(`\nMLP 784-512-256-10, samples/s, median of ${rounds} interleaved rounds (node ${process.version})\n`);
const names = Object.keys(engines);
console.log(['workload'.padEnd(28), ...names.map((n) => n.padStart(15)), '  nnet/cpu', ' nnet/wasm', ' fused/unfused'].join(''));
for (const [key, label] of workloads) {
  const m = Object.fromEntries(names.map((n) => [n, median(results[key][n])]));
  const ratio = (a, b) => `${(m[a] / m[b]).toFixed(2)}×`.padStart(10);
  console.log(
    [label.padEnd(28), ...names.map((n) => Math.round(m[n]).toLocaleString('en-US').padStart(15)), ratio('nnet (fused)', 'tfjs-cpu'), ratio('nnet (fused)', 'tfjs-wasm'), ratio('nnet (fused)', 'nnet --no-fuse').padStart(14)].join(''),
  );
}
