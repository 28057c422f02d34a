import { dirname, resolve } from 'node:path';
import { prepareOutput, writeFileAtomic } from '../../files/guarded-files.js';
import { InvalidArgumentError, type Command } from 'commander';
import { loadData } from '../../runtime/data/load.js';
import type { PlanTarget } from '../../runtime/plan/format.js';
import { captureCheckpoint, readCheckpoint, restoreCheckpoint, writeCheckpoint } from '../../runtime/train/checkpoint.js';
import { isClassification, readLoopConfig, type LoopOverrides } from '../../runtime/train/config.js';
import { evaluateDataset, trainModel, type TrainRun } from '../../runtime/train/loop.js';
import { plotHistory } from '../../runtime/train/plot-svg.js';
import { consoleReporter } from '../../runtime/train/progress.js';
import type { CheckResult } from '../../compiler/api-types.js';
import type { GanConfig } from '../../compiler/train-config.js';
import { limitOf } from './compile.js';
import { MEMORY_LIMIT_HELP, parseMemoryLimit } from '../memory-limit.js';
import { CliError, compileLoaded, createExecutor, ensureFits, fileStem, loadChecked, pickModel, runCommand } from '../model-loading.js';
import { trainGanCommand } from './train-gan.js';
import { plural } from '../terminal.js';
import { writeWeightsFile } from '../weights-io.js';
import { applyThreads, parseThreads, THREADS_HELP } from '../threads-option.js';
import { EXIT_USAGE } from '../exit-codes.js';
import type { SetExitCode } from './index.js';

interface TrainOptions {
  data?: string;
  epochs?: number;
  batch?: number;
  seed?: number;
  validation?: number;
  out?: string;
  plot?: string;
  plotLog?: boolean;
  resume?: string;
  checkpoint: string | false;
  target: PlanTarget;
  model?: string;
  fuse: boolean;
  memoryLimit?: number;
  threads?: number;
}

/**
 * `nnet train MODEL.nnet [--data NAME|FILE] [--epochs N] [--batch N] [--seed N] [--out FILE]
 * [--plot FILE] [--resume CHECKPOINT] [--target cpu]`: trains with the model's train section,
 * checkpoints every epoch, and ends with `test accuracy: 0.9xxx` (or `test loss: ...`).
 */
export function register(program: Command, setExitCode: SetExitCode): void {
  program
    .command('train')
    .description("train a model with its train section; report test accuracy (or loss)")
    .argument('<file>', '.nnet file')
    .option('--data <name|file>', 'built-in dataset (digits, iris, xor) or .csv/.json/.npy/.idx file; default: the train section\'s data')
    .option('--epochs <n>', 'number of epochs (overrides the train section)', positiveInt)
    .option('--batch <n>', 'batch size (overrides the train section)', positiveInt)
    .option('--seed <n>', 'seed for initialisation, shuffling, dropout and augmentation', nonNegativeInt)
    .option('--validation <fraction>', 'fraction of the training data held out for validation', fraction)
    .option('--out <weights.safetensors>', 'write the trained weights here')
    .option('--plot <curve.svg>', 'write the loss/accuracy curves as an SVG chart')
    .option('--plot-log', 'draw the loss of --plot on a logarithmic axis')
    .option('--resume <checkpoint>', 'continue from a checkpoint written by an earlier run')
    .option('--checkpoint <file>', 'checkpoint written after every epoch (default: <model file>.checkpoint.safetensors)')
    .option('--no-checkpoint', 'do not write checkpoints')
    .option('--target <target>', 'cpu or webgpu', parseTarget, 'cpu')
    .option('--model <name>', 'the model or gan to train (default: the last model, or the last gan when that model has no train section)')
    .option('--no-fuse', 'compile without fusion (for comparisons)')
    .option('--memory-limit <size>', MEMORY_LIMIT_HELP, parseMemoryLimit)
    .option('--threads <n>', THREADS_HELP, parseThreads)
    .action(async (file: string, options: TrainOptions, command: Command) => {
      if (options.plotLog && !options.plot) command.error('error: --plot-log needs --plot FILE', { exitCode: EXIT_USAGE });
      await runCommand(setExitCode, () => {
        applyThreads(options.threads);
        return train(file, options);
      });
    });
}

