/**
 * The elementwise math and the reductions, declared once. The kernel table (kernels.ts) has one
 * `unary` kernel whose `op` attribute names an entry of UNARY_OPS (with its numbers `a` and `b`), one
 * `unary_grad`, one `reduce` whose `op` names an entry of REDUCE_OPS, and one `reduce_grad`. The CPU
 * bodies and the WGSL expressions are records typed by these names, so an entry without an
 * implementation is a type error; the language's ops (compiler/ops/math.ts) read the docs from here.
 */
export interface UnaryOpFacts {
  /** The formula, with `a` and `b` the step's number attributes where the op reads them. */
  doc: string;
  gradDoc: string;
  /** The attributes the op reads, with what each means. */
  attrs: Readonly<Partial<Record<'a' | 'b', string>>>;
}

const UNARY_OPS = {
  affine: { doc: 'y = a·x + b (scalar arithmetic: x * 0.5, 1 - x, -x).', gradDoc: 'dx = a·dy.', attrs: { a: 'scale', b: 'shift' } },
  reciprocal: { doc: 'y = a / x (a number divided by a tensor).', gradDoc: 'dx = −a·dy / x².', attrs: { a: 'numerator' } },
  exp: { doc: 'y = eˣ (the natural exponential).', gradDoc: 'dx = dy·eˣ.', attrs: {} },
  log: { doc: 'y = ln x (NaN below 0, −∞ at 0).', gradDoc: 'dx = dy / x.', attrs: {} },
  sqrt: { doc: 'y = √x (NaN below 0).', gradDoc: 'dx = dy / (2√x).', attrs: {} },
  abs: { doc: 'y = |x| (the absolute value).', gradDoc: 'dx = dy·sign(x) (0 at 0).', attrs: {} },
  square: { doc: 'y = x² (x times itself).', gradDoc: 'dx = 2x·dy.', attrs: {} },
  pow: { doc: 'y = xᵃ (a whole exponent keeps the sign of negative x: (−2)³ = −8).', gradDoc: 'dx = a·xᵃ⁻¹·dy.', attrs: { a: 'exponent' } },
  clip: { doc: 'y = min(max(x, a), b).', gradDoc: 'dx = dy where a ≤ x ≤ b, else 0.', attrs: { a: 'lower bound', b: 'upper bound' } },
} as const satisfies Record<string, UnaryOpFacts>;

export type UnaryOpName = keyof typeof UNARY_OPS;

export const UNARY_OP_NAMES = Object.keys(UNARY_OPS) as UnaryOpName[];

function isUnaryOp(name: unknown): name is UnaryOpName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(UNARY_OPS, name);
}

export function unaryOpFacts(name: UnaryOpName): UnaryOpFacts {
  return UNARY_OPS[name];
}

/** The op of a `unary` step, or an error naming what the step holds. */
export function unaryOpOf(attrs: Readonly<Record<string, unknown>>): UnaryOpName {
  if (!isUnaryOp(attrs.op)) throw new Error(`unary op '${String(attrs.op)}' is not one of ${UNARY_OP_NAMES.join(', ')}`);
  return attrs.op;
}

/** The numbers a `unary` step reads: `a` and `b`, 0 when absent. */
export function unaryNumbers(attrs: Readonly<Record<string, unknown>>): { a: number; b: number } {
  return { a: unaryNumber(attrs, 'a'), b: unaryNumber(attrs, 'b') };
}

/** One of them (no object: the CPU kernels' per-call read). */
export function unaryNumber(attrs: Readonly<Record<string, unknown>>, name: 'a' | 'b'): number {
  const value = attrs[name];
  return typeof value === 'number' ? value : 0;
}

const REDUCE_OPS = {
  sum: 'Σ over the axes.',
  mean: 'Σ over the axes divided by the number of values reduced.',
  max: 'The largest value; the gradient goes to the first maximum.',
  min: 'The smallest value; the gradient goes to the first minimum.',
} as const satisfies Record<string, string>;

export type ReduceOpName = keyof typeof REDUCE_OPS;

export const REDUCE_OP_NAMES = Object.keys(REDUCE_OPS) as ReduceOpName[];

export function reduceOpDoc(name: ReduceOpName): string {
  return REDUCE_OPS[name];
}

/** The op of a `reduce` step, or an error naming what the step holds. */
export function reduceOpOf(attrs: Readonly<Record<string, unknown>>): ReduceOpName {
  const op = attrs.op;
  if (typeof op !== 'string' || !Object.prototype.hasOwnProperty.call(REDUCE_OPS, op)) throw new Error(`reduce op '${String(op)}' is not one of ${REDUCE_OP_NAMES.join(', ')}`);
  return op as ReduceOpName;
}
