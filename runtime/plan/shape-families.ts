import type { PlanAttr } from './format.js';
import { RECURRENT_CELLS, type RecurrentCellName } from './kernels.js';
import { matmulSizes, type MatmulSizes } from './matmul-sizes.js';
import { NUMBER_ARITHMETIC, windowOutputOf, type WindowArithmetic } from './window-output.js';

/**
 * The output shapes of the kernel families, declared once over any currency of dims: numbers for the
 * plan validator (runtime/plan/shape-rules.ts) and the compiler's symbolic dims for the primitive
 * shape rules (compiler/ir/primitives.ts, through compiler/shapes/dims.ts). Each function reads the
 * kernel's attributes as the plan records them and returns the output shape, or null where the
 * inputs do not fit (the caller says why: the validator in its message, the compiler as a bug).
 */
export interface DimArithmetic<D> extends WindowArithmetic<D> {
  /** Whether two dims are known to be equal. */
  equal(a: D, b: D): boolean;
  /** The dim's value when it is a known number. */
  known(d: D): number | undefined;
  /** The sum of the sizes along a concatenation axis. */
  sum(dims: readonly D[]): D;
  /** A known number as a dim. */
  of(n: number): D;
  /** The product of dims (a matmul's rows). */
  product(dims: readonly D[]): D;
}

export const NUMBER_DIMS: DimArithmetic<number> = {
  ...NUMBER_ARITHMETIC,
  equal: (a, b) => a === b,
  known: (d) => d,
  sum: (dims) => dims.reduce((a, b) => a + b, 0),
  of: (n) => n,
  product: (dims) => dims.reduce((a, b) => a * b, 1),
};

type Attrs = Readonly<Record<string, PlanAttr | undefined>>;

const ints = (value: PlanAttr | undefined, fallback: readonly number[]): readonly number[] => (Array.isArray(value) ? (value as number[]) : fallback);
const paddingOf = (attrs: Attrs): 'same' | 'valid' => (attrs.padding === 'same' ? 'same' : 'valid');

/** Numpy broadcasting (trailing axes aligned, size-1 axes stretch); null when two axes differ and neither is 1. */
export function broadcastOf<D>(a: readonly D[], b: readonly D[], dims: DimArithmetic<D>): D[] | null {
  const rank = Math.max(a.length, b.length);
  const out: D[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i];
    const y = b[b.length - rank + i];
    if (x === undefined) out.push(y!);
    else if (y === undefined || dims.equal(x, y) || dims.known(y) === 1) out.push(x);
    else if (dims.known(x) === 1) out.push(y);
    else return null;
  }
  return out;
}

/**
 * y of matmul and its sizes (runtime/plan/matmul-sizes.ts): y keeps a's leading axes (m is their
 * product) unless a is read transposed, then [M, N]. A rank-0 operand reads as one value ([1]), as the
 * kernels do. The inner sizes agree in a well-formed step: `dims.equal(k, kB)`.
 */
export function matmulOutputOf<D>(a: readonly D[], b: readonly D[], attrs: Attrs, dims: DimArithmetic<D>): MatmulSizes<D> & { y: D[] } {
  const transA = attrs.transA === true;
  const rowsA = a.length > 0 ? a : [dims.of(1)];
  // The sizes object gains y rather than being copied into a new one: the compiler calls this for
  // every matmul and its gradients (tens of thousands of times for a 1,000-layer model).
  const sizes = matmulSizes(rowsA, b.length > 0 ? b : [dims.of(1)], transA, attrs.transB === true, dims.product) as MatmulSizes<D> & { y: D[] };
  const y = transA ? [sizes.m] : rowsA.slice(0, -1);
  y.push(sizes.n);
  sizes.y = y;
  return sizes;
}

/** y of conv1d / conv2d: x [N, ...spatial, C], w [F, ...kernel, C] → [N, ...windows, F]. */
export function convOutputOf<D>(x: readonly D[], w: readonly D[], attrs: Attrs, dims: DimArithmetic<D>): D[] {
  const strides = ints(attrs.strides, [1, 1]);
  const dilation = ints(attrs.dilation, [1, 1]);
  const spatial = x.slice(1, -1).map((n, i) => windowOutputOf(n, dims.known(w[1 + i]!) ?? 1, strides[i] ?? 1, dilation[i] ?? 1, paddingOf(attrs), dims));
  return [x[0]!, ...spatial, w[0]!];
}

