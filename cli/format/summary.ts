import type { CheckedModel } from '../../compiler/api-types.js';
import { formatShape } from '../../compiler/shapes/dims.js';
import type { GanConfig } from '../../compiler/train-config.js';
import { plural } from '../terminal.js';

/**
 * A model's summary as a table, like Keras's `model.summary()`:
 *
 *   Model Seed
 *   Layer   Op      Output shape   Params
 *   ─────────────────────────────────────
 *   x       input   [batch, 3]          0
 *   ...
 *   Total params: 26 (trainable 26, non-trainable 0)
 */
export function formatSummary(model: CheckedModel): string {
  const header = ['Layer', 'Op', 'Output shape', 'Params'];
  const rows = model.summary.map((row) => [
    row.layer,
    row.op,
    formatShape(row.outputShape) + (row.dtype === 'i32' ? ' int' : ''),
    groupDigits(row.params),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string =>
    cells.map((cell, i) => (i === cells.length - 1 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('   ').trimEnd();
  const rule = '─'.repeat(widths.reduce((a, b) => a + b, 0) + 3 * (widths.length - 1));
  const nonTrainable = model.totalParams - model.trainableParams;
  return [
    `Model ${model.name}`,
    line(header),
    rule,
    ...rows.map(line),
    rule,
    `Total params: ${groupDigits(model.totalParams)} (trainable ${groupDigits(model.trainableParams)}, non-trainable ${groupDigits(nonTrainable)})`,
    '',
  ].join('\n');
}

/**
 * A gan's line under the summaries of its two models:
 *
 *   Gan DigitsGan: Generator z → image → Discriminator image → score [batch, 1]
 *     adam(lr 0.0002, beta1 0.5), 20 epochs, batch 64, seed 42, data digits
 */
export function formatGanSummary(gan: GanConfig, models: readonly CheckedModel[]): string {
  const generator = models.find((m) => m.name === gan.generator);
  const discriminator = models.find((m) => m.name === gan.discriminator);
  const fake = generator?.graph.outputs[0]?.name ?? '?';
  const score = discriminator?.graph.outputs[0];
  const scoreShape = score && discriminator ? ` ${formatShape(discriminator.graph.nodes[score.node]!.type.shape)}` : '';
  const { kind, ...hyper } = gan.optimizer;
  const settings = Object.entries(hyper).map(([key, value]) => `${key} ${value}`).join(', ');
  return [
    `Gan ${gan.name}: ${gan.generator} ${gan.latentInput} → ${fake} → ${gan.discriminator} ${gan.sampleInput} → ${score?.name ?? '?'}${scoreShape}`,
    `  ${kind}(${settings}), ${plural(gan.epochs, 'epoch')}, batch ${gan.batch}, seed ${gan.seed}${gan.data ? `, data ${gan.data.source}` : ''}`,
    '',
  ].join('\n');
}

/** 235146 → 235,146. */
function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
