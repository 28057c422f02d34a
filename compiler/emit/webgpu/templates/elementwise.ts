import type { PlanDim } from '../../../../runtime/plan/format.js';
import type { ActivationName } from '../../../../runtime/plan/activations.js';
import { activationFunctions, activationGradFunction } from '../activations.js';
import { f32Literal, product, sameDim } from '../dims.js';
import type { KernelSource, StepShapes } from '../program.js';
import { gridKernel, input, output } from './grid.js';

/** Elementwise kernels: activations and their gradients, broadcasting binaries, copies, scaling. */

export function emitActivation(step: StepShapes): KernelSource {
  const name = step.base as ActivationName;
  return gridKernel(product(step.outputs[0]!.shape), [input(0, 'x'), output(0, 'y')], `y[i] = act_${name}(x[i]);`, {
    helpers: activationFunctions([name], step.attrs),
  });
}

export function emitActivationGrad(step: StepShapes): KernelSource {
  const name = step.base.replace(/_grad$/, '') as ActivationName;
  return gridKernel(product(step.outputs[0]!.shape), [input(0, 'dy'), input(1, 'v'), output(0, 'dx')], `dx[i] = grad_${name}(dy[i], v[i]);`, {
    helpers: activationGradFunction(name, step.attrs),
  });
}

/** copy and reshape: the same elements (reshape is a copy so every tensor owns its buffer). */
export function emitCopy(step: StepShapes): KernelSource {
  const dtype = step.inputs[0]!.dtype;
  return gridKernel(product(step.outputs[0]!.shape), [input(0, 'x', dtype), output(0, 'y', dtype)], 'y[i] = x[i];');
}

export function emitScale(step: StepShapes): KernelSource {
  const factor = f32Literal(Number(step.attrs.factor));
  return gridKernel(product(step.outputs[0]!.shape), [input(0, 'x'), output(0, 'y')], `y[i] = ${factor} * x[i];`);
}

export function emitBiasAdd(step: StepShapes): KernelSource {
  const x = step.inputs[0]!.shape;
  return gridKernel(product(x), [input(0, 'x'), input(1, 'bias'), output(0, 'y')], 'y[i] = x[i] + bias[i % P.width];', {
    params: [{ name: 'width', type: 'u32', value: x[x.length - 1]! }],
  });
}

const BINARY_OPS: Record<string, string> = { add: '+', sub: '-', mul: '*', div: '/' };

/**
 * How an operand is read at output index i: `same` (shapes equal), `suffix` (its shape is the output's
 * trailing axes: i % size), `scalar`, or `general` (per-axis strides, 0 on broadcast axes).
 */
type Access = { kind: 'same' } | { kind: 'scalar' } | { kind: 'suffix'; size: PlanDim } | { kind: 'general' };

function accessOf(shape: PlanDim[], out: PlanDim[]): Access {
  const size = product(shape);
  if (shape.length === out.length && shape.every((d, k) => sameDim(d, out[k]))) return { kind: 'same' };
  if (size === 1) return { kind: 'scalar' };
  const tail = out.slice(out.length - shape.length);
  if (shape.length <= out.length && shape.every((d, k) => sameDim(d, tail[k]))) return { kind: 'suffix', size };
  return { kind: 'general' };
}

/** The index expression of operand `name` and the params it needs. */
function operandIndex(name: string, shape: PlanDim[], out: PlanDim[]): { expr: string; params: KernelSource['params'] } {
  const access = accessOf(shape, out);
  if (access.kind === 'same') return { expr: 'i', params: [] };
  if (access.kind === 'scalar') return { expr: '0u', params: [] };
  if (access.kind === 'suffix') return { expr: `i % P.${name}_size`, params: [{ name: `${name}_size`, type: 'u32', value: access.size }] };
  // General broadcast: walk the output coordinates from the last axis, adding the operand's stride on
  // the axes where it is not broadcast (its dim is 1 there, or the axis is missing).
  const params: KernelSource['params'] = [];
  const terms: string[] = [];
  const offset = out.length - shape.length;
  let stride: PlanDim[] = [];
  for (let k = out.length - 1; k >= 0; k--) {
    params.push({ name: `${name}_o${k}`, type: 'u32', value: out[k]! });
    const own = k >= offset ? shape[k - offset]! : 1;
    if (own !== 1) {
      params.push({ name: `${name}_s${k}`, type: 'u32', value: product(stride) });
      terms.push(`((i / P.${name}_d${k}) % P.${name}_o${k}) * P.${name}_s${k}`);
    }
    if (k >= offset) stride = [...stride, own];
  }
  // Divisors: product of output dims after axis k.
  for (let k = out.length - 1; k >= 0; k--) {
    params.push({ name: `${name}_d${k}`, type: 'u32', value: product(out.slice(k + 1)) });
  }
  return { expr: terms.length > 0 ? terms.join(' + ') : '0u', params };
}

export function emitBinary(step: StepShapes): KernelSource {
  const op = BINARY_OPS[step.base]!;
  const out = step.outputs[0]!.shape;
  const a = operandIndex('a', step.inputs[0]!.shape, out);
  const b = operandIndex('b', step.inputs[1]!.shape, out);
  return gridKernel(product(out), [input(0, 'a'), input(1, 'b'), output(0, 'y')], `y[i] = a[${a.expr}] ${op} b[${b.expr}];`, {
    params: [...a.params, ...b.params],
  });
}

/** y = x + PE[t, d]: sin(t / 10000^(2i/D)) on even d = 2i, cos on odd d = 2i + 1 (x is [N, T, D]). */
export function emitPositionalEncoding(step: StepShapes): KernelSource {
  const x = step.inputs[0]!.shape;
  return gridKernel(product(x), [input(0, 'x'), output(0, 'y')], `
let e = i % P.D;
let pos = (i / P.D) % P.T;
let angle = f32(pos) / pow(10000.0, f32(2u * (e / 2u)) / f32(P.D));
y[i] = x[i] + select(cos(angle), sin(angle), e % 2u == 0u);`, {
    params: [
      { name: 'T', type: 'u32', value: x[1]! },
      { name: 'D', type: 'u32', value: x[2]! },
    ],
  });
}
