import type { CpuKernel, CpuKernelMap } from '../kernel-interface.js';
import { f32 } from '../kernel-interface.js';
import { reduceOpOf, unaryNumber, unaryOpOf, type UnaryOpName } from '../../plan/math-ops.js';

/**
 * The elementwise math (`unary`, one kernel whose `op` attribute picks the formula of
 * runtime/plan/math-ops.ts) and the reductions over any set of axes (`reduce`), with their gradients.
 * Plain typed-array loops; the op is chosen once per call, outside the loop (a loop per formula).
 */

/** x^a, with a whole exponent keeping the sign of a negative base (as Math.pow does). */
const power = (x: number, a: number): number => Math.pow(x, a);

/**
 * y = f(x) for every element, one loop per formula: a call per element to a formula's closure (a
 * table of them) was not inlined and boxed its float arguments, ~1.5 KB a VAE training step.
 */
function applyUnary(op: UnaryOpName, x: Float32Array, y: Float32Array, a: number, b: number): void {
  const n = y.length;
  switch (op) {
    case 'affine':
      for (let i = 0; i < n; i++) y[i] = a * x[i]! + b;
      return;
    case 'reciprocal':
      for (let i = 0; i < n; i++) y[i] = a / x[i]!;
      return;
    case 'exp':
      for (let i = 0; i < n; i++) y[i] = Math.exp(x[i]!);
      return;
    case 'log':
      for (let i = 0; i < n; i++) y[i] = Math.log(x[i]!);
      return;
    case 'sqrt':
      for (let i = 0; i < n; i++) y[i] = Math.sqrt(x[i]!);
      return;
    case 'abs':
      for (let i = 0; i < n; i++) y[i] = Math.abs(x[i]!);
      return;
    case 'square':
      for (let i = 0; i < n; i++) y[i] = x[i]! * x[i]!;
      return;
    case 'pow':
      for (let i = 0; i < n; i++) y[i] = power(x[i]!, a);
      return;
    case 'clip':
      for (let i = 0; i < n; i++) y[i] = Math.min(Math.max(x[i]!, a), b);
      return;
  }
}

/** dx = f'(x)·dy for every element, one loop per formula (as applyUnary). */
function applyUnaryGrad(op: UnaryOpName, x: Float32Array, dy: Float32Array, dx: Float32Array, a: number, b: number): void {
  const n = dx.length;
  switch (op) {
    case 'affine':
      for (let i = 0; i < n; i++) dx[i] = a * dy[i]!;
      return;
    case 'reciprocal':
      for (let i = 0; i < n; i++) dx[i] = (-a * dy[i]!) / (x[i]! * x[i]!);
      return;
    case 'exp':
      for (let i = 0; i < n; i++) dx[i] = dy[i]! * Math.exp(x[i]!);
      return;
    case 'log':
      for (let i = 0; i < n; i++) dx[i] = dy[i]! / x[i]!;
      return;
    case 'sqrt':
      for (let i = 0; i < n; i++) dx[i] = dy[i]! / (2 * Math.sqrt(x[i]!));
      return;
    case 'abs':
      for (let i = 0; i < n; i++) dx[i] = x[i]! > 0 ? dy[i]! : x[i]! < 0 ? -dy[i]! : 0;
      return;
    case 'square':
      for (let i = 0; i < n; i++) dx[i] = 2 * x[i]! * dy[i]!;
      return;
    case 'pow':
      for (let i = 0; i < n; i++) dx[i] = a === 0 ? 0 : a * power(x[i]!, a - 1) * dy[i]!;
      return;
    case 'clip':
      for (let i = 0; i < n; i++) dx[i] = x[i]! >= a && x[i]! <= b ? dy[i]! : 0;
      return;
  }
}

// Operands by index, the numbers read one by one: no destructured arrays or objects per call.
const unary: CpuKernel = (_ctx, inputs, outputs, attrs) => {
  applyUnary(unaryOpOf(attrs), f32(inputs[0]!), f32(outputs[0]!), unaryNumber(attrs, 'a'), unaryNumber(attrs, 'b'));
};

