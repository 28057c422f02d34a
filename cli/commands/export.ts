import { InvalidArgumentError, type Command } from 'commander';
import { exportOnnx } from '../../runtime/export/onnx.js';
import { prepareOutput, writeFileAtomic } from '../../files/guarded-files.js';
import { compileLoaded, isNnetFile, loadModel, loadPlanFile, runCommand } from '../model-loading.js';
import { readWeightsFile } from '../weights-io.js';
import { exportPytorchCommand } from '../pytorch-export.js';
import type { SetExitCode } from './index.js';

interface ExportOptions {
  format: 'onnx' | 'pytorch';
  output: string;
  weights?: string;
  model?: string;
}

/**
 * `nnet export FILE --format onnx -o model.onnx [--weights W] [--model NAME]`: the model's inference
 * graph and weights as ONNX (opset 13). FILE is a .nnet file or a compiled plan.
 */
export function register(program: Command, setExitCode: SetExitCode): void {
  program
    .command('export')
    .description('export a model (inference graph + weights) to ONNX')
    .argument('<file>', '.nnet file or plan .json')
    .option('--format <format>', 'onnx, or pytorch (a folder: model.py, train.py, weights)', parseFormat, 'onnx')
    .requiredOption('-o, --output <file>', 'where to write the model (the folder, for pytorch)')
    .option('--weights <file>', 'weights (.safetensors) to export instead of the compiled or saved ones')
    .option('--model <name>', 'the model to export (default: the last one in the file)')
    .action(async (file: string, options: ExportOptions) => {
      await runCommand(setExitCode, async () => {
        if (options.format === 'pytorch') return exportPytorchCommand(file, options);
        prepareOutput(options.output, { what: 'the ONNX model', inputs: [file, ...(options.weights ? [options.weights] : [])] });
        const { plan, weights } = isNnetFile(file)
          ? compileLoaded(loadModel(file, options.model), { target: 'cpu', fuse: true, training: false })
          : await loadPlanFile(file, options.weights);
        if (options.weights && isNnetFile(file)) for (const [name, t] of readWeightsFile(options.weights)) weights.set(name, t);
        const bytes = exportOnnx(plan, weights);
        writeFileAtomic(options.output, bytes);
        process.stderr.write(`wrote ${options.output} (${plan.model}, ONNX opset 13, ${(bytes.length / 1024).toFixed(1)} KiB)\n`);
      });
    });
}

function parseFormat(value: string): 'onnx' | 'pytorch' {
  if (value !== 'onnx' && value !== 'pytorch') throw new InvalidArgumentError('use onnx or pytorch');
  return value;
}
