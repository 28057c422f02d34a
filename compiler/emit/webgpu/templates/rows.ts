import type { PlanDim } from '../../../../runtime/plan/format.js';
import { product } from '../dims.js';
import type { KernelSource, StepShapes } from '../program.js';
import { gridKernel, input, output } from './grid.js';

/**
 * Kernels over rows of the last axis (softmax, log-softmax and their gradients: one thread per row) and
 * the data-movement kernels (sum_to, concat, slice).
 */

function rowsAndWidth(shape: PlanDim[]): { rows: PlanDim; width: PlanDim } {
  return { rows: product(shape.slice(0, -1)), width: shape[shape.length - 1]! };
}

function rowKernel(step: StepShapes, buffers: KernelSource['buffers'], loop: string): KernelSource {
  const { rows, width } = rowsAndWidth(step.inputs[0]!.shape);
  return gridKernel(rows, buffers, `let base = i * P.width;\n${loop}`, { params: [{ name: 'width', type: 'u32', value: width }] });
}

export function emitSoftmax(step: StepShapes): KernelSource {
  const log = step.base === 'log_softmax';
  const write = log ? 'y[base + j] = x[base + j] - mx - log(total);' : 'y[base + j] = exp(x[base + j] - mx) / total;';
  return rowKernel(step, [input(0, 'x'), output(0, 'y')], `
var mx = x[base];
for (var j = 1u; j < P.width; j++) { mx = max(mx, x[base + j]); }
var total = 0.0;
for (var j = 0u; j < P.width; j++) { total += exp(x[base + j] - mx); }
for (var j = 0u; j < P.width; j++) { ${write} }`);
}

export function emitSoftmaxGrad(step: StepShapes): KernelSource {
  const buffers = [input(0, 'dy'), input(1, 'y'), output(0, 'dx')];
  if (step.base === 'log_softmax_grad') {
    return rowKernel(step, buffers, `
var total = 0.0;
for (var j = 0u; j < P.width; j++) { total += dy[base + j]; }
for (var j = 0u; j < P.width; j++) { dx[base + j] = dy[base + j] - exp(y[base + j]) * total; }`);
  }
  return rowKernel(step, buffers, `
var dot = 0.0;
for (var j = 0u; j < P.width; j++) { dot += dy[base + j] * y[base + j]; }
for (var j = 0u; j < P.width; j++) { dx[base + j] = y[base + j] * (dy[base + j] - dot); }`);
}

/**
 * sum_to: sums x down to the output shape (trailing axes aligned). One thread per output element loops
 * over the reduced axes. Leading-axes reductions (bias gradients: [rows, C] → [C]) take a fast path.
 */
export function emitSumTo(step: StepShapes): KernelSource {
  const xs = step.inputs[0]!.shape;
  const ys = step.outputs[0]!.shape;
  const offset = xs.length - ys.length;
  const reduced = xs.map((d, k) => k < offset || (ys[k - offset] === 1 && d !== 1));
  const firstKept = reduced.indexOf(false);
  const leadingOnly = reduced.every((r, k) => r === (firstKept === -1 ? true : k < firstKept));
  if (leadingOnly) {
    const rows = product(xs.slice(0, firstKept === -1 ? xs.length : firstKept));
    const count = product(ys);
    return gridKernel(count, [input(0, 'x'), output(0, 'y')], `
var total = 0.0;
for (var r = 0u; r < P.rows; r++) { total += x[r * P.count + i]; }
y[i] = total;`, { params: [{ name: 'rows', type: 'u32', value: rows }] });
  }
  // General case: decompose the output index over the kept axes, then the reduction index over the
  // reduced axes, and add up x at the combined offset.
  const params: KernelSource['params'] = [];
  const keptLines: string[] = [];
  const redLines: string[] = [];
  let keptDiv: PlanDim[] = [];
  let redDiv: PlanDim[] = [];
  for (let k = xs.length - 1; k >= 0; k--) {
    params.push({ name: `d${k}`, type: 'u32', value: xs[k]! });
    params.push({ name: `s${k}`, type: 'u32', value: product(xs.slice(k + 1)) });
    if (reduced[k]) {
      params.push({ name: `rdiv${k}`, type: 'u32', value: product(redDiv) });
      redLines.push(`off += ((r / P.rdiv${k}) % P.d${k}) * P.s${k};`);
      redDiv = [...redDiv, xs[k]!];
    } else {
      params.push({ name: `kdiv${k}`, type: 'u32', value: product(keptDiv) });
      keptLines.push(`base += ((i / P.kdiv${k}) % P.d${k}) * P.s${k};`);
      keptDiv = [...keptDiv, xs[k]!];
    }
  }
  params.push({ name: 'reduce', type: 'u32', value: product(redDiv) });
  return gridKernel(product(ys), [input(0, 'x'), output(0, 'y')], `
var base = 0u;
${keptLines.join('\n')}
var total = 0.0;
for (var r = 0u; r < P.reduce; r++) {
  var off = base;
  ${redLines.join('\n  ')}
  total += x[off];
}
y[i] = total;`, { params, variant: 'general' });
}

