import { DataError } from './data/errors.js';
import type { Plan, PlanStep } from './plan/format.js';
import type { HostTensor } from './tensor.js';

/**
 * A plan input whose values are indices — token ids into an embedding table, class labels of a
 * sparse cross-entropy — so each must be a whole number in [0, count).
 */
export interface IndexRange {
  input: string;
  count: number;
  /** What the indices pick: `vocabulary` or `classes`, for the message. */
  of: 'vocabulary' | 'classes';
  /** The layer, for the message: `embedding 'tokens' at line 3:7`. */
  layer: string;
}

/** The plan's inputs (and labels) that an embedding lookup or a sparse cross-entropy reads directly. */
export function indexInputRanges(plan: Plan): IndexRange[] {
  const fed = new Set([...plan.inputs, ...plan.labels]);
  const shapes = new Map(plan.tensors.map((t) => [t.name, t.shape]));
  const ranges: IndexRange[] = [];
  for (const step of [...plan.forward, ...plan.backward]) {
    const [first, second] = step.inputs;
    if (first === undefined || second === undefined) continue;
    let range: Omit<IndexRange, 'layer'> | undefined;
    if (step.kernel === 'embedding') range = { input: first, count: shapes.get(second)?.[0] as number, of: 'vocabulary' };
    if (step.kernel === 'sparse_softmax_cross_entropy_loss') range = { input: second, count: shapes.get(first)?.at(-1) as number, of: 'classes' };
    if (range && fed.has(range.input) && typeof range.count === 'number') ranges.push({ ...range, layer: layerOf(step) });
  }
  return ranges;
}

/**
 * Refuses indices outside their range before a back end reads them, the same on every target: a
 * CPU kernel would stop in the middle of a step, a GPU would read zeros. An input error (NNR5005).
 */
export function checkIndexInputs(ranges: readonly IndexRange[], inputs: Record<string, HostTensor>): void {
  // Index loops, and the error's figures only on an error: every training step checks its labels.
  for (let r = 0; r < ranges.length; r++) {
    const { input, count, of, layer } = ranges[r]!;
    const tensor = inputs[input];
    if (!tensor) continue;
    const values = tensor.data;
    for (let i = 0; i < values.length; i++) {
      const value = values[i]!;
      if (Number.isInteger(value) && value >= 0 && value < count) continue;
      const perSample = tensor.shape.slice(1).reduce((a, b) => a * b, 1);
      const where = `sample ${Math.floor(i / perSample) + 1} of the batch${perSample > 1 ? `, index ${i % perSample}` : ''}`;
      const range = of === 'classes' ? `the ${count} classes [0, ${count - 1}]` : `the vocabulary [0, ${count - 1}]`;
      throw new DataError('NNR5005', `input '${input}' holds ${value} (${where}), outside ${range} of ${layer}`);
    }
  }
}

function layerOf(step: PlanStep): string {
  const s = step.source;
  return s ? `${s.op} '${s.layer}'${s.line ? ` at line ${s.line}:${s.column}` : ''}` : `${step.kernel} '${step.outputs[0]}'`;
}
