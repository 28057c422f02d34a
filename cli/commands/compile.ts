import { prepareOutput, writeFileAtomic } from '../../files/guarded-files.js';
import { basename, dirname, join } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import type { ExplainEntry } from '../../compiler/compile.js';
import { LineMap } from '../../diagnostics/line-map.js';
import type { PlanTarget } from '../../runtime/plan/format.js';
import { serializePlan } from '../../runtime/plan/serialize.js';
import { CliError, compileLoaded, fileStem, loadModel, runCommand } from '../model-loading.js';
import { plural } from '../terminal.js';
import { writeWeightsFile } from '../weights-io.js';
import type { SetExitCode } from './index.js';
import { MEMORY_LIMIT_HELP, parseMemoryLimit } from '../memory-limit.js';

interface CompileOptions {
  target: PlanTarget;
  output?: string;
  fuse: boolean;
  explain?: boolean;
  model?: string;
  inference?: boolean;
  memoryLimit?: number;
  embedWeights?: boolean;
}

/**
 * `nnet compile FILE --target cpu|webgpu [-o plan.json] [--no-fuse] [--explain] [--model NAME]
 * [--embed-weights]`: writes the executable plan (JSON) and its weights (safetensors, same name with
 * `.safetensors`; with `--embed-weights` inside the plan as base64, one file for a web page);
 * `--explain` lists the fused groups and the refused fusions with their reasons.
 */
export function register(program: Command, setExitCode: SetExitCode): void {
  program
    .command('compile')
    .description('compile a model into an executable plan (JSON) plus weights (safetensors)')
    .argument('<file>', '.nnet file')
    .option('--target <target>', 'cpu or webgpu', parseTarget, 'cpu')
    .option('-o, --output <plan.json>', 'where to write the plan (default: <file>.plan.json next to the source)')
    .option('--no-fuse', 'keep matmul, bias and activation as separate steps')
    .option('--explain', 'print every fused group and every refused fusion with its reason')
    .option('--model <name>', 'the model to compile (default: the last one in the file)')
    .option('--inference', 'leave out the training steps even when the model has a train section')
    .option('--memory-limit <size>', MEMORY_LIMIT_HELP, parseMemoryLimit)
    .option('--embed-weights', 'put the weights into the plan (base64 safetensors) instead of a .safetensors file next to it')
    .action(async (file: string, options: CompileOptions) => {
      await runCommand(setExitCode, async () => {
        const planPath = options.output ?? join(dirname(file), `${fileStem(file)}.plan.json`);
        const weightsPath = planPath.replace(/(\.plan)?\.json$/i, '') + '.safetensors';
        if (weightsPath === planPath) throw new CliError('NN4006', 'cannot write the plan: its weights would go to the same path; name the plan <name>.json', planPath);
        prepareOutput(planPath, { what: 'the plan', inputs: [file] });
        if (!options.embedWeights) prepareOutput(weightsPath, { what: 'the weights', inputs: [file] });
        const loaded = loadModel(file, options.model);
        const training = loaded.model.train !== null && !options.inference;
        const compiled = compileLoaded(loaded, { target: options.target, fuse: options.fuse, training, ...limitOf(options) });
        const plan = compiled.plan;
        if (options.embedWeights) {
          writeFileAtomic(planPath, serializePlan(plan, compiled.weights, { embed: true }).json + '\n');
        } else {
          writeWeightsFile(weightsPath, compiled.weights, { model: plan.model });
          writeFileAtomic(planPath, JSON.stringify({ ...plan, weights: { file: basename(weightsPath) } }, null, 1) + '\n');
        }
        if (options.explain) {
          process.stdout.write(options.fuse ? explainText(compiled.explain, loaded.text, file) : 'fusion disabled (--no-fuse): every op is its own step\n');
        }
        const steps = plan.forward.length + plan.backward.length + plan.update.length;
        const peak = plan.memory ? `, peak activation memory ${(plan.memory.peakBytes / 1024).toFixed(1)} KiB at batch ${plan.memory.referenceBatch}` : '';
        const written = options.embedWeights
          ? `${planPath} (${plural(steps, 'step')}${peak}, weights embedded)`
          : `${planPath} (${plural(steps, 'step')}${peak}) and ${weightsPath}`;
        process.stderr.write(`wrote ${written}
`);
      });
    });
}

/** The `--memory-limit` option as compile options (absent: the default limit). */
export function limitOf(options: { memoryLimit?: number }): { memoryLimit?: number } {
  return options.memoryLimit !== undefined ? { memoryLimit: options.memoryLimit } : {};
}

function parseTarget(value: string): PlanTarget {
  if (value !== 'cpu' && value !== 'webgpu') throw new InvalidArgumentError('use cpu or webgpu');
  return value;
}

/** `digits.nnet:7:5: fused matmul+bias+relu (dense 'h')` / `...: refused ...: reason`. */
export function explainText(entries: readonly ExplainEntry[], text: string, file: string): string {
  if (entries.length === 0) return 'no fusion candidates\n';
  const lines = new LineMap(text);
  return entries
    .map((e) => {
      const at = lines.lineColumn(e.range.start);
      const head = `${file}:${at.line}:${at.column}: ${e.kind} ${e.kernel} (${e.op} '${e.layer}')`;
      return e.reason ? `${head}: ${e.reason}\n` : `${head}\n`;
    })
    .join('');
}
