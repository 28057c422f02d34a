import type { CheckedModel } from '../compiler/api-types.js';
import type { GanConfig } from '../compiler/train-config.js';
import { describeCount, describeType } from './describe-type.js';

/**
 * What hover says about a model beyond its name: its inputs and outputs with their shapes, its
 * parameter count, and how it trains (`cross_entropy`, `adam lr 0.001`, 10 epochs of batch 64).
 */
export function describeModel(model: CheckedModel): string[] {
  const { graph } = model;
  const typed = (entries: ReadonlyArray<{ name: string; node: number }>): string =>
    entries.map((e) => `\`${e.name}\` ${describeType(graph.nodes[e.node]!.type)}`).join(', ') || 'none';
  const inputs = graph.inputs.filter((i) => !i.labelOnly);
  const labels = graph.inputs.filter((i) => i.labelOnly);
  const lines = [`${typed(inputs)} → ${typed(graph.outputs)}${labels.length > 0 ? ` · labels ${typed(labels)}` : ''}`];
  const frozen = model.totalParams - model.trainableParams;
  lines.push(`${describeCount(model.totalParams)} parameters${frozen > 0 ? ` (${describeCount(model.trainableParams)} trainable)` : ''}`);
  const train = model.train;
  if (train) lines.push(`trains with **${train.loss.kind}**, ${optimizerText(train.optimizer)}, ${train.epochs} epochs of batch ${train.batch}${train.data ? ` on ${train.data.source}` : ''}`);
  return lines;
}

/** What hover says about a gan: how its two models connect and how it trains. */
export function describeGan(gan: GanConfig, models: readonly CheckedModel[]): string[] {
  const generator = models.find((m) => m.name === gan.generator);
  const fake = generator?.graph.outputs[0]?.name ?? '?';
  return [
    `**${gan.generator}** \`${gan.latentInput}\` → \`${fake}\` → **${gan.discriminator}** \`${gan.sampleInput}\` → real or generated`,
    `trains both adversarially with binary cross-entropy, ${optimizerText(gan.optimizer)}, ${gan.epochs} epochs of batch ${gan.batch}${gan.data ? ` on ${gan.data.source}` : ''}: \`nnet train\``,
  ];
}

function optimizerText(optimizer: GanConfig['optimizer']): string {
  return `${optimizer.kind} lr ${optimizer.lr}`;
}
