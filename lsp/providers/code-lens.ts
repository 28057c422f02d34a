import type { CodeLens } from 'vscode-languageserver';
import type { CheckResult, CheckedModel } from '../../compiler/api-types.js';
import type { Shape } from '../../compiler/ir/types.js';
import { describeCount } from '../describe-type.js';
import { toRange } from '../positions.js';
import type { ProviderContext } from './context.js';

/** The batch size the memory estimate assumes (Keras's default). */
const LENS_BATCH = 32;
const BYTES_PER_ELEMENT = 4; // f32 and i32 alike

/** Counts a model's fused kernel groups (lsp/fused-groups.ts); the lens omits the figure without one. */
export type FusedGroupCounter = (result: CheckResult, model: CheckedModel) => number | undefined;

/**
 * Above each model: total parameters, the memory one batch of 32 needs (weights plus every
 * activation the layer graph computes), and the number of fused kernel groups when a counter is given.
 */
export function codeLenses(ctx: ProviderContext, countFusedGroups?: FusedGroupCounter): CodeLens[] {
  return ctx.result.models.map((model) => {
    const parts = [`${describeCount(model.totalParams)} params`];
    const memory = batchMemory(model);
    parts.push(`${memory.approximate ? '≥ ' : ''}${memory.megabytes.toFixed(2)} MB for a batch of ${LENS_BATCH}`);
    const fused = model.ok ? countFusedGroups?.(ctx.result, model) : undefined;
    if (fused !== undefined) parts.push(`${fused} fused kernel groups`);
    const start = ctx.document.positionAt(model.range.start);
    return {
      range: toRange(ctx.document, { start: model.range.start, end: model.range.start }),
      command: { title: parts.join(' · '), command: '' },
      data: { line: start.line },
    };
  });
}

/**
 * Weights plus activations for one batch. `batch` becomes 32; a value with another symbolic dim
 * (`seq`) cannot be sized and is left out, which makes the figure a lower bound.
 */
function batchMemory(model: CheckedModel): { megabytes: number; approximate: boolean } {
  let elements = 0;
  let approximate = false;
  for (const node of model.graph.nodes) {
    const size = elementCount(node.type.shape);
    if (size === undefined) approximate = true;
    else elements += size;
  }
  return { megabytes: (elements * BYTES_PER_ELEMENT) / (1024 * 1024), approximate };
}

function elementCount(shape: Shape): number | undefined {
  let count = 1;
  for (const dim of shape) {
    if (typeof dim === 'number') count *= dim;
    else if (dim === 'batch') count *= LENS_BATCH;
    else return undefined;
  }
  return count;
}
