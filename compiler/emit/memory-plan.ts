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
  const byName = new Map(tensors.map((t) => [t.name, t]));
  const lastUse = new Map<string, number>();
  steps.forEach((step, i) => {
    for (const name of step.inputs) lastUse.set(name, i);
    for (const name of step.outputs) lastUse.set(name, i);
  });
  for (const name of keepAlive) lastUse.set(name, Infinity);

  const bufferBytes: number[] = [];
  const free: number[] = [];
  const assigned = new Set<string>();
  steps.forEach((step, i) => {
    for (const name of step.outputs) {
      const tensor = byName.get(name);
      if (!tensor || PERSISTENT.has(tensor.role) || assigned.has(name)) continue;
      assigned.add(name);
      const size = bytesOf(tensor, bindings);
      let best = -1;
      for (let k = 0; k < free.length; k++) {
        const slot = free[k]!;
        if (best < 0 || Math.abs(bufferBytes[slot]! - size) < Math.abs(bufferBytes[free[best]!]! - size)) best = k;
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
    // Inputs, then outputs; a name listed twice shares its buffer, which `released` frees once.
    const released = new Set<number>();
    const release = (name: string): void => {
      const tensor = byName.get(name);
      if (tensor?.buffer !== undefined && lastUse.get(name) === i && !released.has(tensor.buffer)) {
        released.add(tensor.buffer);
        free.push(tensor.buffer);
      }
    };
    for (const name of step.inputs) release(name);
    for (const name of step.outputs) release(name);
  });
  const persistent = tensors.filter((t) => PERSISTENT.has(t.role)).reduce((n, t) => n + bytesOf(t, bindings), 0);
  const pooled = bufferBytes.reduce((a, b) => a + b, 0);
  return { bufferBytes, referenceBatch, peakBytes: pooled + persistent };
}
