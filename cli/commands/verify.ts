import { InvalidArgumentError, type Command } from 'commander';
import { planLayers } from '../../runtime/verify/layers.js';
import { describeDims, randomInputs, RANDOM_INPUT_SEED } from '../../runtime/verify/random-inputs.js';
import { TARGET_TOLERANCES, VERIFY_TARGETS, verifyLayers, type VerifyTarget } from '../../runtime/verify/verify.js';
import { formatVerifyTable } from '../format/verify-table.js';
import { compileLoaded, ensureFits, isNnetFile, loadModel, loadPlanFile, runCommand } from '../model-loading.js';
import { paintFor } from '../terminal.js';
import { readWeightsFile } from '../weights-io.js';
import { EXIT_ERRORS } from '../exit-codes.js';
import { openTarget } from '../verify-targets.js';
import { parseInputs } from './run.js';
import type { SetExitCode } from './index.js';

interface VerifyOptions {
  against: VerifyTarget;
  weights?: string;
  input?: string;
  model?: string;
  seed: number;
  tolerance?: number;
}

/**
 * `nnet verify MODEL [--against webgpu|onnx|pytorch] [--weights W] [--input J]`: runs the model on nnet's CPU
 * back end and on the target, reads every layer's values from both, and prints per layer the largest
 * absolute and relative difference with the layer's place in the source; the first layer past the
 * tolerance is marked and the exit code is 1. The comparison itself is runtime/verify/.
 */
export function register(program: Command, setExitCode: SetExitCode): void {
  program
    .command('verify')
    .description(`run a model on the CPU and on another target (${VERIFY_TARGETS.join(', ')}) and compare every layer`)
    .argument('<model>', '.nnet file or plan .json')
    .option('--against <target>', `the target to compare with the CPU: ${VERIFY_TARGETS.join(', ')}`, parseTarget, 'webgpu')
    .option('--weights <file>', 'weights (.safetensors) instead of the compiled (seeded) or saved ones')
    .option('--input <json|file>', `inputs like nnet run's (default: a random batch from --seed, batch 2, other symbolic dims 6)`)
    .option('--seed <n>', 'seed of the random input batch', parseSeed, RANDOM_INPUT_SEED)
    .option('--tolerance <x>', `largest difference allowed, times max(1, the layer's largest |value|) (default: ${VERIFY_TARGETS.map((t) => `${t} ${TARGET_TOLERANCES[t].toExponential()}`).join(', ')})`, parseTolerance)
    .option('--model <name>', 'the model to verify (default: the last one in the file)')
    .action(async (file: string, options: VerifyOptions) => {
      await runCommand(setExitCode, async () => {
        const source = isNnetFile(file) ? loadModel(file, options.model) : undefined;
        // PyTorch's modules are the source's layers: unfused, an activation layer keeps its own value.
        const { plan, weights } = source
          ? compileLoaded(source, { target: 'cpu', fuse: options.against !== 'pytorch', training: false })
          : await loadPlanFile(file, options.weights);
        if (options.weights && isNnetFile(file)) for (const [name, t] of readWeightsFile(options.weights)) weights.set(name, t);
        if (planLayers(plan).length === 0) {
          process.stdout.write(`verify ${plan.model}: nothing to compare, the model computes no layer (its outputs are its inputs)\n`);
          return;
        }
        const inputs = options.input !== undefined ? parseInputs(options.input, plan) : randomInputs(plan, options.seed);
        ensureFits(plan, Math.max(1, ...Object.values(inputs).map((t) => t.shape[0] ?? 1)));
        // Imported here, as model-loading.ts does: importing the CPU runtime builds its kernels' WebAssembly.
        const { createCpuExecutor } = await import('../../runtime/cpu/index.js');
        const cpu = createCpuExecutor(plan, weights);
        const target = await openTarget(options.against, plan, weights, source ? { source } : {});
        try {
          const tolerance = options.tolerance ?? TARGET_TOLERANCES[options.against];
          const result = await verifyLayers(plan, (i, n) => cpu.inferTensors(i, n), target.trace, inputs, tolerance);
          const given = options.input !== undefined ? 'the given input' : `a random input (seed ${options.seed}; ${describeDims(plan, inputs) || 'no symbolic dims'})`;
          process.stdout.write(`verify ${plan.model}: CPU vs ${target.name} on ${given}, tolerance ${tolerance.toExponential()} × max(1, |value|)\n`);
          process.stdout.write(`${formatVerifyTable(result, isNnetFile(file) ? file : null, paintFor(process.stdout))}\n`);
          if (result.firstFailure >= 0) setExitCode(EXIT_ERRORS);
        } finally {
          target.dispose();
          cpu.dispose();
        }
      });
    });
}

function parseTarget(value: string): VerifyTarget {
  if (!(VERIFY_TARGETS as string[]).includes(value)) throw new InvalidArgumentError(`use one of ${VERIFY_TARGETS.join(', ')}`);
  return value as VerifyTarget;
}

function parseSeed(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 2 ** 32 - 1) throw new InvalidArgumentError('a whole number from 0 to 4294967295');
  return n;
}

function parseTolerance(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('a number ≥ 0, such as 1e-4');
  return n;
}
