import type { Plan } from '../plan/format.js';
import type { HostTensor } from '../tensor.js';
import { tensorDiff, withinTolerance, worseDiff, type TensorDiff } from './compare.js';
import { planLayers, type PlanLayer } from './layers.js';

/**
 * The comparison behind `nnet verify`: one forward pass on the reference (nnet's CPU back end) and
 * one on the target, reading every layer's values from both, and per layer the worst difference over
 * its tensors. The first layer past the tolerance is where the target starts to disagree; the layers
 * after it may differ only because their inputs do.
 */

/** Runs the forward pass on the inputs and returns the named tensors it can (a target may expose fewer). */
export type Tracer = (inputs: Record<string, HostTensor>, names: readonly string[]) => Promise<Map<string, HostTensor>>;

interface LayerResult extends PlanLayer {
  /** Null when the target exposes none of the layer's values (nothing compared). */
  diff: TensorDiff | null;
  /** The tensor the worst difference is in. */
  worst: string | null;
  passed: boolean;
}

export interface VerifyResult {
  layers: LayerResult[];
  tolerance: number;
  /** Index into `layers` of the first layer past the tolerance; -1 when all pass. */
  firstFailure: number;
}

export async function verifyLayers(plan: Plan, reference: Tracer, target: Tracer, inputs: Record<string, HostTensor>, tolerance: number): Promise<VerifyResult> {
  const layers = planLayers(plan);
  const names = layers.flatMap((l) => l.tensors);
  const expected = await reference(inputs, names);
  const actual = await target(inputs, names);
  const results = layers.map((layer): LayerResult => {
    let diff: TensorDiff | null = null;
    let worst: string | null = null;
    for (const name of layer.tensors) {
      const want = expected.get(name);
      const got = actual.get(name);
      if (!want || !got) continue;
      const d = tensorDiff(want, got);
      const next = worseDiff(diff, d);
      if (next !== diff) worst = name;
      diff = next;
    }
    return { ...layer, diff, worst, passed: diff === null || withinTolerance(diff, tolerance) };
  });
  return { layers: results, tolerance, firstFailure: results.findIndex((r) => !r.passed) };
}

/**
 * The targets `nnet verify` compares with the CPU, and each one's tolerance: CPU vs WebGPU within
 * 1e-4 is the project's bound (the op suite, the examples; float32 kernels that sum in another order
 * and GPU transcendental functions), ONNX and PyTorch within 1e-5 (float32 CPU kernels, which stay
 * that close to nnet's; the exports' own tests hold them to it).
 */
export const TARGET_TOLERANCES = { webgpu: 1e-4, onnx: 1e-5, pytorch: 1e-5 } as const;
export type VerifyTarget = keyof typeof TARGET_TOLERANCES;
export const VERIFY_TARGETS = Object.keys(TARGET_TOLERANCES) as VerifyTarget[];
