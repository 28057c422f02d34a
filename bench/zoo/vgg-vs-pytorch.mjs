// Is the VGG-11 stand-in's slow start (examples/zoo/README.md) nnet's or the recipe's? Trains the stand-in
// (bench/zoo/full-run.mjs vgg-digits: the digits made 32×32×3 in front of examples/zoo/vgg-bn.nnet) for a few
// steps in nnet and, from the same initial weights on the same batches, in PyTorch (vgg_vs_pytorch.py: the
// network written with torch.nn.functional, float32 and float64), and prints the losses side by side. The
// steps take the first B·S training digits in order at a constant learning rate (no shuffle, no schedule).
//
//   node bench/zoo/vgg-vs-pytorch.mjs [batch 8] [steps 8] [lr 0.1]      (needs dist/ and python3 with torch)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const dist = (path) => import(join(ROOT, 'dist', path));
const { compileModel } = await dist('compiler/compile.js');
const { checkSource } = await dist('compiler/index.js');
const { createCpuExecutor } = await dist('runtime/cpu/index.js');
const { readSafetensors, writeSafetensors } = await dist('runtime/weights/safetensors.js');
const { readNpy } = await dist('runtime/data/npy.js');

const [B, S, lr] = [Number(process.argv[2] ?? 8), Number(process.argv[3] ?? 8), Number(process.argv[4] ?? 0.1)];
const python = process.env.NNET_PYTHON ?? '/usr/bin/python3';
const work = mkdtempSync(join(tmpdir(), 'vgg-vs-pytorch-'));
const cli = (...args) => execFileSync(process.execPath, [join(ROOT, 'dist/cli/main.js'), ...args], { stdio: ['ignore', 'ignore', 'inherit'] });

// The stand-in's file, as full-run.mjs writes it.
const text = readFileSync(join(ROOT, 'examples/zoo/vgg-bn.nnet'), 'utf8').replace(
  /^(\s*)input image: \[batch, 32, 32, 3\]\n/m,
  (_, i) => `${i}input digit: [batch, 28, 28]\n${i}grey = digit |> reshape([28, 28, 1]) |> pad([2, 2, 0])\n${i}image = concat(grey, grey, grey)\n`,
);
const file = join(work, 'vgg-bn.nnet');
writeFileSync(file, text);
cli('export', file, '--format', 'pytorch', '-o', join(work, 'torch')); // initial.safetensors: nnet's seeded initial weights
cli('data', 'export', 'digits', join(work, 'data'));
const initial = join(work, 'torch/initial.safetensors');

const check = checkSource(text);
const { plan } = compileModel(check, 'VggBn', { target: 'cpu', fuse: true, training: true, text });
const weights = readSafetensors(new Uint8Array(readFileSync(initial))).tensors;
const executor = createCpuExecutor(plan, weights);
const images = readNpy(new Uint8Array(readFileSync(join(work, 'data/train/image.npy'))));
const labels = readNpy(new Uint8Array(readFileSync(join(work, 'data/train/label.npy'))));
const nnet = [];
for (let s = 0; s < S; s++) {
  const digit = { shape: [B, 28, 28], dtype: 'f32', data: images.data.slice(s * B * 784, (s + 1) * B * 784) };
  const label = { shape: [B], dtype: 'i32', data: Int32Array.from(labels.data.subarray(s * B, (s + 1) * B)) };
  nnet.push((await executor.trainStep({ digit, label }, { lr, seed: 1 })).loss);
  if (s === 0) writeFileSync(join(work, 'nnet-step1.safetensors'), writeSafetensors(await executor.getWeights()));
}
const torch = (...extra) => JSON.parse(execFileSync(python, [join(import.meta.dirname, 'vgg_vs_pytorch.py'), initial, join(work, 'data'), String(B), String(S), String(lr), ...extra], { encoding: 'utf8' }));
const f32 = torch('--compare', join(work, 'nnet-step1.safetensors'));
const f64 = torch('f64');
console.log(`VGG-11-BN stand-in, batch ${B}, lr ${lr}, momentum 0.9, l2 2.5e-4: loss per step (cross-entropy + l2 term)`);
console.log('step      nnet   PyTorch f32   PyTorch f64');
nnet.forEach((v, i) => console.log(`${String(i + 1).padStart(4)} ${v.toFixed(5).padStart(9)} ${f32.loss[i].toFixed(5).padStart(13)} ${f64.loss[i].toFixed(5).padStart(13)}`));
console.log(`after step 1, largest |nnet − PyTorch f32| of a weight over the step's largest change to it: ${f32.step1.toExponential(1)}`);
