import type { CpuKernel, CpuKernelMap } from '../kernel-interface.js';
import { f32 } from '../kernel-interface.js';
import { reduceOpOf, unaryNumbers, unaryOpOf, type UnaryOpName } from '../../plan/math-ops.js';

/**
 * The elementwise math (`unary`, one kernel whose `op` attribute picks the formula of
 * runtime/plan/math-ops.ts) and the reductions over any set of axes (`reduce`), with their gradients.
 * Plain typed-array loops; the op is chosen once per call, outside the loop.
 */

type Formula = (x: number, a: number, b: number) => number;
type Derivative = (x: number, dy: number, a: number, b: number) => number;

/** x^a, with a whole exponent keeping the sign of a negative base (as Math.pow does). */
const power = (x: number, a: number): number => Math.pow(x, a);

const FORMULAS: Record<UnaryOpName, { f: Formula; df: Derivative }> = {
  affine: { f: (x, a, b) => a * x + b, df: (_x, dy, a) => a * dy },
  reciprocal: { f: (x, a) => a / x, df: (x, dy, a) => (-a * dy) / (x * x) },
  exp: { f: (x) => Math.exp(x), df: (x, dy) => dy * Math.exp(x) },
  log: { f: (x) => Math.log(x), df: (x, dy) => dy / x },
  sqrt: { f: (x) => Math.sqrt(x), df: (x, dy) => dy / (2 * Math.sqrt(x)) },
  abs: { f: (x) => Math.abs(x), df: (x, dy) => (x > 0 ? dy : x < 0 ? -dy : 0) },
  square: { f: (x) => x * x, df: (x, dy) => 2 * x * dy },
  pow: { f: power, df: (x, dy, a) => (a === 0 ? 0 : a * power(x, a - 1) * dy) },
  clip: { f: (x, a, b) => Math.min(Math.max(x, a), b), df: (x, dy, a, b) => (x >= a && x <= b ? dy : 0) },
};

const unary: CpuKernel = (_ctx, [x], [y], attrs) => {
  const { f } = FORMULAS[unaryOpOf(attrs)];
  const { a, b } = unaryNumbers(attrs);
  const xd = f32(x!);
  const out = f32(y!);
  for (let i = 0; i < out.length; i++) out[i] = f(xd[i]!, a, b);
};

const unaryGrad: CpuKernel = (_ctx, [dy, x], [dx], attrs) => {
  const { df } = FORMULAS[unaryOpOf(attrs)];
  const { a, b } = unaryNumbers(attrs);
  const g = f32(dy!);
  const xd = f32(x!);
  const out = f32(dx!);
  for (let i = 0; i < out.length; i++) out[i] = df(xd[i]!, g[i]!, a, b);
};

/**
 * For every element of x (row-major), the index of its group in the reduced output: the strides of
 * the kept axes in the output, 0 on the reduced ones. Calls `visit(i, o)` in x's order.
 */
function eachGroup(shape: readonly number[], axes: readonly number[], visit: (i: number, o: number) => void): void {
  const strides = new Array<number>(shape.length).fill(0);
  let stride = 1;
  for (let k = shape.length - 1; k >= 0; k--) {
    if (axes.includes(k)) continue;
    strides[k] = stride;
    stride *= shape[k]!;
  }
  const n = shape.reduce((p, d) => p * d, 1);
  const index = new Array<number>(shape.length).fill(0);
  let o = 0;
  for (let i = 0; i < n; i++) {
    visit(i, o);
    for (let k = shape.length - 1; k >= 0; k--) {
      o += strides[k]!;
      if (++index[k]! < shape[k]!) break;
      o -= strides[k]! * index[k]!;
      index[k] = 0;
    }
  }
}

const reduce: CpuKernel = (_ctx, [x], [y], attrs) => {
  const op = reduceOpOf(attrs);
  const axes = attrs.axes as number[];
  const xd = f32(x!);
  const out = f32(y!);
  const extreme = op === 'max' || op === 'min';
  out.fill(op === 'max' ? -Infinity : op === 'min' ? Infinity : 0);
  if (extreme) {
    const better = op === 'max' ? (v: number, o: number) => v > out[o]! : (v: number, o: number) => v < out[o]!;
    eachGroup(x!.shape, axes, (i, o) => {
      if (better(xd[i]!, o)) out[o] = xd[i]!;
    });
    return;
  }
  eachGroup(x!.shape, axes, (i, o) => {
    out[o]! += xd[i]!;
  });
  if (op === 'mean' && out.length > 0) {
    const count = xd.length / out.length;
    for (let o = 0; o < out.length; o++) out[o]! /= count;
  }
};

const reduceGrad: CpuKernel = (_ctx, [dy, x, y], [dx], attrs) => {
  const op = reduceOpOf(attrs);
  const axes = attrs.axes as number[];
  const g = f32(dy!);
  const out = f32(dx!);
  if (op === 'sum' || op === 'mean') {
    const factor = op === 'mean' ? g.length / out.length : 1;
    eachGroup(x!.shape, axes, (i, o) => {
      out[i] = g[o]! * factor;
    });
    return;
  }
  const xd = f32(x!);
  const yd = f32(y!);
  const taken = new Uint8Array(g.length);
  eachGroup(x!.shape, axes, (i, o) => {
    const first = taken[o] === 0 && xd[i] === yd[o];
    if (first) taken[o] = 1;
    out[i] = first ? g[o]! : 0;
  });
};

export const mathKernels = { unary, unary_grad: unaryGrad, reduce, reduce_grad: reduceGrad } satisfies CpuKernelMap;
