// CPU time per training step of the zoo's models (examples/zoo/) with the real training loop
// (runtime/train: shuffle, batching, augmentation, metrics, the NaN scan) at each reference's input
// shape and batch, and the time of one epoch and of the full run that follows from it. The samples
// are synthetic (the reference datasets are not bundled): the step's cost depends on the shapes,
// not on the values. CPU time, not wall time, is measured, so a loaded machine counts less; run it
// with one thread for a per-core figure:
//
//   NNET_THREADS=1 nice node bench/zoo/step-time.mjs [checkout] [Model ...]
//
// Each model runs STEPS (default 4) steps per round after one warm-up round, ROUNDS (default 3)
// rounds; the best round's CPU time per step is kept. A model's STEPS/ROUNDS below override the
// defaults for the largest ones. The kernels' WebAssembly memory (at most 4 GiB) is one per process;
// each disposed executor gives its blocks back to it (runtime/cpu/wasm/kernel-memory.ts), so all
// eleven models run in one process, the GPT after the other ten.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const root = resolve(args[0] && !/^[A-Z]/.test(args[0]) ? args.shift() : '.');
const load = (path) => import(pathToFileURL(join(root, path)).href);
await load('dist/cli/enable-relaxed-simd.js');
const { checkSource } = await load('dist/compiler/index.js');
const { compileModel } = await load('dist/compiler/compile.js');
const { compileGan, FROZEN_PREFIX, GAN_TARGET } = await load('dist/compiler/gan/compile-gan.js');
const { withShapes, createExecutor } = await load('dist/cli/model-loading.js');
const { makeDataset } = await load('dist/runtime/data/dataset.js');
const { readLoopConfig, trainModel } = await load('dist/runtime/train/index.js');
const { trainGan } = await load('dist/runtime/train/gan-loop.js');
const { setCpuThreads, threadsFromEnvironment } = await load('dist/runtime/cpu/threads/thread-count.js');
setCpuThreads(threadsFromEnvironment() ?? null);

/**
 * The full run each figure assumes: the symbolic sample dims of the model's inputs, the samples
 * in one epoch of the reference dataset, the epochs (the file's train section unless `epochs`).
 */
const WORKLOADS = [
  { file: 'lenet5', model: 'LeNet5', samples: 8000, dataset: 'the bundled digits' },
  { file: 'vae', model: 'Vae', samples: 8000, dataset: 'the bundled digits' },
  { file: 'vgg-bn', model: 'VggBn', samples: 50000, dataset: 'CIFAR-10', steps: 2, rounds: 2 },
  { file: 'resnet20', model: 'ResNet20', samples: 50000, dataset: 'CIFAR-10' },
  { file: 'unet', model: 'UNet', samples: 480, dataset: 'ISBI 2012 (30 images of 512×512 as 128×128 tiles)', steps: 2, rounds: 2 },
  { file: 'char-lstm', model: 'CharLstm', dims: { seq: 50 }, samples: 21192, dataset: 'tiny-shakespeare (95% of 1,115,394 characters in sequences of 50)' },
  { file: 'bilstm-tagger', model: 'BiLstmTagger', dims: { seq: 64 }, samples: 14041, dataset: 'CoNLL-2003 (14,041 sentences padded to 64 words)' },
  { file: 'multitask', model: 'TicketTriage', dims: { title_len: 10, body_len: 100 }, samples: 1280, dataset: "the Keras guide's random data" },
  { file: 'bert-tiny', model: 'BertTiny', dims: { seq: 128 }, samples: 3668, dataset: 'MRPC (3,668 sentence pairs of 128 word pieces)' },
  { file: 'dcgan', model: 'Dcgan', gan: true, samples: 202599, dataset: 'CelebA (202,599 faces at 64×64)', steps: 1, rounds: 2 },
  { file: 'gpt', model: 'Gpt', dims: { seq: 256 }, samples: 3921, dataset: 'tiny-shakespeare (90% of 1,115,394 characters in windows of 256)', steps: 1, rounds: 2 },
];

/** Synthetic samples of an input: ids 1 (never 0, the padding id; below every vocabulary), labels 0 and 1, floats in [0, 1). */
function syntheticField(tensor, n, dims, label) {
  const shape = [n, ...tensor.shape.slice(1).map((d) => (typeof d === 'number' ? d : dims[d]))];
  if (shape.some((d) => d === undefined)) throw new Error(`${tensor.name}: bind its dims ${JSON.stringify(tensor.shape)}`);
  const size = shape.reduce((a, b) => a * b, 1);
  return tensor.dtype === 'i32'
    ? { shape, dtype: 'i32', data: Int32Array.from({ length: size }, (_, i) => (label ? i % 2 : 1)) }
    : { shape, dtype: 'f32', data: Float32Array.from({ length: size }, (_, i) => (i % 97) / 97) };
}

