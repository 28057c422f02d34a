import { InvalidArgumentError, type Command } from 'commander';
import { exportOnnx, ONNX_OPSET } from '../../runtime/export/onnx.js';
import { prepareOutput, writeFileAtomic } from '../../files/guarded-files.js';
import { compileLoaded, isNnetFile, loadChecked, loadPlanFile, pickModel, runCommand, type CheckedFile, type LoadedModel } from '../model-loading.js';
import { readWeightsFile } from '../weights-io.js';
import { basename } from 'node:path';
import { NNET_VERSION } from '../version.js';
import { exportPytorchCommand } from '../pytorch-export.js';
import type { SetExitCode } from './index.js';

interface ExportOptions {
  format: 'onnx' | 'pytorch';
  output: string;
  weights?: string;
  model?: string;
  expose?: string[];
}

/**
 * `nnet export FILE --format onnx -o model.onnx [--weights W] [--model NAME]`: the model's inference
 * graph and weights as ONNX (opset 17; docs/export.md). FILE is a .nnet file or a compiled plan.
 */
export function register(program: Command, setExitCode: SetExitCode): void {
  program
    .command('export')
    .description('export a model (inference graph + weights) to ONNX')
    .argument('<file>', '.nnet file or plan .json')
    .option('--format <format>', 'onnx, or pytorch (a folder: model.py, train.py, weights)', parseFormat, 'onnx')
    .requiredOption('-o, --output <file>', 'where to write the model (the folder, for pytorch)')
    .option('--weights <file>', 'weights (.safetensors) to export instead of the compiled or saved ones')
    .option('--model <name>', 'the model to export, or a gan (its generator); default: the last gan, else the last model')
    .option('--expose <tensors>', 'plan tensors to add as graph outputs too, comma-separated (intermediate values)', (v: string) => v.split(',').map((t) => t.trim()).filter(Boolean))
    .action(async (file: string, options: ExportOptions) => {
      await runCommand(setExitCode, async () => {
        if (options.format === 'pytorch') return exportPytorchCommand(file, options);
        prepareOutput(options.output, { what: 'the ONNX model', inputs: [file, ...(options.weights ? [options.weights] : [])] });
        const loaded = isNnetFile(file) ? pickExported(loadChecked(file), options.model) : undefined;
        const { plan, weights } = loaded ? compileLoaded(loaded, { target: 'cpu', fuse: true, training: false }) : await loadPlanFile(file, options.weights);
        if (options.weights && loaded) for (const [name, t] of readWeightsFile(options.weights)) weights.set(name, t);
        const docString = loaded ? modelDocString(loaded.text, loaded.model.range.start) || `${plan.model}, from ${basename(file)}` : `${plan.model}, from ${basename(file)}`;
        const bytes = exportOnnx(plan, weights, { docString, producerVersion: NNET_VERSION, intermediates: options.expose ?? [] });
        writeFileAtomic(options.output, bytes);
        process.stderr.write(`wrote ${options.output} (${plan.model}, ONNX opset ${ONNX_OPSET}, ${(bytes.length / 1024).toFixed(1)} KiB)\n`);
      });
    });
}

/** `--model`, else the file's (last) gan, which stands for its generator, else its last model. */
function pickExported(file: CheckedFile, modelName: string | undefined): LoadedModel {
  return pickModel(file, modelName ?? file.check.gans.at(-1)?.name);
}

/** The `//` comment lines right above a model's declaration, without the slashes: its doc string. */
function modelDocString(text: string, offset: number): string {
  const lines = text.slice(0, offset).split('\n');
  lines.pop();
  const doc: string[] = [];
  while (lines.length > 0 && /^\s*\/\//.test(lines.at(-1)!)) doc.unshift(lines.pop()!.replace(/^\s*\/\/\s?/, ''));
  return doc.join('\n');
}

function parseFormat(value: string): 'onnx' | 'pytorch' {
  if (value !== 'onnx' && value !== 'pytorch') throw new InvalidArgumentError('use onnx or pytorch');
  return value;
}
