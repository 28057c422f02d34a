/**
 * Output length of a convolution or pooling window along one axis, declared once for every currency
 * of dims: numbers (the plan validator, runtime/plan/shape-rules.ts) and symbolic expressions (the
 * checker and the primitive shape rules, through compiler/shapes/dims.ts).
 *   valid: floor((n − dilation·(k−1) − 1) / stride) + 1;   same: ceil(n / stride).
 */
export interface WindowArithmetic<D> {
  sub(a: D, b: number): D;
  add(a: D, b: number): D;
  floorDiv(a: D, b: number): D;
  ceilDiv(a: D, b: number): D;
}

export type WindowPadding = 'same' | 'valid';

export function windowOutputOf<D>(n: D, kernel: number, stride: number, dilation: number, padding: WindowPadding, arithmetic: WindowArithmetic<D>): D {
  if (padding === 'same') return arithmetic.ceilDiv(n, stride);
  const span = dilation * (kernel - 1) + 1;
  // Stride 1 needs no division: `seq-2` rather than floor((seq-3)/1)+1.
  if (stride === 1) return arithmetic.sub(n, span - 1);
  return arithmetic.add(arithmetic.floorDiv(arithmetic.sub(n, span), stride), 1);
}

export const NUMBER_ARITHMETIC: WindowArithmetic<number> = {
  sub: (a, b) => a - b,
  add: (a, b) => a + b,
  floorDiv: (a, b) => Math.floor(a / b),
  ceilDiv: (a, b) => Math.ceil(a / b),
};
