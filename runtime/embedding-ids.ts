import { DataError } from './data/errors.js';
import type { Plan } from './plan/format.js';
import type { HostTensor } from './tensor.js';

/** A plan input whose values index an embedding table: each must be a whole number in [0, rows). */
export interface IdRange {
  input: string;
  rows: number;
  /** The layer, for the message: `embedding 'tokens' at line 3:7`. */
  layer: string;
}

/** The plan's inputs that an embedding lookup reads directly, with its table's row count. */
export function embeddingIdRanges(plan: Plan): IdRange[] {
  const fed = new Set([...plan.inputs, ...plan.labels]);
  const rows = new Map(plan.tensors.map((t) => [t.name, t.shape[0]]));
  const ranges: IdRange[] = [];
  for (const step of plan.forward) {
    const [ids, table] = step.inputs;
    const count = table === undefined ? undefined : rows.get(table);
    if (step.kernel !== 'embedding' || ids === undefined || !fed.has(ids) || typeof count !== 'number') continue;
    const s = step.source;
    const layer = s ? `${s.op} '${s.layer}'${s.line ? ` at line ${s.line}:${s.column}` : ''}` : `embedding '${step.outputs[0]}'`;
    ranges.push({ input: ids, rows: count, layer });
  }
  return ranges;
}

/**
 * Refuses ids outside their table before a back end reads them, the same on every target: the CPU
 * kernel would stop in the middle of a step, a GPU would read zeros. An input error (NNR5005).
 */
export function checkEmbeddingIds(ranges: readonly IdRange[], inputs: Record<string, HostTensor>): void {
  for (const { input, rows, layer } of ranges) {
    const ids = inputs[input]?.data;
    if (!ids) continue;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (Number.isInteger(id) && id >= 0 && id < rows) continue;
      throw new DataError('NNR5005', `input '${input}' holds ${id} at position ${i}, outside the vocabulary [0, ${rows - 1}] of ${layer}`);
    }
  }
}
