import type { PlanDim } from '../../../../runtime/plan/format.js';
import { addDims, f32Literal, mulDims, product } from '../dims.js';
import type { KernelSource, StepShapes } from '../program.js';
import { gridKernel, input, output } from './grid.js';

/**
 * groupnorm (one thread per sample and group) and its gradient, as the CPU kernels
 * (runtime/cpu/kernels/groupnorm.ts): sample b's group g is channels g·CPG … (g+1)·CPG − 1 at every
 * one of its `positions`; statistics use the biased variance.
 */
function sizes(x: PlanDim[], groups: number): { n: PlanDim; params: KernelSource['params'] } {
  const c = x[x.length - 1]!;
  return {
    n: x[0]!,
    params: [
      { name: 'positions', type: 'u32', value: product(x.slice(1, -1)) },
      { name: 'C', type: 'u32', value: c },
      { name: 'G', type: 'u32', value: groups },
      { name: 'CPG', type: 'u32', value: typeof c === 'number' ? c / groups : `(${c})/${groups}` },
    ],
  };
}

/** `at(b, p, j, g)`: the flat index of channel j of group g at position p of sample b. */
const AT = 'fn at(b: u32, p: u32, g: u32, j: u32) -> u32 { return (b * P.positions + p) * P.C + g * P.CPG + j; }';

export function emitGroupnorm(step: StepShapes): KernelSource {
  const groups = step.attrs.groups as number;
  const { n, params } = sizes(step.inputs[0]!.shape, groups);
  const eps = f32Literal(Number(step.attrs.epsilon));
  return gridKernel(mulDims(n, groups), [input(0, 'x'), input(1, 'gamma'), input(2, 'beta'), output(0, 'y'), output(1, 'mean'), output(2, 'invstd')], `
let b = i / P.G;
let g = i % P.G;
let count = f32(P.positions * P.CPG);
var mu = 0.0;
for (var p = 0u; p < P.positions; p++) { for (var j = 0u; j < P.CPG; j++) { mu += x[at(b, p, g, j)]; } }
mu = mu / count;
var vr = 0.0;
for (var p = 0u; p < P.positions; p++) { for (var j = 0u; j < P.CPG; j++) { let d = x[at(b, p, g, j)] - mu; vr += d * d; } }
let inv = inverseSqrt(vr / count + ${eps});
mean[i] = mu;
invstd[i] = inv;
for (var p = 0u; p < P.positions; p++) {
  for (var j = 0u; j < P.CPG; j++) {
    let k = at(b, p, g, j);
    let ch = g * P.CPG + j;
    y[k] = gamma[ch] * (x[k] - mu) * inv + beta[ch];
  }
}`, { params, helpers: AT });
}

/**
 * groupnorm_grad: threads i < N·G compute dx of one sample's group; threads i < C compute dgamma and
 * dbeta of channel i over every sample and position. Both halves share one dispatch.
 */
export function emitGroupnormGrad(step: StepShapes): KernelSource {
  const groups = step.attrs.groups as number;
  const x = step.inputs[1]!.shape;
  const { n, params } = sizes(x, groups);
  const units = mulDims(n, groups);
  return gridKernel(addDims(units, x[x.length - 1]!), [
    input(0, 'dy'), input(1, 'x'), input(2, 'gamma'), input(3, 'mean'), input(4, 'invstd'),
    output(0, 'dx'), output(1, 'dgamma'), output(2, 'dbeta'),
  ], `
if (i < P.units) {
  let b = i / P.G;
  let g = i % P.G;
  let mu = mean[i];
  let inv = invstd[i];
  var sg = 0.0;
  var sgx = 0.0;
  for (var p = 0u; p < P.positions; p++) {
    for (var j = 0u; j < P.CPG; j++) {
      let k = at(b, p, g, j);
      let d = dy[k] * gamma[g * P.CPG + j];
      sg += d;
      sgx += d * (x[k] - mu) * inv;
    }
  }
  let count = f32(P.positions * P.CPG);
  for (var p = 0u; p < P.positions; p++) {
    for (var j = 0u; j < P.CPG; j++) {
      let k = at(b, p, g, j);
      let xh = (x[k] - mu) * inv;
      dx[k] = inv / count * (count * dy[k] * gamma[g * P.CPG + j] - sg - xh * sgx);
    }
  }
}
if (i < P.C) {
  let g = i / P.CPG;
  var dg = 0.0;
  var db = 0.0;
  for (var b = 0u; b < P.units / P.G; b++) {
    for (var p = 0u; p < P.positions; p++) {
      let k = (b * P.positions + p) * P.C + i;
      dg += dy[k] * (x[k] - mean[b * P.G + g]) * invstd[b * P.G + g];
      db += dy[k];
    }
  }
  dgamma[i] = dg;
  dbeta[i] = db;
}`, { params: [...params, { name: 'units', type: 'u32', value: units }], helpers: AT });
}
