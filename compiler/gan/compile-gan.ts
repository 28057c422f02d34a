import type { CheckResult } from '../api-types.js';
import { compileGraph, reportingBackendErrors, type CompileOptions, type CompileResult } from '../compile.js';
import { defaultTrainSettings } from '../check/train-section.js';
import { backendDiagnostic } from '../emit/backend-diagnostics.js';
import type { GanConfig, LossSpec, TrainConfig } from '../train-config.js';
import { ganGraphs, type TrainingGraph } from './gan-graphs.js';

export { FROZEN_PREFIX, GAN_TARGET } from './gan-graphs.js';

/** A GAN's two training plans (compiler/gan/gan-graphs.ts), or the diagnostics that stop them. */
export type GanCompileResult =
  | { ok: true; gan: GanConfig; discriminator: CompileResult; generator: CompileResult }
  | { ok: false; diagnostics: CompileResult['diagnostics'] };

/**
 * Compiles a checked `gan` declaration into two training plans, both minimising binary
 * cross-entropy from logits with the gan's optimizer: the discriminator's (real → 1, generated → 0)
 * and the generator's through the frozen discriminator (generated → 1).
 */
export function compileGan(check: CheckResult, ganName: string, options: Omit<CompileOptions, 'training'>): GanCompileResult {
  const gan = check.gans.find((g) => g.name === ganName);
  if (!gan) return { ok: false, diagnostics: [backendDiagnostic('NN5001', check.file.range, ganName)] };
  const generator = check.models.find((m) => m.name === gan.generator)!;
  const discriminator = check.models.find((m) => m.name === gan.discriminator)!;
  for (const model of [generator, discriminator]) {
    if (!model.ok) return { ok: false, diagnostics: [backendDiagnostic('NN5002', model.range, model.name)] };
  }
  const graphs = ganGraphs(generator.graph, discriminator.graph, gan.sampleInput, gan.range);
  const compile = (role: 'generator' | 'discriminator', training: TrainingGraph): CompileResult =>
    reportingBackendErrors(gan.range, () => {
      const train = trainConfig(gan, training);
      return compileGraph(training.graph, `${gan.name}/${role}`, train, { ...options, training: true }, train);
    });
  const d = compile('discriminator', graphs.discriminator);
  const g = compile('generator', graphs.generator);
  const diagnostics = [...d.diagnostics, ...g.diagnostics];
  return diagnostics.length > 0 ? { ok: false, diagnostics } : { ok: true, gan, discriminator: d, generator: g };
}

/** The gan's settings, its fixed loss, and the defaults of everything a gan does not set. */
function trainConfig(gan: GanConfig, training: TrainingGraph): TrainConfig {
  const loss: LossSpec = { kind: 'binary_cross_entropy', pred: training.pred, target: training.target, fromLogits: true, sparse: false, delta: 1, smoothing: 0, classWeights: null, range: gan.range };
  return {
    ...defaultTrainSettings(gan.range),
    loss,
    losses: [{ ...loss, weight: 1 }],
    optimizer: gan.optimizer,
    epochs: gan.epochs,
    batch: gan.batch,
    seed: gan.seed,
    data: gan.data,
  };
}
