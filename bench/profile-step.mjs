// Profiles nnet's CPU training step or inference on one of bench/cpu/models.nnet's models (default
// Mlp: 784-512-256-10, training batch 128 with Adam, inference batch 256; the others use their own
// train batch for both):
//
//   npm run build && node --cpu-prof --cpu-prof-dir=/tmp/prof bench/profile-step.mjs [train|infer] [steps] [--no-fuse] [--model ConvNet]
//
//
// then open the .cpuprofile in Chrome DevTools, or print the self-time table with --summary.
// As the CLI does: V8's relaxed SIMD on before the runtime compiles its WebAssembly (NNET_RELAXED_SIMD=0: off).
import '../dist/cli/enable-relaxed-simd.js';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const { checkSource } = await import(join(root, 'dist/compiler/index.js'));
const { compileModel } = await import(join(root, 'dist/compiler/compile.js'));
const { createCpuExecutor } = await import(join(root, 'dist/runtime/cpu/index.js'));

const [mode = 'train', stepsArg = '200'] = process.argv.slice(2);
const steps = Number(stepsArg);
const fuse = !process.argv.includes('--no-fuse');
const modelAt = process.argv.indexOf('--model');
const modelName = modelAt > 0 ? process.argv[modelAt + 1] : 'Mlp';
const source = readFileSync(join(here, 'cpu', 'models.nnet'), 'utf8');
const check = checkSource(source, { path: 'models.nnet' });
const result = compileModel(check, modelName, { target: 'cpu', fuse, training: mode === 'train', text: source });
const weights = new Map();
for (const [name, data] of result.weights) {
  const t = result.plan.tensors.find((x) => x.name === name);
  weights.set(name, { shape: t.shape, dtype: t.dtype, data });
}
const executor = createCpuExecutor(result.plan, weights);
const batch = modelName === 'Mlp' ? (mode === 'train' ? 128 : 256) : modelName === 'Lstm' ? 32 : 64;
// The one float input, its leading dim the batch; the labels (if training) are classes 0..9.
const input = result.plan.tensors.find((t) => t.name === result.plan.inputs[0]);
const shape = input.shape.map((d) => (typeof d === 'number' ? d : batch));
const size = shape.reduce((a, b) => a * b, 1);
const feeds = { [input.name]: { shape, dtype: 'f32', data: Float32Array.from({ length: size }, (_, i) => (i % 97) / 97) } };
for (const name of mode === 'train' ? result.plan.labels : []) {
  feeds[name] = { shape: [batch], dtype: 'i32', data: Int32Array.from({ length: batch }, (_, i) => i % 10) };
}
const start = performance.now();
for (let s = 0; s < steps; s++) {
  if (mode === 'train') await executor.trainStep(feeds, { lr: 1e-3, seed: s });
  else await executor.infer(feeds);
}
const seconds = (performance.now() - start) / 1000;
console.log(`${modelName} ${mode} batch ${batch}${fuse ? '' : ' --no-fuse'}: ${Math.round((steps * batch) / seconds)} samples/s over ${steps} steps`);
