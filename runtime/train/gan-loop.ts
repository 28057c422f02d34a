import { shuffledBatches, type Dataset } from '../data/dataset.js';
import { mixSeed as mix, Random } from '../data/random.js';
import type { Executor } from '../executor.js';
import type { HostTensor } from '../tensor.js';
import { TrainError } from './errors.js';
import type { EpochRecord } from './history.js';
import { silentReporter, type ProgressReporter } from './reporter.js';

/**
 * Adversarial training of a GAN compiled into two plans (compiler/gan/): the discriminator's, and
 * the generator's, which runs the generator into a frozen copy of the discriminator.
 *
 * Each batch: one generator step on fresh latent noise with target 1 (its forward pass also yields
 * the generated samples), then one discriminator step on the real batch (target 1) and those
 * samples (target 0), then the discriminator's new weights are copied into the generator's plan.
 * So discriminator step t sees the samples of generator t, and generator step t + 1 is trained
 * against discriminator t + 1: the usual alternation.
 */
export interface GanRun {
  generator: Executor;
  discriminator: Executor;
  /** Real samples under the discriminator's sample input name. */
  real: Dataset;
  names: GanNames;
  epochs: number;
  batch: number;
  lr: number;
  seed: number;
  reporter?: ProgressReporter;
}

export interface GanNames {
  /** The generator's latent input and its output (the generated sample), in the generator's plan. */
  latent: string;
  fake: string;
  /** The discriminator's sample input, in its plan. */
  sample: string;
  /** The target input of both plans, and the prefix of the discriminator's weights in the generator's plan. */
  target: string;
  frozenPrefix: string;
}

export interface GanReport {
  /** `loss` is the generator's mean loss of the epoch, `discriminatorLoss` the discriminator's. */
  history: EpochRecord[];
  seconds: number;
}

export async function trainGan(run: GanRun): Promise<GanReport> {
  const { generator, discriminator, names } = run;
  const reporter = run.reporter ?? silentReporter;
  const started = performance.now();
  const latentShape = sampleShape(generator, names.latent);
  const samples = run.real.fields[names.sample];
  if (!samples) throw new TrainError('NNR5103', `the data has no field '${names.sample}' (the discriminator's input); it has ${Object.keys(run.real.fields).join(', ')}`);
  const sample = sampleShape(discriminator, names.sample);
  checkSampleShape(samples, sample, names.sample);
  await copyDiscriminator(run);

  const history: EpochRecord[] = [];
  const batchesPerEpoch = Math.ceil(run.real.length / run.batch);
  for (let epoch = 0; epoch < run.epochs; epoch++) {
    const epochStart = performance.now();
    const random = new Random(mix(run.seed, epoch));
    reporter.epochStart(epoch + 1, run.epochs, batchesPerEpoch);
    let gTotal = 0;
    let dTotal = 0;
    let count = 0;
    let index = 0;
    for (const batch of shuffledBatches(run.real, run.batch, mix(run.seed, epoch, 1))) {
      const n = batch.length;
      const z = normal([n, ...latentShape], random);
      const g = await generator.trainStep({ [names.latent]: z, [names.target]: filled(n, 1) }, { lr: run.lr, seed: random.seed(), outputs: [names.fake] });
      const fake = g.outputs[names.fake]!;
      const real = batch.fields[names.sample]!;
      const d = await discriminator.trainStep(
        { [names.sample]: concatRows(real, fake, sample), [names.target]: concatRows(filled(n, 1), filled(n, 0), [1]) },
        { lr: run.lr, seed: random.seed() },
      );
      if (!Number.isFinite(g.loss) || !Number.isFinite(d.loss)) {
        throw new TrainError('NNR5101', `the ${Number.isFinite(g.loss) ? 'discriminator' : 'generator'} loss became ${Number.isFinite(g.loss) ? d.loss : g.loss} at epoch ${epoch + 1}, batch ${index + 1}; lower the learning rate`);
      }
      await copyDiscriminator(run);
      gTotal += g.loss * n;
      dTotal += d.loss * n;
      count += n;
      index++;
      reporter.batchEnd(index, { loss: gTotal / count });
    }
    const record: EpochRecord = { epoch: epoch + 1, lr: run.lr, loss: gTotal / count, discriminatorLoss: dTotal / count, seconds: (performance.now() - epochStart) / 1000 };
    history.push(record);
    reporter.epochEnd(record, run.epochs);
  }
  return { history, seconds: (performance.now() - started) / 1000 };
}

/** The generator's weights alone (its plan also holds the frozen discriminator's). */
export async function generatorWeights(run: Pick<GanRun, 'generator' | 'names'>): Promise<Map<string, HostTensor>> {
  const weights = await run.generator.getWeights();
  return new Map([...weights].filter(([name]) => !name.startsWith(run.names.frozenPrefix)));
}

async function copyDiscriminator({ generator, discriminator, names }: GanRun): Promise<void> {
  const weights = await discriminator.getWeights();
  await generator.setWeights(new Map([...weights].map(([name, t]) => [names.frozenPrefix + name, t])));
}

/** An input's shape without its batch dim; every other dim must be concrete. */
function sampleShape(executor: Executor, input: string): number[] {
  const tensor = executor.plan.tensors.find((t) => t.name === input);
  if (!tensor) throw new TrainError('NNR5103', `plan '${executor.plan.model}' has no input '${input}'`);
  const shape = tensor.shape.slice(1);
  if (shape.some((d) => typeof d !== 'number')) throw new TrainError('NNR5103', `input '${input}' must have fixed sizes after the batch dim, got [${tensor.shape.join(', ')}]`);
  return shape as number[];
}

function checkSampleShape(samples: HostTensor, shape: number[], name: string): void {
  const given = samples.shape.slice(1);
  const size = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);
  // Same number of values per sample: [N, 784] data feeds a [batch, 28, 28] input, as elsewhere.
  if (size(given) !== size(shape)) throw new TrainError('NNR5103', `the real samples are [${given.join(', ')}] each, the discriminator's input '${name}' takes [${shape.join(', ')}]`);
}

function normal(shape: number[], random: Random): HostTensor {
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < data.length; i++) data[i] = random.normal();
  return { shape, dtype: 'f32', data };
}

function filled(n: number, value: number): HostTensor {
  return { shape: [n, 1], dtype: 'f32', data: new Float32Array(n).fill(value) };
}

/** `a`'s rows then `b`'s, as a batch of samples of `shape`. */
function concatRows(a: HostTensor, b: HostTensor, shape: number[]): HostTensor {
  const data = new Float32Array(a.data.length + b.data.length);
  data.set(a.data);
  data.set(b.data, a.data.length);
  return { shape: [a.shape[0]! + b.shape[0]!, ...shape], dtype: 'f32', data };
}

