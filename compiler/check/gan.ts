import type { GanDecl, Setting } from '../../grammar/ast.js';
import type { CheckedModel } from '../api-types.js';
import { formatShape, sameShape } from '../shapes/dims.js';
import { TRAIN_KEYS } from '../ops/registry.js';
import type { GanConfig } from '../train-config.js';
import { LayerGraphBuilder } from './build-graph.js';
import type { CheckContext } from './context.js';
import { Evaluator } from './evaluate.js';
import { Scope } from './resolve.js';
import { suggest } from './suggest.js';
import { TRAIN_DEFAULTS } from '../../runtime/plan/train-settings.js';
import { checkTrainSettings } from './train-section.js';

/** The usual GAN optimizer (Radford et al.): adam with lr 2e-4 and beta1 0.5. */
const GAN_OPTIMIZER: GanConfig['optimizer'] = { kind: 'adam', lr: 2e-4, beta1: 0.5, beta2: 0.999, epsilon: 1e-7 };

/** Train keys that make sense for a gan (the losses are fixed: binary cross-entropy from logits). */
const GAN_TRAIN_KEYS = new Set(['optimizer', 'epochs', 'batch', 'seed', 'data']);

/**
 * Checks a `gan` declaration: its generator and discriminator name checked models, the generator's
 * output fits the discriminator's input, and the discriminator outputs one logit per sample.
 */
export function checkGan(ctx: CheckContext, gan: GanDecl, models: ReadonlyMap<string, CheckedModel>): GanConfig | null {
  const { reporter } = ctx;
  const name = gan.name.name;
  const roles = { generator: undefined as CheckedModel | undefined, discriminator: undefined as CheckedModel | undefined };
  let ok = true;

  for (const setting of gan.settings) {
    const key = setting.key.name;
    if (key !== 'generator' && key !== 'discriminator') {
      const s = suggest(key, setting.key.range, ['generator', 'discriminator']);
      reporter.report('NN3002', [key, s.hint], setting.key.range, s.fix ? { fix: s.fix } : {});
      continue;
    }
    roles[key] = modelOf(ctx, setting, models);
    if (!roles[key]) ok = false;
  }
  for (const role of ['generator', 'discriminator'] as const) {
    if (!roles[role] && ok) {
      reporter.report('NN2024', [name, `needs a ${role}: add '${role} ModelName'`], gan.name.range);
      ok = false;
    }
  }
  const { generator, discriminator } = roles;
  if (!ok || !generator || !discriminator) return null;

  const latent = generator.graph.inputs[0];
  const sample = discriminator.graph.inputs.find((i) => !i.labelOnly) ?? discriminator.graph.inputs[0];
  const fake = generator.graph.outputs[0];
  const score = discriminator.graph.outputs[0];
  if (!latent || !sample || !fake || !score) return null;
  const fakeType = generator.graph.nodes[fake.node]!.type;
  const sampleType = discriminator.graph.nodes[sample.node]!.type;
  if (!sameShape(fakeType.shape, sampleType.shape)) {
    reporter.report('NN2024', [name, `the generator's output '${fake.name}' is ${formatShape(fakeType.shape)}, but the discriminator's input '${sample.name}' is ${formatShape(sampleType.shape)}`], gan.name.range);
    return null;
  }
  const scoreShape = discriminator.graph.nodes[score.node]!.type.shape;
  if (scoreShape.length !== 2 || scoreShape[1] !== 1) {
    reporter.report('NN2024', [name, `the discriminator must output one logit per sample ([batch, 1]), got ${formatShape(scoreShape)}`], gan.name.range);
    return null;
  }

  const config: GanConfig = {
    name,
    generator: generator.name,
    discriminator: discriminator.name,
    latentInput: latent.name,
    sampleInput: sample.name,
    optimizer: GAN_OPTIMIZER,
    epochs: TRAIN_DEFAULTS.epochs,
    batch: TRAIN_DEFAULTS.batch,
    seed: TRAIN_DEFAULTS.seed,
    data: null,
    range: gan.range,
  };
  if (gan.train) {
    const settings = gan.train.settings.filter((s) => {
      if (GAN_TRAIN_KEYS.has(s.key.name) || !Object.hasOwn(TRAIN_KEYS, s.key.name)) return true;
      reporter.report('NN3009', [s.key.name, 'nothing in a gan: its losses are fixed (binary cross-entropy from logits)'], s.key.range);
      return false;
    });
    // The loop settings share the train section's checks; the losses are fixed, so none is required.
    const ev = new Evaluator(ctx, new LayerGraphBuilder(), new Scope(name, ctx.fileScope, ctx.symbols), false);
    const checked = checkTrainSettings(ev, { ...gan.train, settings }, { nodes: [], inputs: [], outputs: [], params: [] }, false);
    if (settings.some((s) => s.key.name === 'optimizer')) config.optimizer = checked.optimizer;
    config.epochs = checked.epochs;
    config.batch = checked.batch;
    config.seed = checked.seed;
    config.data = checked.data;
  }
  return config;
}

function modelOf(ctx: CheckContext, setting: Setting, models: ReadonlyMap<string, CheckedModel>): CheckedModel | undefined {
  const expr = setting.values[0];
  if (setting.values.length !== 1 || expr?.kind !== 'Name') {
    ctx.reporter.report('NN3009', [setting.key.name, 'the name of a model'], setting.range);
    return undefined;
  }
  const binding = ctx.fileScope.lookup(expr.name, expr.range);
  const model = models.get(expr.name);
  if (!binding || !model) {
    const s = suggest(expr.name, expr.range, models.keys());
    if (binding) ctx.reporter.report('NN2024', [setting.key.name, `'${expr.name}' is not a model`], expr.range);
    else ctx.reporter.report('NN2001', [expr.name, s.hint], expr.range, s.fix ? { fix: s.fix } : {});
    return undefined;
  }
  return model;
}
