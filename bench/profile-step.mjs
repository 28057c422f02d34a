// Profiles nnet's CPU training step (MLP 784-512-256-10, batch 128, Adam) or inference (batch 256):
//
//   npm run build && node --cpu-prof --cpu-prof-dir=/tmp/prof bench/profile-step.mjs [train|infer] [steps] [--no-fuse]
//
// The model is bench/cpu/models.nnet's Mlp.
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
const source = readFileSync(join(here, 'cpu', 'models.nnet'), 'utf8');
const check = checkSource(source, { path: 'models.nnet' });
const result = compileModel(check, 'Mlp', { target: 'cpu', fuse, training: true, text: source });
const weights = new Map();
for (const [name, data] of result.weights) {
  const t = result.plan.tensors.find((x) => x.name === name);
  weights.set(name, { shape: t.shape, dtype: t.dtype, data });
}
const executor = createCpuExecutor(result.plan, weights);
const batch = mode === 'train' ? 128 : 256;
const x = { shape: [batch, 784], dtype: 'f32', data: Float32Array.from({ length: batch * 784 }, (_, i) => (i % 97) / 97) };
const label = { shape: [batch], dtype: 'i32', data: Int32Array.from({ length: batch }, (_, i) => i % 10) };
const start = performance.now();
for (let s = 0; s < steps; s++) {
  if (mode === 'train') await executor.trainStep({ x, label }, { lr: 1e-3, seed: s });
  else await executor.infer({ x });
}
const seconds = (performance.now() - start) / 1000;
console.log(`${mode} batch ${batch}${fuse ? '' : ' --no-fuse'}: ${Math.round((steps * batch) / seconds)} samples/s over ${steps} steps`);