/**
 * Output length of a transposed convolution along one axis (Keras' `deconv_output_length` without
 * output padding): valid n·stride + max(span − stride, 0), same n·stride, span = dilation·(k−1) + 1.
 * It is the input length of the forward convolution whose gradient the transposed one is: that
 * convolution maps the output length back to n (runtime/plan/window-output.ts).
 */
export function transposedWindowOf<D>(n: D, kernel: number, stride: number, dilation: number, padding: 'same' | 'valid', dims: DimArithmetic<D>): D {
  const scaled = dims.product([n, dims.of(stride)]);
  if (padding === 'same') return scaled;
  return dims.add(scaled, Math.max(dilation * (kernel - 1) + 1 - stride, 0));
}

/** y of conv1d_transpose / conv2d_transpose: x [N, ...spatial, C], w [C, ...kernel, F] → [N, ...lengths, F]. */
export function convTransposeOutputOf<D>(x: readonly D[], w: readonly D[], attrs: Attrs, dims: DimArithmetic<D>): D[] {
  const strides = ints(attrs.strides, [1, 1]);
  const dilation = ints(attrs.dilation, [1, 1]);
  const spatial = x.slice(1, -1).map((n, i) => transposedWindowOf(n, dims.known(w[1 + i]!) ?? 1, strides[i] ?? 1, dilation[i] ?? 1, paddingOf(attrs), dims));
  return [x[0]!, ...spatial, w[w.length - 1]!];
}

/** y of upsample2d: x [N, H, W, C] → [N, H·size_h, W·size_w, C]. */
export function upsampleOutputOf<D>(x: readonly D[], attrs: Attrs, dims: DimArithmetic<D>): D[] {
  const size = ints(attrs.size, [2, 2]);
  return [x[0]!, dims.product([x[1]!, dims.of(size[0] ?? 1)]), dims.product([x[2]!, dims.of(size[1] ?? 1)]), x[3]!];
}

/** y of maxpool2d / avgpool2d: x [N, H, W, C] → [N, H', W', C]. */
export function poolOutputOf<D>(x: readonly D[], attrs: Attrs, dims: DimArithmetic<D>): D[] {
  const size = ints(attrs.size, [2, 2]);
  const strides = ints(attrs.strides, size);
  return [x[0]!, windowOutputOf(x[1]!, size[0] ?? 1, strides[0] ?? 1, 1, paddingOf(attrs), dims), windowOutputOf(x[2]!, size[1] ?? 1, strides[1] ?? 1, 1, paddingOf(attrs), dims), x[3]!];
}

/**
 * y of a step fused with the pooling epilogue (kernels.ts POOL_EPILOGUE): the kernel's own y
 * [N, OH, OW, F] max-pooled by windows `pool` [ph, pw] at stride = window, 'valid' (trailing rows
 * and columns that fill no whole window dropped): maxpool2d's rule with those attributes.
 */
export function pooledEpilogueOutputOf<D>(y: readonly D[], pool: number[], dims: DimArithmetic<D>): D[] {
  return poolOutputOf(y, { size: pool, strides: pool, padding: 'valid' }, dims);
}

/** y of global_avg_pool / global_max_pool: [N, ..., C] → [N, C]. */
export function globalPoolOutputOf<D>(x: readonly D[]): D[] {
  return [x[0]!, x[x.length - 1]!];
}

/** The axis of a concat, and its output: the inputs' sizes along the axis summed; null when the axis is out of range. */
export function concatOutputOf<D>(inputs: readonly (readonly D[])[], attrs: Attrs, dims: DimArithmetic<D>): D[] | null {
  const axis = typeof attrs.axis === 'number' ? attrs.axis : -1;
  const first = inputs[0];
  if (!first || axis < 0 || axis >= first.length) return null;
  return first.map((d, i) => (i === axis ? dims.sum(inputs.map((s) => s[i]!)) : d));
}

