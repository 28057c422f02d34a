import type { Plan } from '../plan/format.js';

/**
 * The layers of a plan's forward pass, in execution order, each with the tensors its steps write.
 * A step knows the layer it came from (`PlanStep.source`), so a fused step (`matmul+bias+relu`)
 * belongs to the layer it was fused into, and a layer that lowers to several steps (attention, a
 * layer norm) collects all of theirs. These are the rows `nnet verify` compares.
 */
export interface PlanLayer {
  /** The layer's name as the plan records it (`h`, `h/decoder/attended` inside a block). */
  layer: string;
  op: string;
  /** 1-based line and column of the layer in the .nnet source; 0 when the plan has none. */
  line: number;
  column: number;
  /** The first output of each of the layer's steps: the values it computes (later outputs are saved values). */
  tensors: string[];
}

export function planLayers(plan: Plan): PlanLayer[] {
  const layers = new Map<string, PlanLayer>();
  for (const step of plan.forward) {
    const source = step.source;
    const key = source ? source.layer : `${step.kernel} '${step.outputs[0]}'`;
    let layer = layers.get(key);
    if (!layer) {
      layer = { layer: key, op: source?.op ?? step.kernel, line: source?.line ?? 0, column: source?.column ?? 0, tensors: [] };
      layers.set(key, layer);
    }
    const value = step.outputs[0];
    if (value !== undefined && !layer.tensors.includes(value)) layer.tensors.push(value);
  }
  return [...layers.values()];
}
