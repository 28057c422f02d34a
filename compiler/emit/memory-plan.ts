import type { PlanMemory, PlanTensor } from '../../runtime/plan/format.js';
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

/** The tensors a step reads and writes, as indices into the plan's tensor list. */
export interface StepTensors {
  reads: readonly number[];
  writes: readonly number[];
}

/**
 * `steps` are the plan's steps in run order; `keepAlive` the tensors (by index) that must outlive them.
 * Tensors are known by their index, as emit-plan hands them over, not by name: no string hashing
 * for each of the 20,000 uses of a 1,000-layer training plan. Index loops throughout: this runs once
 * per compile, mostly before V8 optimises it, and a for-of there allocates an iterator result per element.
 */
export function planMemory(
  tensors: PlanTensor[],
  steps: readonly StepTensors[],
  keepAlive: readonly number[],
  bindings: Record<string, number>,
  referenceBatch: number,
): PlanMemory {
  // Dims by value: a plan has a few distinct symbolic dims, and a tensor list of thousands.
  const dimValues = new Map<string, number>();
  const bytesOf = (tensor: PlanTensor): number => {
    let n = 4;
    const shape = tensor.shape;
    for (let i = 0; i < shape.length; i++) {
      const d = shape[i]!;
      if (typeof d === 'number') n *= d;
      else {
        let v = dimValues.get(d);
        if (v === undefined) dimValues.set(d, (v = evalDim(d, bindings)));
        n *= v;
      }
    }
    return n;
  };
  const lastUse = new Float64Array(tensors.length).fill(-1);
  for (let i = 0; i < steps.length; i++) {
    const { reads, writes } = steps[i]!;
    for (let j = 0; j < reads.length; j++) lastUse[reads[j]!] = i;
    for (let j = 0; j < writes.length; j++) lastUse[writes[j]!] = i;
  }
  for (let i = 0; i < keepAlive.length; i++) lastUse[keepAlive[i]!] = Infinity;

  const bufferBytes: number[] = [];
  const free: number[] = [];
  const assigned = new Uint8Array(tensors.length);
  /** The step that last freed each buffer: a tensor listed twice in one step shares its buffer, freed once. */
  const freedAt: number[] = [];
  const release = (k: number, step: number): void => {
    const buffer = tensors[k]!.buffer;
    if (buffer !== undefined && lastUse[k] === step && freedAt[buffer] !== step) {
      freedAt[buffer] = step;
      free.push(buffer);
    }
  };
  for (let i = 0; i < steps.length; i++) {
    const { reads, writes } = steps[i]!;
    for (let j = 0; j < writes.length; j++) {
      const k = writes[j]!;
      const tensor = tensors[k]!;
      if (PERSISTENT.has(tensor.role) || assigned[k]) continue;
      assigned[k] = 1;
      const size = bytesOf(tensor);
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
    for (let j = 0; j < reads.length; j++) release(reads[j]!, i);
    for (let j = 0; j < writes.length; j++) release(writes[j]!, i);
  }
  let persistent = 0;
  for (let k = 0; k < tensors.length; k++) if (PERSISTENT.has(tensors[k]!.role)) persistent += bytesOf(tensors[k]!);
  const pooled = bufferBytes.reduce((a, b) => a + b, 0);
  return { bufferBytes, referenceBatch, peakBytes: pooled + persistent };
}
