import type { PlanMemory, PlanStep, PlanTensor } from '../../runtime/plan/format.js';
import { evalDim } from '../../runtime/plan/dims.js';

/**
 * Buffer reuse by lifetime. Intermediate tensors (activations, gradients, loss values) get a buffer
 * slot; tensors whose lifetimes [first write, last read] do not overlap share one. Inputs, labels,
 * params, state, consts and optimizer slots live for the whole run and are not pooled. Model outputs
 * and the loss stay live to the end, so any prefix of the steps (inference runs only the forward
 * steps) can read them afterwards.
 *
 * A step's outputs never share a buffer with its own inputs: a tensor is released only after the
 * step that reads it last has been given its outputs. Greedy best fit by reference size.
 */
const PERSISTENT = new Set(['input', 'label', 'param', 'state', 'const', 'optimizer']);

function bytesOf(tensor: PlanTensor, bindings: Record<string, number>): number {
  return tensor.shape.reduce<number>((n, d) => n * evalDim(d, bindings), 1) * 4;
}

export function planMemory(
  tensors: PlanTensor[],
  steps: PlanStep[],
  keepAlive: Set<string>,
  bindings: Record<string, number>,
  referenceBatch: number,
): PlanMemory {
  // Tensors by index: their last use, buffer and state live in typed arrays rather than in maps and
  // sets keyed by name (a 1,000-layer training plan has some 20,000 uses).
  const indexOf = new Map<string, number>();
  tensors.forEach((t, k) => indexOf.set(t.name, k));
  const lastUse = new Float64Array(tensors.length).fill(-1);
  const use = (name: string, step: number): void => {
    const k = indexOf.get(name);
    if (k !== undefined) lastUse[k] = step;
  };
  steps.forEach((step, i) => {
    for (const name of step.inputs) use(name, i);
    for (const name of step.outputs) use(name, i);
  });
  for (const name of keepAlive) use(name, Infinity);

  const bufferBytes: number[] = [];
  const free: number[] = [];
  const assigned = new Uint8Array(tensors.length);
  /** The step that last freed each buffer: a name listed twice in one step shares its buffer, freed once. */
  const freedAt: number[] = [];
  const release = (name: string, step: number): void => {
    const k = indexOf.get(name);
    const buffer = k === undefined ? undefined : tensors[k]!.buffer;
    if (buffer !== undefined && lastUse[k!] === step && freedAt[buffer] !== step) {
      freedAt[buffer] = step;
      free.push(buffer);
    }
  };
  steps.forEach((step, i) => {
    for (const name of step.outputs) {
      const k = indexOf.get(name);
      if (k === undefined) continue;
      const tensor = tensors[k]!;
      if (PERSISTENT.has(tensor.role) || assigned[k]) continue;
      assigned[k] = 1;
      const size = bytesOf(tensor, bindings);
      let best = -1;
      // The first free buffer closest in size; an exact fit cannot be beaten (ties go to the first).
      let bestGap = Infinity;
      for (let f = 0; f < free.length && bestGap > 0; f++) {
        const gap = Math.abs(bufferBytes[free[f]!]! - size);
        if (gap < bestGap) {
          best = f;
          bestGap = gap;
        }
      }
      if (best >= 0) {
        const slot = free.splice(best, 1)[0]!;
        tensor.buffer = slot;
        bufferBytes[slot] = Math.max(bufferBytes[slot]!, size);
      } else {
        tensor.buffer = bufferBytes.length;
        bufferBytes.push(size);
      }
    }
    // Inputs, then outputs.
    for (const name of step.inputs) release(name, i);
    for (const name of step.outputs) release(name, i);
  });
  let persistent = 0;
  for (const t of tensors) if (PERSISTENT.has(t.role)) persistent += bytesOf(t, bindings);
  const pooled = bufferBytes.reduce((a, b) => a + b, 0);
  return { bufferBytes, referenceBatch, peakBytes: pooled + persistent };
}