async function train(file: string, options: TrainOptions): Promise<void> {
  const checked = loadChecked(file);
  const gan = ganToTrain(checked.check, options.model);
  if (gan) {
    if (options.resume || options.validation !== undefined || options.plot) {
      throw new CliError('NNR5103', `--resume, --validation and --plot apply to models; gan '${gan.name}' trains without them`, file);
    }
    await trainGanCommand(checked, gan, options);
    return;
  }
  const loaded = pickModel(checked, options.model);
  if (!loaded.model.train) {
    const gans = loaded.check.gans.map((g) => `'${g.name}'`).join(', ');
    const hint = gans ? ` (to train the file's gan, name it: --model ${loaded.check.gans[0]!.name})` : '; add one to train it';
    throw new CliError('NNR5103', `model '${loaded.model.name}' has no train section${hint}`, file);
  }
  const overrides: LoopOverrides = {};
  if (options.epochs !== undefined) overrides.epochs = options.epochs;
  if (options.batch !== undefined) overrides.batch = options.batch;
  if (options.seed !== undefined) overrides.seed = options.seed;
  if (options.validation !== undefined) overrides.validation = options.validation;
  const compiled = compileLoaded(loaded, { target: options.target, fuse: options.fuse, training: true, ...(options.seed !== undefined ? { seed: options.seed } : {}), ...limitOf(options), ...(options.batch !== undefined ? { batch: options.batch } : {}) });
  const config = readLoopConfig(compiled.plan, overrides);
  ensureFits(compiled.plan, config.batch, options.memoryLimit);
  const source = options.data ?? config.data?.source;
  if (!source) throw new CliError('NNR5006', 'no data: name a dataset with --data (digits, iris, xor, or a file) or in the train section', file);
  const dataFolder = options.data ? process.cwd() : dirname(file);
  // Every output is made ready (or refused) before the data is read and the model trained: a run
  // is never lost to a missing folder, and no output replaces the model, its data or the checkpoint resumed.
  const inputs = [file, resolve(dataFolder, source)];
  const checkpointPath = options.checkpoint === false ? null : options.checkpoint ?? `${fileStem(file)}.checkpoint.safetensors`;
  if (options.out) prepareOutput(options.out, { what: 'the weights', inputs: [...inputs, ...(options.resume ? [options.resume] : [])] });
  if (options.plot) prepareOutput(options.plot, { what: 'the plot', inputs: [...inputs, ...(options.resume ? [options.resume] : [])] });
  if (checkpointPath) prepareOutput(checkpointPath, { what: 'the checkpoint', inputs });
  const data = loadData(source, { seed: config.seed, ...(options.data ? {} : config.data?.options ?? {}) }, dataFolder);

  const executor = await createExecutor(compiled.plan, compiled.weights, options.target);
  const reporter = consoleReporter();
  try {
    let resume: TrainRun['resume'];
    if (options.resume) {
      const checkpoint = readCheckpoint(options.resume);
      await restoreCheckpoint(executor, checkpoint, options.resume);
      resume = { epochsDone: checkpoint.epochsDone, history: checkpoint.history, best: checkpoint.best };
      reporter.message(`resuming from ${options.resume} after epoch ${checkpoint.epochsDone}`);
    }
    process.stdout.write(
      `training ${compiled.plan.model} on ${source}: ${plural(data.train.length, 'sample')}, ${plural(config.epochs, 'epoch')}, batch ${config.batch}` +
        `${config.validation > 0 ? `, validation ${config.validation}` : ''}, seed ${config.seed}\n`,
    );
    const report = await trainModel({
      executor,
      plan: compiled.plan,
      config,
      train: data.train,
      reporter,
      ...(resume ? { resume } : {}),
      onEpochEnd: async (epoch, history, best) => {
        if (checkpointPath) writeCheckpoint(checkpointPath, await captureCheckpoint(executor, epoch, history, best));
      },
    });
    reporter.close();
    const trained = report.history.length - (resume?.epochsDone ?? 0);
    const samples = trained * Math.round(data.train.length * (1 - config.validation));
    process.stdout.write(
      `trained ${plural(trained, 'epoch')} in ${report.seconds.toFixed(1)}s` +
        ` (${report.seconds > 0 ? Math.round(samples / report.seconds) : 0} samples/s)${report.stoppedEarly ? ', stopped early' : ''}\n`,
    );
    if (options.out) {
      writeWeightsFile(options.out, await executor.getWeights(), { model: compiled.plan.model, epoch: String(report.finalEpoch) });
      process.stdout.write(`wrote weights to ${options.out}\n`);
    }
    if (options.plot) {
      writeFileAtomic(options.plot, plotHistory(report.history, `${compiled.plan.model} on ${source}`, { logLoss: options.plotLog === true }));
      process.stdout.write(`wrote the training curves to ${options.plot}\n`);
    }
    if (checkpointPath) process.stdout.write(`checkpoint: ${checkpointPath}\n`);
    if (data.test && data.test.length > 0) {
      const test = await evaluateDataset(executor, compiled.plan, config, data.test);
      if (isClassification(config.loss.kind) && test.accuracy !== undefined) {
        process.stdout.write(`test loss: ${test.loss.toFixed(4)}\ntest accuracy: ${test.accuracy.toFixed(4)}\n`);
      } else {
        // Every metric of the train section (mae, or a named one such as mae(pixels)).
        const metrics = Object.entries(test).filter(([key, value]) => key !== 'loss' && typeof value === 'number');
        process.stdout.write(`test loss: ${test.loss.toPrecision(6)}${metrics.map(([key, value]) => `\ntest ${key}: ${(value as number).toPrecision(6)}`).join('')}\n`);
      }
    } else process.stdout.write('no test set (file data: add the data option test: 0.2 or test_file)\n');
  } finally {
    reporter.close();
    executor.dispose();
  }
}

/**
 * The gan to train: the one `--model` names; without `--model`, the file's last gan when its last
 * model has no train section of its own (a file of a generator, a discriminator and their gan).
 */
function ganToTrain(check: CheckResult, name: string | undefined): GanConfig | undefined {
  if (name !== undefined) return check.gans.find((g) => g.name === name);
  const lastModel = check.models[check.models.length - 1];
  return lastModel?.train ? undefined : check.gans[check.gans.length - 1];
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}

function fraction(value: string): number {
  const n = Number(value);
  if (!(n >= 0 && n < 1)) throw new InvalidArgumentError('expected a number in [0, 1)');
  return n;
}

function parseTarget(value: string): PlanTarget {
  if (value !== 'cpu' && value !== 'webgpu') throw new InvalidArgumentError('use cpu or webgpu');
  return value;
}
