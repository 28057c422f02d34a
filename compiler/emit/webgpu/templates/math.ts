import type { PlanDim } from '../../../../runtime/plan/format.js';
import { reduceOpOf, unaryNumbers, unaryOpOf, type UnaryOpName } from '../../../../runtime/plan/math-ops.js';
import { f32Literal, product } from '../dims.js';
import type { KernelSource, StepShapes } from '../program.js';
import { gridKernel, input, output } from './grid.js';

/**
 * The elementwise math (`unary` and `unary_grad`: the op's formula inlined, its numbers as literals,
 * so each op and constant is its own program) and the reductions over any set of axes (`reduce`,
 * `reduce_grad`).
 */

type Numbers = { a: string; b: string };

/** x^a in WGSL, whose pow is undefined for x < 0: a whole exponent goes through |x| and the sign. */
function power(x: string, a: number, n: Numbers): string {
  if (a === 0) return '1.0';
  if (!Number.isInteger(a)) return `pow(${x}, ${n.a})`;
  const magnitude = `pow(abs(${x}), ${n.a})`;
  return Math.abs(a) % 2 === 1 ? `(sign(${x}) * ${magnitude})` : magnitude;
}

/** y as a WGSL expression of `x`, and dx of `x` and `g` (dy). */
const FORMULAS: Record<UnaryOpName, { f: (n: Numbers, a: number) => string; df: (n: Numbers, a: number) => string }> = {
  affine: { f: (n) => `${n.a} * x + ${n.b}`, df: (n) => `${n.a} * g` },
  reciprocal: { f: (n) => `${n.a} / x`, df: (n) => `-${n.a} * g / (x * x)` },
  exp: { f: () => 'exp(x)', df: () => 'g * exp(x)' },
  log: { f: () => 'log(x)', df: () => 'g / x' },
  sqrt: { f: () => 'sqrt(x)', df: () => 'g / (2.0 * sqrt(x))' },
  abs: { f: () => 'abs(x)', df: () => 'g * sign(x)' },
  square: { f: () => 'x * x', df: () => '2.0 * x * g' },
  pow: { f: (n, a) => power('x', a, n), df: (n, a) => (a === 0 ? '0.0' : `${n.a} * ${power('x', a - 1, { a: f32Literal(a - 1), b: n.b })} * g`) },
  clip: { f: (n) => `clamp(x, ${n.a}, ${n.b})`, df: (n) => `select(0.0, g, x >= ${n.a} && x <= ${n.b})` },
};

function numbersOf(attrs: Record<string, unknown>): { literals: Numbers; a: number } {
  const { a, b } = unaryNumbers(attrs);
  return { literals: { a: `(${f32Literal(a)})`, b: `(${f32Literal(b)})` }, a };
}

export function emitUnary(step: StepShapes): KernelSource {
  const { literals, a } = numbersOf(step.attrs);
  const f = FORMULAS[unaryOpOf(step.attrs)].f(literals, a);
  return gridKernel(product(step.outputs[0]!.shape), [input(0, 'xs'), output(0, 'y')], `let x = xs[i];\ny[i] = ${f};`);
}

export function emitUnaryGrad(step: StepShapes): KernelSource {
  const { literals, a } = numbersOf(step.attrs);
  const df = FORMULAS[unaryOpOf(step.attrs)].df(literals, a);
  return gridKernel(product(step.outputs[0]!.shape), [input(0, 'dy'), input(1, 'xs'), output(0, 'dx')], `let x = xs[i];\nlet g = dy[i];\ndx[i] = ${df};`);
}

/**
 * How a thread finds its elements of x: the output (group) index `i` gives `base` over the kept axes,
 * the member index `r` adds `off` over the reduced axes. Dims and strides are params, so a symbolic
 * dim (batch) is bound at run time.
 */
function groups(xs: PlanDim[], axes: readonly number[]): { params: KernelSource['params']; base: string; member: string; size: PlanDim } {
  const params: KernelSource['params'] = [];
  const kept: string[] = [];
  const reduced: string[] = [];
  let keptDiv: PlanDim[] = [];
  let redDiv: PlanDim[] = [];
  for (let k = xs.length - 1; k >= 0; k--) {
    params.push({ name: `d${k}`, type: 'u32', value: xs[k]! });
    params.push({ name: `s${k}`, type: 'u32', value: product(xs.slice(k + 1)) });
    if (axes.includes(k)) {
      params.push({ name: `rdiv${k}`, type: 'u32', value: product(redDiv) });
      reduced.push(`off += ((r / P.rdiv${k}) % P.d${k}) * P.s${k};`);
      redDiv = [...redDiv, xs[k]!];
    } else {
      params.push({ name: `kdiv${k}`, type: 'u32', value: product(keptDiv) });
      kept.push(`base += ((i / P.kdiv${k}) % P.d${k}) * P.s${k};`);
      keptDiv = [...keptDiv, xs[k]!];
    }
  }
  const size = product(redDiv);
  params.push({ name: 'group', type: 'u32', value: size });
  return { params, base: `var base = 0u;\n${kept.join('\n')}`, member: `var off = base;\n${reduced.join('\n')}`, size };
}

/** One thread per output element loops over its group. */
export function emitReduce(step: StepShapes): KernelSource {
  const op = reduceOpOf(step.attrs);
  const g = groups(step.inputs[0]!.shape, step.attrs.axes as number[]);
  // max and min start from the group's first value (a group is never empty).
  const combine = op === 'max' || op === 'min' ? `acc = select(${op}(acc, x[off]), x[off], r == 0u);` : 'acc += x[off];';
  const result = op === 'mean' ? 'acc / f32(P.group)' : 'acc';
  return gridKernel(product(step.outputs[0]!.shape), [input(0, 'x'), output(0, 'y')], `
${g.base}
var acc = 0.0;
for (var r = 0u; r < P.group; r++) {
  ${g.member.split('\n').join('\n  ')}
  ${combine}
}
y[i] = ${result};`, { params: g.params });
}

/**
 * sum and mean: one thread per group writes dy (over the group's size for mean) to every member;
 * max and min: one thread per group gives all of dy to the first member equal to y, 0 to the rest.
 */
export function emitReduceGrad(step: StepShapes): KernelSource {
  const op = reduceOpOf(step.attrs);
  const g = groups(step.inputs[1]!.shape, step.attrs.axes as number[]);
  const spread = op === 'sum' || op === 'mean';
  const write = spread
    ? `dx[off] = dy[i]${op === 'mean' ? ' / f32(P.group)' : ''};`
    : `let hit = !found && x[off] == y[i];\n  dx[off] = select(0.0, dy[i], hit);\n  found = found || hit;`;
  return gridKernel(product(step.inputs[0]!.shape), [input(0, 'dy'), input(1, 'x'), input(2, 'y'), output(0, 'dx')], `
${g.base}${spread ? '' : '\nvar found = false;'}
for (var r = 0u; r < P.group; r++) {
  ${g.member.split('\n').join('\n  ')}
  ${write}
}`, { params: g.params });
}
