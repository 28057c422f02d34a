import { indexInputRanges } from '../index-inputs.js';
import { dimSymbols, evalDim } from '../plan/dims.js';
import type { Plan } from '../plan/format.js';
import { mulberry32 } from '../plan/random.js';
import type { HostTensor } from '../tensor.js';
import { sizeOf } from '../tensor.js';

/**
 * A seeded random batch for a plan's inference inputs, when the user gives none: the sizes of the
 * symbolic dims below, floats uniform in [-1, 1), and integer inputs valid for what reads them (token
 * ids below the embedding's vocabulary, else 0 or 1). The same seed gives the same batch everywhere:
 * `nnet verify` and the test suite's CPU-vs-WebGPU comparison of every example. With `labels`, the
 * plan's labels too (class labels below the loss's class count), for a loss to compare.
 */
const RANDOM_BATCH = 2;
/** Every other symbolic dim (a sequence length, say). */
const RANDOM_OTHER_DIM = 6;
export const RANDOM_INPUT_SEED = 1;

export function randomInputs(plan: Plan, seed = RANDOM_INPUT_SEED, options: { labels?: boolean } = {}): Record<string, HostTensor> {
  const random = mulberry32(seed);
  const ranges = new Map(indexInputRanges(plan).map((r) => [r.input, r.count]));
  const tensors = new Map(plan.tensors.map((t) => [t.name, t]));
  const inputs: Record<string, HostTensor> = {};
  const names = options.labels ? [...plan.inputs, ...plan.labels] : plan.inputs.filter((n) => !plan.labels.includes(n));
  for (const name of names) {
    const t = tensors.get(name)!;
    const dims: Record<string, number> = {};
    for (const d of t.shape) for (const s of dimSymbols(d)) dims[s] = plan.dims[s] ?? (s === 'batch' ? RANDOM_BATCH : RANDOM_OTHER_DIM);
    const shape = t.shape.map((d) => evalDim(d, dims));
    const size = sizeOf(shape);
    if (t.dtype === 'i32') {
      const count = ranges.get(name) ?? 2;
      inputs[name] = { shape, dtype: 'i32', data: Int32Array.from({ length: size }, () => Math.floor(random() * count)) };
    } else {
      inputs[name] = { shape, dtype: 'f32', data: Float32Array.from({ length: size }, () => 2 * random() - 1) };
    }
  }
  return inputs;
}

/** `batch 2, seq 6`: the sizes the random batch gave the plan's symbolic dims, for the report. */
export function describeDims(plan: Plan, inputs: Record<string, HostTensor>): string {
  const bound = new Map<string, number>();
  for (const name of Object.keys(inputs)) {
    const t = plan.tensors.find((x) => x.name === name);
    t?.shape.forEach((d, i) => {
      if (typeof d === 'string' && /^[A-Za-z_]\w*$/.test(d) && !bound.has(d)) bound.set(d, inputs[name]!.shape[i]!);
    });
  }
  return [...bound].map(([k, v]) => `${k} ${v}`).join(', ');
}
