import { dirname, resolve } from 'node:path';
import { prepareOutput } from '../../files/guarded-files.js';
import { compileGan, FROZEN_PREFIX, GAN_TARGET } from '../../compiler/gan/compile-gan.js';
import { renderDiagnostics } from '../../diagnostics/render.js';
import type { GanConfig } from '../../compiler/train-config.js';
import { makeDataset, type Dataset } from '../../runtime/data/dataset.js';
import { loadData } from '../../runtime/data/load.js';
import type { PlanTarget } from '../../runtime/plan/format.js';
import { readLoopConfig, type LoopOverrides } from '../../runtime/train/config.js';
import { generatorWeights, trainGan, type GanNames } from '../../runtime/train/gan-loop.js';
import { consoleReporter } from '../../runtime/train/progress.js';
import { defaultMemoryLimit } from '../memory-limit.js';
import { CliError, createExecutor, DiagnosticsReported, withShapes, type CheckedFile } from '../model-loading.js';
import { plural, stderrPaint } from '../terminal.js';
import { writeWeightsFile } from '../weights-io.js';

export interface GanTrainOptions {
  data?: string;
  epochs?: number;
  batch?: number;
  seed?: number;
  out?: string;
  target: PlanTarget;
  fuse: boolean;
  memoryLimit?: number;
}

/**
 * `nnet train` on a `gan`: compiles its two training plans (compiler/gan/), trains them
 * adversarially on the real samples (runtime/train/gan-loop.ts), prints the generator's and the
 * discriminator's loss per epoch, and writes the generator's weights with `--out` (they load into
 * the generator model: `nnet run FILE --model Generator --weights W`).
 */
export async function trainGanCommand(file: CheckedFile, gan: GanConfig, options: GanTrainOptions): Promise<void> {
  // Both plans must fit the memory limit at the training batch before any weight is allocated.
  const compiled = compileGan(file.check, gan.name, {
    target: options.target,
    fuse: options.fuse,
    path: file.path,
    text: file.text,
    memoryLimit: options.memoryLimit ?? defaultMemoryLimit(),
    batch: options.batch ?? gan.batch,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
  });
  if (!compiled.ok) {
    process.stderr.write(renderDiagnostics(compiled.diagnostics, file.text, file.path, stderrPaint()));
    throw new DiagnosticsReported(`gan '${gan.name}' in ${file.path} could not be compiled; nothing was run`);
  }
  const overrides: LoopOverrides = {};
  if (options.epochs !== undefined) overrides.epochs = options.epochs;
  if (options.batch !== undefined) overrides.batch = options.batch;
  if (options.seed !== undefined) overrides.seed = options.seed;
  const generatorPlan = compiled.generator.plan!;
  const config = readLoopConfig(generatorPlan, overrides);
  const source = options.data ?? config.data?.source;
  if (!source) throw new CliError('NNR5006', `no data: name the real samples with --data (digits, or a file) or in the gan's train section`, file.path);
  const dataFolder = options.data ? process.cwd() : dirname(file.path);
  if (options.out) prepareOutput(options.out, { what: "the generator's weights", inputs: [file.path, resolve(dataFolder, source)] });
  const data = loadData(source, { seed: config.seed, ...(options.data ? {} : config.data?.options ?? {}) }, dataFolder);

  const generatorModel = file.check.models.find((m) => m.name === gan.generator)!;
  const names: GanNames = {
    latent: gan.latentInput,
    fake: generatorModel.graph.outputs[0]!.name,
    sample: gan.sampleInput,
    target: GAN_TARGET,
    frozenPrefix: FROZEN_PREFIX,
  };
  const real = realSamples(data.train, gan.sampleInput);
  const generator = await createExecutor(generatorPlan, withShapes(generatorPlan, compiled.generator.weights), options.target);
  const discriminatorPlan = compiled.discriminator.plan!;
  const discriminator = await createExecutor(discriminatorPlan, withShapes(discriminatorPlan, compiled.discriminator.weights), options.target);
  const reporter = consoleReporter();
  try {
    process.stdout.write(
      `training gan ${gan.name} (${gan.generator} against ${gan.discriminator}) on ${source}: ${plural(real.length, 'real sample')}, ` +
        `${plural(config.epochs, 'epoch')}, batch ${config.batch}, seed ${config.seed}\n`,
    );
    const run = { generator, discriminator, real, names, epochs: config.epochs, batch: config.batch, lr: config.lr, seed: config.seed, reporter };
    const report = await trainGan(run);
    reporter.close();
    const samples = config.epochs * real.length;
    process.stdout.write(`trained ${plural(config.epochs, 'epoch')} in ${report.seconds.toFixed(1)}s (${report.seconds > 0 ? Math.round(samples / report.seconds) : 0} samples/s)\n`);
    if (options.out) {
      writeWeightsFile(options.out, await generatorWeights(run), { model: gan.generator, epoch: String(config.epochs) });
      process.stdout.write(`wrote the generator's weights to ${options.out} (run them with --model ${gan.generator} --weights ${options.out})\n`);
    }
  } finally {
    reporter.close();
    generator.dispose();
    discriminator.dispose();
  }
}

/** The real samples under the discriminator's input name: that field, or the data's only non-label field. */
function realSamples(data: Dataset, sampleInput: string): Dataset {
  const field = data.fields[sampleInput];
  if (field) return makeDataset({ [sampleInput]: field });
  const candidates = Object.keys(data.fields).filter((name) => name !== data.labelField);
  if (candidates.length !== 1) {
    throw new CliError('NNR5006', `the data has no field '${sampleInput}' (the discriminator's input) and ${candidates.length} others (${candidates.join(', ')}): name one '${sampleInput}'`);
  }
  return makeDataset({ [sampleInput]: data.fields[candidates[0]!]! });
}
