import { copyFileSync, mkdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { exportPytorch, PytorchExportError } from '../compiler/pytorch/index.js';
import { pathExists, prepareOutput, writeFileAtomic } from '../files/guarded-files.js';
import { writeSafetensors } from '../runtime/weights/safetensors.js';
import { CliError } from './cli-error.js';
import { compileLoaded, isNnetFile, loadModel } from './model-loading.js';
import { readWeightsFile } from './weights-io.js';

/**
 * `nnet export FILE --format pytorch -o DIR [--weights W] [--model NAME]`: model.py, train.py,
 * README.md, initial.safetensors (the compiled weights, or W) and the train section's data files
 * under data/. Needs the .nnet file: the modules come from the layer graph, not a plan.
 */
export function exportPytorchCommand(file: string, options: { output: string; weights?: string; model?: string }): void {
  if (!isNnetFile(file)) throw new CliError('NNR7101', 'the PyTorch export needs the .nnet file (a plan holds kernels, not layers)', file);
  const loaded = loadModel(file, options.model);
  const { weights } = compileLoaded(loaded, { target: 'cpu', fuse: true, training: false });
  if (options.weights) for (const [name, t] of readWeightsFile(options.weights)) weights.set(name, t);
  let exported;
  try {
    exported = exportPytorch(loaded.check, loaded.model, loaded.text, basename(file));
  } catch (err) {
    if (err instanceof PytorchExportError) throw new CliError(err.code, err.message, file);
    throw err;
  }
  const dir = options.output;
  const inputs = [file, ...(options.weights ? [options.weights] : [])];
  for (const { path, text } of exported.files) {
    const target = join(dir, path);
    prepareOutput(target, { what: path, inputs });
    writeFileAtomic(target, text);
  }
  const initial = join(dir, 'initial.safetensors');
  prepareOutput(initial, { what: 'the initial weights', inputs });
  writeFileAtomic(initial, writeSafetensors(weights, { model: loaded.model.name }));
  const copied: string[] = [];
  for (const data of exported.dataFiles) {
    const source = resolve(dirname(file), data);
    if (!pathExists(source)) continue;
    mkdirSync(join(dir, 'data'), { recursive: true });
    copyFileSync(source, join(dir, 'data', basename(data)));
    copied.push(basename(data));
  }
  const notes = [
    `${exported.files.map((f) => f.path).join(', ')}, initial.safetensors${copied.length > 0 ? `, data/${copied.join(', data/')}` : ''}`,
    ...(exported.builtinData ? [`the data: nnet data export ${exported.builtinData} ${join(dir, 'data', exported.builtinData)}`] : []),
  ];
  process.stderr.write(`wrote ${dir} (${loaded.model.name} as PyTorch: ${notes.join('; ')})\n`);
}