function datasetFor(plan, names, n, dims) {
  const fields = {};
  for (const name of names) fields[name] = syntheticField(plan.tensors.find((t) => t.name === name), n, dims, plan.labels.includes(name));
  return makeDataset(fields);
}

/** CPU milliseconds per step: one warm-up round, then the best of `rounds` rounds of `steps` steps. */
async function bestCpuPerStep(round, steps, rounds) {
  await round();
  let best = Infinity;
  let wall = Infinity;
  for (let r = 0; r < rounds; r++) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    await round();
    const used = process.cpuUsage(cpu);
    best = Math.min(best, (used.user + used.system) / 1000 / steps);
    wall = Math.min(wall, (performance.now() - start) / steps);
  }
  return { cpu: best, wall };
}

async function timeModel(w, source, steps, rounds) {
  const check = checkSource(source, { path: `${w.file}.nnet` });
  const result = compileModel(check, w.model, { target: 'cpu', fuse: true, training: true, text: source });
  if (!result.plan) throw new Error(`${w.model}: ${result.diagnostics.map((d) => d.message).join('; ')}`);
  const plan = result.plan;
  const config = readLoopConfig(plan);
  const executor = await createExecutor(plan, withShapes(plan, result.weights), 'cpu');
  const train = datasetFor(plan, new Set([...plan.inputs, ...plan.labels]), steps * config.batch, w.dims ?? {});
  const run = { ...config, epochs: 1, validation: 0, earlyStopping: null };
  const timing = await bestCpuPerStep(() => trainModel({ executor, plan, config: run, train, validation: null }), steps, rounds);
  executor.dispose(); // its buffers go back to the process's one WebAssembly heap
  return { ...timing, batch: config.batch, epochs: config.epochs };
}

async function timeGan(w, source, steps, rounds) {
  const check = checkSource(source, { path: `${w.file}.nnet` });
  const gan = check.gans?.find((g) => g.name === w.model) ?? check.gans?.[0];
  const compiled = compileGan(check, w.model, { target: 'cpu', fuse: true, path: `${w.file}.nnet`, text: source, batch: gan.batch });
  if (!compiled.ok) throw new Error(`${w.model}: ${compiled.diagnostics.map((d) => d.message).join('; ')}`);
  const gPlan = compiled.generator.plan;
  const dPlan = compiled.discriminator.plan;
  const config = readLoopConfig(gPlan);
  const generator = await createExecutor(gPlan, withShapes(gPlan, compiled.generator.weights), 'cpu');
  const discriminator = await createExecutor(dPlan, withShapes(dPlan, compiled.discriminator.weights), 'cpu');
  const generatorModel = check.models.find((m) => m.name === gan.generator);
  const names = { latent: gan.latentInput, fake: generatorModel.graph.outputs[0].name, sample: gan.sampleInput, target: GAN_TARGET, frozenPrefix: FROZEN_PREFIX };
  const real = datasetFor(dPlan, [gan.sampleInput], steps * config.batch, {});
  const run = { generator, discriminator, real, names, epochs: 1, batch: config.batch, lr: config.lr, seed: config.seed };
  const timing = await bestCpuPerStep(() => trainGan(run), steps, rounds);
  generator.dispose();
  discriminator.dispose();
  return { ...timing, batch: config.batch, epochs: config.epochs };
}

const hours = (ms) => (ms >= 3600e3 ? `${(ms / 3600e3).toFixed(1)} h` : ms >= 60e3 ? `${(ms / 60e3).toFixed(1)} min` : `${(ms / 1e3).toFixed(1)} s`);
const picked = args.length > 0 ? WORKLOADS.filter((w) => args.includes(w.model)) : WORKLOADS;
for (const w of picked) {
  const source = readFileSync(join(root, 'examples/zoo', `${w.file}.nnet`), 'utf8');
  const steps = Number(process.env.STEPS ?? w.steps ?? 4);
  const rounds = Number(process.env.ROUNDS ?? w.rounds ?? 3);
  const t = await (w.gan ? timeGan(w, source, steps, rounds) : timeModel(w, source, steps, rounds));
  const perEpoch = Math.ceil(w.samples / t.batch);
  console.log(
    `${w.model} (batch ${t.batch}${w.dims ? `, ${Object.entries(w.dims).map(([k, v]) => `${k} ${v}`).join(', ')}` : ''}): ` +
      `${t.cpu.toFixed(0)} ms CPU per step (wall ${t.wall.toFixed(0)} ms; best of ${rounds} × ${steps} steps) · ` +
      `${w.dataset}: ${perEpoch} steps per epoch, ${hours(t.cpu * perEpoch)} CPU per epoch, ` +
      `${t.epochs} epochs ${hours(t.cpu * perEpoch * t.epochs)}`,
  );
}