function axisSplit(shape: PlanDim[], axis: number): { inner: PlanDim } {
  return { inner: product(shape.slice(axis + 1)) };
}

/** concat along `axis`: one thread per output element picks its input by the coordinate on the axis. */
export function emitConcat(step: StepShapes): KernelSource {
  const axis = Number(step.attrs.axis);
  const out = step.outputs[0]!.shape;
  const { inner } = axisSplit(out, axis);
  const buffers: KernelSource['buffers'] = step.inputs.map((t, k) => input(k, `x${k}`, t.dtype));
  buffers.push(output(0, 'y', step.outputs[0]!.dtype));
  const params: KernelSource['params'] = [
    { name: 'inner', type: 'u32', value: inner },
    { name: 'width', type: 'u32', value: out[axis]! },
  ];
  const branches: string[] = [];
  let start: PlanDim[] = [];
  step.inputs.forEach((t, k) => {
    const size = t.shape[axis]!;
    params.push({ name: `start${k}`, type: 'u32', value: start.length === 0 ? 0 : sumDims(start) });
    params.push({ name: `size${k}`, type: 'u32', value: size });
    const at = `x${k}[(outer * P.size${k} + (c - P.start${k})) * P.inner + j]`;
    branches.push(k === step.inputs.length - 1 ? `{ y[i] = ${at}; }` : `if (c < P.start${k} + P.size${k}) { y[i] = ${at}; }`);
    start = [...start, size];
  });
  return gridKernel(product(out), buffers, `
let j = i % P.inner;
let c = (i / P.inner) % P.width;
let outer = i / (P.inner * P.width);
${branches.join(' else ')}`, { params });
}

function sumDims(dims: PlanDim[]): PlanDim {
  if (dims.every((d) => typeof d === 'number')) return (dims as number[]).reduce((a, b) => a + b, 0);
  return dims.map((d) => (typeof d === 'number' ? String(d) : `(${d})`)).join('+');
}

export function emitSlice(step: StepShapes): KernelSource {
  const axis = Number(step.attrs.axis);
  const xs = step.inputs[0]!.shape;
  const out = step.outputs[0]!.shape;
  const dtype = step.inputs[0]!.dtype;
  return gridKernel(product(out), [input(0, 'x', dtype), output(0, 'y', dtype)], `
let j = i % P.inner;
let c = (i / P.inner) % P.size;
let outer = i / (P.inner * P.size);
y[i] = x[(outer * P.width + P.start + c) * P.inner + j];`, {
    params: [
      { name: 'inner', type: 'u32', value: product(xs.slice(axis + 1)) },
      { name: 'size', type: 'u32', value: out[axis]! },
      { name: 'width', type: 'u32', value: xs[axis]! },
      { name: 'start', type: 'u32', value: typeof step.attrs.start === 'string' ? step.attrs.start : Number(step.attrs.start) },
    ],
  });
}

