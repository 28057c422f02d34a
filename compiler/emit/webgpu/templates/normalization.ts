import type { PlanDim } from '../../../../runtime/plan/format.js';
import { f32Literal, addDims, product } from '../dims.js';
import type { KernelSource, StepShapes } from '../program.js';
import { gridKernel, inout, input, output } from './grid.js';

/**
 * layernorm (one thread per row) and batchnorm (one thread per channel, looping over rows), and their
 * gradients. Statistics use the biased variance; batchnorm's running variance is updated with the
 * unbiased one, as kernels.ts says. Batchnorm reads the executor's training flag (R.training).
 */

function rowsWidth(shape: PlanDim[]): { rows: PlanDim; width: PlanDim } {
  return { rows: product(shape.slice(0, -1)), width: shape[shape.length - 1]! };
}

export function emitLayernorm(step: StepShapes): KernelSource {
  const { rows, width } = rowsWidth(step.inputs[0]!.shape);
  const eps = f32Literal(Number(step.attrs.epsilon));
  return gridKernel(rows, [input(0, 'x'), input(1, 'gamma'), input(2, 'beta'), output(0, 'y'), output(1, 'mean'), output(2, 'invstd')], `
let base = i * P.width;
var mu = 0.0;
for (var j = 0u; j < P.width; j++) { mu += x[base + j]; }
mu = mu / f32(P.width);
var vr = 0.0;
for (var j = 0u; j < P.width; j++) { let d = x[base + j] - mu; vr += d * d; }
let inv = inverseSqrt(vr / f32(P.width) + ${eps});
mean[i] = mu;
invstd[i] = inv;
for (var j = 0u; j < P.width; j++) { y[base + j] = gamma[j] * (x[base + j] - mu) * inv + beta[j]; }`, {
    params: [{ name: 'width', type: 'u32', value: width }],
  });
}

/**
 * layernorm_grad: threads i < rows compute row i of dx; threads i < width compute column i of dgamma
 * and dbeta. Both halves share one dispatch (rows + width threads cover both; the rest idle).
 */
export function emitLayernormGrad(step: StepShapes): KernelSource {
  const { rows, width } = rowsWidth(step.inputs[1]!.shape);
  return gridKernel(addDims(rows, width), [
    input(0, 'dy'), input(1, 'x'), input(2, 'gamma'), input(3, 'mean'), input(4, 'invstd'),
    output(0, 'dx'), output(1, 'dgamma'), output(2, 'dbeta'),
  ], `
if (i < P.rows) {
  let base = i * P.width;
  let mu = mean[i];
  let inv = invstd[i];
  var sg = 0.0;
  var sgx = 0.0;
  for (var j = 0u; j < P.width; j++) {
    let g = dy[base + j] * gamma[j];
    sg += g;
    sgx += g * (x[base + j] - mu) * inv;
  }
  let w = f32(P.width);
  for (var j = 0u; j < P.width; j++) {
    let xh = (x[base + j] - mu) * inv;
    dx[base + j] = inv / w * (w * dy[base + j] * gamma[j] - sg - xh * sgx);
  }
}
if (i < P.width) {
  var dg = 0.0;
  var db = 0.0;
  for (var r = 0u; r < P.rows; r++) {
    let g = dy[r * P.width + i];
    dg += g * (x[r * P.width + i] - mean[r]) * invstd[r];
    db += g;
  }
  dgamma[i] = dg;
  dbeta[i] = db;
}`, {
    params: [
      { name: 'rows', type: 'u32', value: rows },
      { name: 'width', type: 'u32', value: width },
    ],
  });
}

export function emitBatchnorm(step: StepShapes): KernelSource {
  const { rows, width } = rowsWidth(step.inputs[0]!.shape);
  const eps = f32Literal(Number(step.attrs.epsilon));
  const momentum = f32Literal(Number(step.attrs.momentum));
  const source = gridKernel(width, [
    input(0, 'x'), input(1, 'gamma'), input(2, 'beta'), inout(3, 'running_mean'), inout(4, 'running_var'),
    output(0, 'y'), output(1, 'mean'), output(2, 'invstd'),
  ], `
var mu = 0.0;
var inv = 0.0;
if (R.training == 1u) {
  for (var r = 0u; r < P.rows; r++) { mu += x[r * P.count + i]; }
  mu = mu / f32(P.rows);
  var vr = 0.0;
  for (var r = 0u; r < P.rows; r++) { let d = x[r * P.count + i] - mu; vr += d * d; }
  inv = inverseSqrt(vr / f32(P.rows) + ${eps});
  let unbiased = vr / f32(max(P.rows, 2u) - 1u);
  running_mean[i] = ${momentum} * running_mean[i] + (1.0 - ${momentum}) * mu;
  running_var[i] = ${momentum} * running_var[i] + (1.0 - ${momentum}) * unbiased;
} else {
  mu = running_mean[i];
  inv = inverseSqrt(running_var[i] + ${eps});
}
mean[i] = mu;
invstd[i] = inv;
for (var r = 0u; r < P.rows; r++) {
  let at = r * P.count + i;
  y[at] = gamma[i] * (x[at] - mu) * inv + beta[i];
}`, { params: [{ name: 'rows', type: 'u32', value: rows }], runtime: true });
  return source;
}

export function emitBatchnormGrad(step: StepShapes): KernelSource {
  const { rows, width } = rowsWidth(step.inputs[1]!.shape);
  return gridKernel(width, [
    input(0, 'dy'), input(1, 'x'), input(2, 'gamma'), input(3, 'mean'), input(4, 'invstd'),
    output(0, 'dx'), output(1, 'dgamma'), output(2, 'dbeta'),
  ], `
let mu = mean[i];
let inv = invstd[i];
var db = 0.0;
var dg = 0.0;
for (var r = 0u; r < P.rows; r++) {
  let at = r * P.count + i;
  db += dy[at];
  dg += dy[at] * (x[at] - mu) * inv;
}
dgamma[i] = dg;
dbeta[i] = db;
let n = f32(P.rows);
for (var r = 0u; r < P.rows; r++) {
  let at = r * P.count + i;
  let xh = (x[at] - mu) * inv;
  dx[at] = gamma[i] * inv / n * (n * dy[at] - db - xh * dg);
}`, { params: [{ name: 'rows', type: 'u32', value: rows }] });
}
