/**
 * Evaluates plan dims: a number, or an expression over symbolic dims such as `batch`, `seq-2`,
 * `ceil((len)/2)`, `batch*16`. A tiny recursive-descent parser (never `eval`): numbers, names,
 * + - * / and parentheses, and the functions ceil and floor.
 */
export class DimError extends Error {
  constructor(
    message: string,
    /** The expression nests deeper than MAX_DIM_DEPTH (NNR1016 rather than NNR1013). */
    readonly tooDeep = false,
  ) {
    super(message);
  }
}

/** Parentheses, unary minus and ceil/floor nest at most this deep: the parser recurses per level. */
const MAX_DIM_DEPTH = 64;

/** A dim that is one name (`batch`): the common case, looked up without tokenizing. */
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function evalDim(dim: number | string, bindings: Readonly<Record<string, number | null | undefined>>): number {
  if (typeof dim === 'number') return dim;
  if (NAME.test(dim) && dim !== 'ceil' && dim !== 'floor') {
    // Exactly what the parser below does for a lone name (the compile evaluates thousands).
    const v = Object.hasOwn(bindings, dim) ? bindings[dim] : undefined;
    if (typeof v !== 'number') throw new DimError(`dim '${dim}' is not bound`);
    return v;
  }
  return evalDimWith(dim, {
    ...NUMBER_DIM_ARITHMETIC,
    name: (t) => {
      // Own properties only: a dim named `constructor` or `toString` is a dim like any other.
      const v = Object.hasOwn(bindings, t) ? bindings[t] : undefined;
      if (typeof v !== 'number') throw new DimError(`dim '${t}' is not bound`);
      return v;
    },
  });
}

/** What a dim expression's value is made of: numbers here, graph values in the ONNX export (runtime/export/onnx-dims.ts). */
export interface DimEvaluation<V> {
  number(n: number): V;
  name(name: string): V;
  add(a: V, b: V): V;
  sub(a: V, b: V): V;
  mul(a: V, b: V): V;
  /** Real division; ceil and floor make it whole. */
  div(a: V, b: V): V;
  neg(a: V): V;
  ceil(a: V): V;
  floor(a: V): V;
}

const NUMBER_DIM_ARITHMETIC: Omit<DimEvaluation<number>, 'name'> = {
  number: (n) => n,
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  neg: (a) => -a,
  ceil: Math.ceil,
  floor: Math.floor,
};

/** The one parser of dim expressions, evaluated in any currency `V`. */
export function evalDimWith<V>(dim: string, on: DimEvaluation<V>): V {
  const tokens = dim.match(/\s*([A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?|[-+*/()])/g)?.map((t) => t.trim()) ?? [];
  if (tokens.join('') !== dim.replace(/\s+/g, '')) throw new DimError(`bad dim expression '${dim}'`);
  let pos = 0;
  let depth = 0;
  const nested = <T>(inner: () => T): T => {
    if (++depth > MAX_DIM_DEPTH) throw new DimError(`dim expression nests more than ${MAX_DIM_DEPTH} levels deep`, true);
    const value = inner();
    depth--;
    return value;
  };
  const peek = (): string | undefined => tokens[pos];
  const take = (): string => {
    const t = tokens[pos++];
    if (t === undefined) throw new DimError(`bad dim expression '${dim}'`);
    return t;
  };
  const primary = (): V => {
    const t = take();
    if (t === '(') {
      const v = nested(sum);
      if (take() !== ')') throw new DimError(`unbalanced parentheses in '${dim}'`);
      return v;
    }
    if (t === '-') return on.neg(nested(primary));
    if (/^\d/.test(t)) return on.number(Number(t));
    if (t === 'ceil' || t === 'floor') {
      if (take() !== '(') throw new DimError(`'${t}' needs parentheses in '${dim}'`);
      const v = nested(sum);
      if (take() !== ')') throw new DimError(`unbalanced parentheses in '${dim}'`);
      return t === 'ceil' ? on.ceil(v) : on.floor(v);
    }
    if (/^[A-Za-z_]/.test(t)) return on.name(t);
    throw new DimError(`unexpected '${t}' in dim '${dim}'`);
  };
  const product = (): V => {
    let v = primary();
    while (peek() === '*' || peek() === '/') v = take() === '*' ? on.mul(v, primary()) : on.div(v, primary());
    return v;
  };
  const sum = (): V => {
    let v = product();
    while (peek() === '+' || peek() === '-') v = take() === '+' ? on.add(v, product()) : on.sub(v, product());
    return v;
  };
  const value = sum();
  if (pos !== tokens.length) throw new DimError(`trailing input in dim '${dim}'`);
  return value;
}

/** Names of the symbolic dims an expression mentions. */
export function dimSymbols(dim: number | string): string[] {
  if (typeof dim === 'number') return [];
  return (dim.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []).filter((n) => n !== 'ceil' && n !== 'floor');
}
