import { f32Literal, product } from '../dims.js';
import type { KernelSource, StepShapes } from '../program.js';
import { gridKernel, input, output } from './grid.js';

/** dropout (training: PRNG mask; inference: copy, mask of ones), its gradient, embedding lookup and its gradient. */

/**
 * The dropout PRNG: a PCG hash of (element index, attr seed, step seed), 24 bits → u in [0, 1).
 * Stateless, so every element is independent and a run is reproducible for a seed.
 */
const PCG = `
fn pcg(v: u32) -> u32 {
  let state = v * 747796405u + 2891336453u;
  let word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
  return (word >> 22u) ^ word;
}`;

export function emitDropout(step: StepShapes): KernelSource {
  const rate = Number(step.attrs.rate);
  const attrSeed = (Number(step.attrs.seed) >>> 0) || 0;
  const keep = f32Literal(rate >= 1 ? 0 : 1 / (1 - rate));
  return gridKernel(product(step.inputs[0]!.shape), [input(0, 'x'), output(0, 'y'), output(1, 'mask')], `
if (R.training == 1u) {
  let u = f32(pcg(i ^ pcg(R.seed ^ pcg(${attrSeed}u))) >> 8u) / 16777216.0;
  let m = select(0.0, ${keep}, u >= ${f32Literal(rate)});
  mask[i] = m;
  y[i] = x[i] * m;
} else {
  mask[i] = 1.0;
  y[i] = x[i];
}`, { helpers: PCG, runtime: true });
}

export function emitDropoutGrad(step: StepShapes): KernelSource {
  return gridKernel(product(step.inputs[0]!.shape), [input(0, 'dy'), input(1, 'mask'), output(0, 'dx')], 'dx[i] = dy[i] * mask[i];');
}

/** y[r, :] = table[ids[r], :]; an out-of-range id reads zeros (the CPU runtime reports it). */
export function emitEmbedding(step: StepShapes): KernelSource {
  const table = step.inputs[1]!.shape;
  return gridKernel(product(step.outputs[0]!.shape), [input(0, 'ids', 'i32'), input(1, 'table'), output(0, 'y')], `
let r = i / P.dim;
let id = ids[r];
if (id >= 0 && u32(id) < P.vocab) { y[i] = table[u32(id) * P.dim + i % P.dim]; } else { y[i] = 0.0; }`, {
    params: [
      { name: 'dim', type: 'u32', value: table[1]! },
      { name: 'vocab', type: 'u32', value: table[0]! },
    ],
  });
}

/**
 * dtable = 0, then dtable[ids[r]] += dy[r]. WGSL has no float atomics, so one thread owns one column of
 * the table: it clears it and adds the rows in order (deterministic).
 */
export function emitEmbeddingGrad(step: StepShapes): KernelSource {
  const table = step.outputs[0]!.shape;
  return gridKernel(table[1]!, [input(0, 'dy'), input(1, 'ids', 'i32'), output(0, 'dtable')], `
for (var v = 0u; v < P.vocab; v++) { dtable[v * P.count + i] = 0.0; }
for (var r = 0u; r < P.rows; r++) {
  let id = ids[r];
  if (id >= 0 && u32(id) < P.vocab) { dtable[u32(id) * P.count + i] += dy[r * P.count + i]; }
}`, {
    params: [
      { name: 'vocab', type: 'u32', value: table[0]! },
      { name: 'rows', type: 'u32', value: product(step.inputs[1]!.shape) },
    ],
  });
}

export function emitPenaltyGrad(step: StepShapes): KernelSource {
  const l1 = f32Literal(Number(step.attrs.l1));
  const twiceL2 = f32Literal(2 * Number(step.attrs.l2));
  return gridKernel(product(step.inputs[0]!.shape), [input(0, 'grad'), input(1, 'w'), output(0, 'out')],
    `out[i] = grad[i] + ${l1} * sign(w[i]) + ${twiceL2} * w[i];`);
}
