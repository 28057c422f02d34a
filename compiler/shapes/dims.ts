import { broadcastOf, transposedWindowOf, type DimArithmetic } from '../../runtime/plan/shape-families.js';
import { windowOutputOf } from '../../runtime/plan/window-output.js';
import type { Dim, Shape } from '../ir/types.js';

/**
 * Arithmetic on dimensions, the one used by the checker, the primitive shape rules and so the plan.
 * A dim is a number or a symbolic name (`batch`, `seq`); arithmetic on a symbolic dim yields a small
 * expression string (`seq-2`, `floor((h-3)/2)+1`) that is compared as text and that the runtime
 * evaluates when the dims are bound (runtime/plan/dims.ts).
 * Concrete arithmetic is done exactly; a result that is not a whole number is reported by the caller.
 */

function wrap(d: Dim): string {
  return typeof d === 'number' || /^[A-Za-z_][A-Za-z0-9_]*$/.test(d) ? String(d) : `(${d})`;
}

export function dimAdd(a: Dim, b: Dim): Dim {
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  if (b === 0) return a;
  if (a === 0) return b;
  if (typeof b === 'number' && b < 0) return `${a}-${-b}`;
  return `${a}+${b}`;
}

function dimSub(a: Dim, b: Dim): Dim {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (b === 0) return a;
  if (a === b) return 0;
  return `${a}-${wrap(b)}`;
}

/**
 * Integer division rounding down (conv and pooling output sizes). A symbolic result keeps the
 * `floor(...)`, so the expression the checker shows is the one the plan evaluates (runtime/plan/dims.ts).
 */
function dimFloorDiv(a: Dim, b: Dim): Dim {
  if (typeof a === 'number' && typeof b === 'number') return Math.floor(a / b);
  if (b === 1) return a;
  return `floor(${wrap(a)}/${wrap(b)})`;
}

/** Division rounding up (`same` padding with a stride). */
export function dimCeilDiv(a: Dim, b: Dim): Dim {
  if (typeof a === 'number' && typeof b === 'number') return Math.ceil(a / b);
  if (b === 1) return a;
  return `ceil(${wrap(a)}/${wrap(b)})`;
}

/** The product of dims, constants folded into one factor: `[seq, 4, 4]` → `seq*16`. */
export function dimProductOf(dims: readonly Dim[]): Dim {
  let constant = 1;
  const symbolic: string[] = [];
  // An index loop: the shape rules multiply dims for every matmul built, often before V8 optimises this.
  for (let i = 0; i < dims.length; i++) {
    const d = dims[i]!;
    if (typeof d === 'number') constant *= d;
    else symbolic.push(wrap(d));
  }
  if (symbolic.length === 0) return constant;
  return constant === 1 ? symbolic.join('*') : `${symbolic.join('*')}*${constant}`;
}

export function sameDim(a: Dim, b: Dim): boolean {
  return a === b;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => sameDim(d, b[i]!));
}

/** `[batch, 28, 28]`: how shapes appear in every message. */
export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/** Product of the dims after the batch axis, or null when one of them is symbolic. */
export function perSampleSize(shape: Shape): number | null {
  let n = 1;
  for (const d of shape.slice(1)) {
    if (typeof d !== 'number') return null;
    n *= d;
  }
  return n;
}

/** Product of every dim, or null when one is symbolic (parameter shapes are always concrete). */
export function concreteSize(shape: Shape): number | null {
  let n = 1;
  for (const d of shape) {
    if (typeof d !== 'number') return null;
    n *= d;
  }
  return n;
}

/**
 * Numpy broadcasting (trailing axes aligned, size-1 axes stretch). Returns null when two axes
 * differ and neither is 1.
 */
export function broadcast(a: Shape, b: Shape): Shape | null {
  return broadcastOf(a, b, SYMBOLIC_DIMS);
}

/**
 * The symbolic dims as the shape families of runtime/plan/shape-families.ts compute with them, so
 * the checker, the primitive shape rules and the plan validator share one rule per kernel family.
 * On two numbers every operation is the plain arithmetic.
 */
export const SYMBOLIC_DIMS: DimArithmetic<Dim> = {
  sub: dimSub,
  add: dimAdd,
  floorDiv: dimFloorDiv,
  ceilDiv: dimCeilDiv,
  equal: sameDim,
  known: (d) => (typeof d === 'number' ? d : undefined),
  // Concatenated sizes: folded when all are known, else `a+b` as written.
  sum: (dims) => (dims.every((d) => typeof d === 'number') ? (dims as number[]).reduce((a, b) => a + b, 0) : dims.join('+')),
  of: (n) => n,
  product: dimProductOf,
};

/** Output length of a convolution or pooling window along one axis (runtime/plan/window-output.ts). */
export function windowOutput(n: Dim, kernel: number, stride: number, dilation: number, padding: 'same' | 'valid'): Dim {
  return windowOutputOf(n, kernel, stride, dilation, padding, SYMBOLIC_DIMS);
}

/** Output length of a transposed convolution along one axis (runtime/plan/shape-families.ts). */
export function transposedWindowOutput(n: Dim, kernel: number, stride: number, dilation: number, padding: 'same' | 'valid'): Dim {
  return transposedWindowOf(n, kernel, stride, dilation, padding, SYMBOLIC_DIMS);
}