/** y of slice: x with the axis cut to `size`. */
export function sliceOutputOf<D>(x: readonly D[], axis: number, size: D): D[] {
  return x.map((d, i) => (i === axis ? size : d));
}

/** y of embedding: ids [...] with table [rows, features] → [..., features]. */
export function embeddingOutputOf<D>(ids: readonly D[], table: readonly D[]): D[] {
  return [...ids, table[1]!];
}

/** y and `saved` of a `<cell>_scan` (xw [N, T, ...]): y [N, T, units] or [N, units], saved [N, T, values·units] (RECURRENT_CELLS). */
export function scanOutputsOf<D>(cell: RecurrentCellName, xw: readonly D[], attrs: Attrs, dims: DimArithmetic<D>): [D[], D[]] {
  const units = typeof attrs.units === 'number' ? attrs.units : 0;
  const [batch, steps] = [xw[0]!, xw[1]!];
  const y = attrs.return_sequences === true ? [batch, steps, dims.of(units)] : [batch, dims.of(units)];
  return [y, [batch, steps, dims.of(RECURRENT_CELLS[cell].saved * units)]];
}

/** y of reduce: x with `axes` dropped, or kept as size 1 with `keepdims`; null when an axis is out of range. */
export function reduceOutputOf<D>(x: readonly D[], attrs: Attrs, dims: DimArithmetic<D>): D[] | null {
  const axes = ints(attrs.axes, []);
  if (axes.some((a) => !Number.isInteger(a) || a < 0 || a >= x.length)) return null;
  const keep = attrs.keepdims === true;
  return x.flatMap((d, i) => (axes.includes(i) ? (keep ? [dims.of(1)] : []) : [d]));
}

/**
 * Where an axis map (strided_read / strided_write) goes outside the larger tensor `big`, read through
 * it into `small`: null when every coordinate it reads is inside, else a message. `bounds: false`
 * checks only the map's structure (the plan validator, for a map whose sizes are symbolic: whether a
 * symbolic window fits a fixed axis, a position table's first seq rows, is known only once seq is
 * bound, and stridedBoundsProblem checks it then).
 */
export function stridedMapProblem(big: readonly number[], small: readonly number[], axes: readonly number[], starts: readonly number[], steps: readonly number[], bounds = true): string | null {
  if (axes.length !== small.length) return `the map names ${axes.length} axes for a rank-${small.length} tensor`;
  if (starts.length !== big.length || steps.length !== big.length) return `the map's starts and steps are not one per axis of [${big.join(', ')}]`;
  const outside = bounds ? stridedBoundsProblem(big, small, axes, starts, steps) : null;
  if (outside) return outside;
  if (axes.some((a, k) => (a === -1 ? small[k] !== 1 : a < 0 || a >= big.length || axes.indexOf(a) !== k))) return `the map's axes ${JSON.stringify(axes)} are not distinct axes of [${big.join(', ')}] (or new axes of size 1)`;
  return null;
}

/** The axis of `big` the map reads outside of, as a message, or null (a structurally valid map); `skip` leaves axes out. */
export function stridedBoundsProblem(big: readonly number[], small: readonly number[], axes: readonly number[], starts: readonly number[], steps: readonly number[], skip: readonly number[] = []): string | null {
  for (let i = 0; i < big.length; i++) {
    if (skip.includes(i)) continue;
    const k = axes.indexOf(i);
    const last = k === -1 ? starts[i]! : starts[i]! + steps[i]! * (small[k]! - 1);
    if (starts[i]! < 0 || starts[i]! >= big[i]! || last < 0 || last >= big[i]!) return `axis ${i} reads ${starts[i]}..${last}, outside 0..${big[i]! - 1}`;
  }
  return null;
}

/** y of pad_reflect: each axis grown by its before and after widths. */
export function padOutputOf<D>(x: readonly D[], attrs: Attrs, dims: DimArithmetic<D>): D[] {
  const before = ints(attrs.before, []);
  const after = ints(attrs.after, []);
  return x.map((d, i) => dims.add(d, (before[i] ?? 0) + (after[i] ?? 0)));
}