const unaryGrad: CpuKernel = (_ctx, inputs, outputs, attrs) => {
  applyUnaryGrad(unaryOpOf(attrs), f32(inputs[1]!), f32(inputs[0]!), f32(outputs[0]!), unaryNumber(attrs, 'a'), unaryNumber(attrs, 'b'));
};

/**
 * For every element of x (row-major), the index of its group in the reduced output (the strides of
 * the kept axes in the output, 0 on the reduced ones), kept per axes array (a step's attrs) while the
 * shape's numbers stay (a rebound batch changes them): nothing made per call.
 */
const groupIndexes = new WeakMap<readonly number[], { shape: number[]; groups: Int32Array }>();
function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
function groupsOf(shape: readonly number[], axes: readonly number[]): Int32Array {
  const kept = groupIndexes.get(axes);
  if (kept && sameNumbers(kept.shape, shape)) return kept.groups;
  const strides = new Array<number>(shape.length).fill(0);
  let stride = 1;
  for (let k = shape.length - 1; k >= 0; k--) {
    if (axes.includes(k)) continue;
    strides[k] = stride;
    stride *= shape[k]!;
  }
  const n = shape.reduce((p, d) => p * d, 1);
  const groups = new Int32Array(n);
  const index = new Array<number>(shape.length).fill(0);
  let o = 0;
  for (let i = 0; i < n; i++) {
    groups[i] = o;
    for (let k = shape.length - 1; k >= 0; k--) {
      o += strides[k]!;
      if (++index[k]! < shape[k]!) break;
      o -= strides[k]! * index[k]!;
      index[k] = 0;
    }
  }
  groupIndexes.set(axes, { shape: [...shape], groups });
  return groups;
}

const reduce: CpuKernel = (_ctx, inputs, outputs, attrs) => {
  const op = reduceOpOf(attrs);
  const xd = f32(inputs[0]!);
  const out = f32(outputs[0]!);
  const groups = groupsOf(inputs[0]!.shape, attrs.axes as number[]);
  out.fill(op === 'max' ? -Infinity : op === 'min' ? Infinity : 0);
  if (op === 'max') {
    for (let i = 0; i < xd.length; i++) if (xd[i]! > out[groups[i]!]!) out[groups[i]!] = xd[i]!;
    return;
  }
  if (op === 'min') {
    for (let i = 0; i < xd.length; i++) if (xd[i]! < out[groups[i]!]!) out[groups[i]!] = xd[i]!;
    return;
  }
  for (let i = 0; i < xd.length; i++) out[groups[i]!]! += xd[i]!;
  if (op === 'mean' && out.length > 0) {
    const count = xd.length / out.length;
    for (let o = 0; o < out.length; o++) out[o]! /= count;
  }
};

/** reduce_grad's marks of the groups whose extreme has taken the gradient, grown as needed. */
let taken = new Uint8Array(0);

const reduceGrad: CpuKernel = (_ctx, inputs, outputs, attrs) => {
  const op = reduceOpOf(attrs);
  const g = f32(inputs[0]!);
  const out = f32(outputs[0]!);
  const groups = groupsOf(inputs[1]!.shape, attrs.axes as number[]);
  if (op === 'sum' || op === 'mean') {
    const factor = op === 'mean' ? g.length / out.length : 1;
    for (let i = 0; i < out.length; i++) out[i] = g[groups[i]!]! * factor;
    return;
  }
  const xd = f32(inputs[1]!);
  const yd = f32(inputs[2]!);
  if (taken.length < g.length) taken = new Uint8Array(g.length);
  taken.fill(0, 0, g.length);
  for (let i = 0; i < out.length; i++) {
    const o = groups[i]!;
    const first = taken[o] === 0 && xd[i] === yd[o];
    if (first) taken[o] = 1;
    out[i] = first ? g[o]! : 0;
  }
};

export const mathKernels = { unary, unary_grad: unaryGrad, reduce, reduce_grad: reduceGrad } satisfies CpuKernelMap;
