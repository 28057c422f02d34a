import type { Attrs, CpuKernel, CpuTensor, CpuKernelMap } from '../kernel-interface.js';
import { f32 } from '../kernel-interface.js';

/**
 * Broadcasting binaries, scale, sum_to (the reverse of broadcasting), concat/slice, reshape/copy.
 * Broadcasting has fast paths for equal shapes and for a trailing-axis operand (bias-like).
 */

/** Strides of `shape` aligned to an output of rank `rank`, 0 on broadcast axes, into `into` (kept scratch). */
function broadcastStrides(shape: readonly number[], out: readonly number[], into: Int32Array): Int32Array {
  into.fill(0, 0, out.length);
  let stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const axis = out.length - shape.length + i;
    into[axis] = shape[i] === 1 && out[axis] !== 1 ? 0 : stride;
    stride *= shape[i]!;
  }
  return into;
}

/** The general broadcast's strides and index, one rank's worth each, grown as needed (none per call). */
let stridesA = new Int32Array(8);
let stridesB = new Int32Array(8);
let position = new Int32Array(8);
function scratchFor(rank: number): void {
  if (position.length >= rank) return;
  [stridesA, stridesB, position] = [new Int32Array(rank), new Int32Array(rank), new Int32Array(rank)];
}

type BinaryOp = 'add' | 'sub' | 'mul' | 'div';

/**
 * One element's result. A small function of one call site, so V8 inlines it: a closure per op called
 * per element was not inlined (four of them at one site) and boxed its arguments, ~1 KB a VAE step.
 */
const combine = (op: BinaryOp, x: number, y: number): number => (op === 'add' ? x + y : op === 'sub' ? x - y : op === 'mul' ? x * y : x / y);

function binary(op: BinaryOp): CpuKernel {
  return (_ctx, inputs, outputs) => {
    const a = inputs[0]!;
    const b = inputs[1]!;
    const y = outputs[0]!;
    const ad = f32(a);
    const bd = f32(b);
    const out = f32(y);
    const n = out.length;
    if (ad.length === n && bd.length === n) {
      for (let i = 0; i < n; i++) out[i] = combine(op, ad[i]!, bd[i]!);
      return;
    }
    if (ad.length === n && n % bd.length === 0 && isTrailing(b, y)) {
      const m = bd.length;
      for (let i = 0; i < n; i++) out[i] = combine(op, ad[i]!, bd[i % m]!);
      return;
    }
    const shape = y.shape;
    scratchFor(shape.length);
    const sa = broadcastStrides(a.shape, shape, stridesA);
    const sb = broadcastStrides(b.shape, shape, stridesB);
    const index = position.fill(0, 0, shape.length);
    for (let i = 0; i < n; i++) {
      let ia = 0;
      let ib = 0;
      for (let d = 0; d < shape.length; d++) {
        ia += index[d]! * sa[d]!;
        ib += index[d]! * sb[d]!;
      }
      out[i] = combine(op, ad[ia]!, bd[ib]!);
      for (let d = shape.length - 1; d >= 0; d--) {
        if (++index[d]! < shape[d]!) break;
        index[d] = 0;
      }
    }
  };
}

/** True when b's shape equals the trailing axes of y's (after dropping leading 1s). */
export function isTrailing(b: CpuTensor, y: CpuTensor): boolean {
  // Index arithmetic instead of slices: sum_to runs for every bias gradient, every training step.
  let first = 0;
  while (first < b.shape.length && b.shape[first] === 1) first++;
  const rank = b.shape.length - first;
  if (rank === 0) return true;
  const offset = y.shape.length - rank;
  for (let i = 0; i < rank; i++) if (b.shape[first + i] !== y.shape[offset + i]) return false;
  return true;
}

/** y = x summed down to y's shape (numpy broadcasting reversed). */
const sumTo: CpuKernel = (_ctx, inputs, outputs) => {
  const x = inputs[0];
  const y = outputs[0];
  const xd = f32(x!);
  const out = f32(y!);
  out.fill(0);
  const m = out.length;
  if (m === xd.length) return void out.set(xd);
  if (isTrailing(y!, x!)) {
    // Row by row (the bias gradient of every dense and conv layer): the same sums in the same order.
    for (let row = 0; row < xd.length; row += m) for (let j = 0; j < m; j++) out[j]! += xd[row + j]!;
    return;
  }
  const shape = x!.shape;
  scratchFor(shape.length);
  const strides = broadcastStrides(y!.shape, shape, stridesA);
  const index = position.fill(0, 0, shape.length);
  for (let i = 0; i < xd.length; i++) {
    let o = 0;
    for (let d = 0; d < shape.length; d++) o += index[d]! * strides[d]!;
    out[o]! += xd[i]!;
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++index[d]! < shape[d]!) break;
      index[d] = 0;
    }
  }
};

const scale: CpuKernel = (_ctx, [x], [y], attrs) => {
  const xd = f32(x!);
  const out = f32(y!);
  const factor = attrs.factor as number;
  for (let i = 0; i < out.length; i++) out[i] = factor * xd[i]!;
};

const copy: CpuKernel = (_ctx, [x], [y]) => {
  (y!.data as Float32Array).set(x!.data as Float32Array);
};

/** The elements of `shape` before `axis` (rows of the concat or slice). */
function outerOf(shape: readonly number[], axis: number): number {
  let size = 1;
  for (let i = 0; i < axis; i++) size *= shape[i]!;
  return size;
}

/** The elements of `shape` after `axis`. */
function innerOf(shape: readonly number[], axis: number): number {
  let size = 1;
  for (let i = axis + 1; i < shape.length; i++) size *= shape[i]!;
  return size;
}

/** `rows` rows of `width` values from src at `from` (rows srcStride apart) to dst at `to` (rows dstStride apart): a loop, not a subarray view a row. */
export function copyRowsJs(src: ArrayLike<number>, from: number, srcStride: number, dst: Float32Array, to: number, dstStride: number, rows: number, width: number): void {
  for (let r = 0; r < rows; r++) {
    const s = from + r * srcStride;
    const d = to + r * dstStride;
    for (let e = 0; e < width; e++) dst[d + e] = src[s + e]!;
  }
}

/** Copies `rows` rows of `width` values, as copyRowsJs: the JS loop here, copy_columns in the WASM kernels (concat-simd.ts). */
export type RowCopy = (src: Float32Array, from: number, srcStride: number, dst: Float32Array, to: number, dstStride: number, rows: number, width: number) => void;

/**
 * concat along any axis as runs of rows: each input's [outer, width] block into its columns of y, by
 * `copy`. Rows copied by loops: set(subarray) made a view a row, 2 MB a step on a scaled U-Net's skip
 * connections.
 */
export function concatRows(inputs: CpuTensor[], outputs: CpuTensor[], attrs: Attrs, copy: RowCopy): void {
  const y = outputs[0]!;
  const axis = attrs.axis as number;
  const outer = outerOf(y.shape, axis);
  const inner = innerOf(y.shape, axis);
  const out = f32(y);
  const outRow = y.shape[axis]! * inner;
  let offset = 0;
  for (let i = 0; i < inputs.length; i++) {
    const x = inputs[i]!;
    const width = x.shape[axis]! * inner;
    if (width > 0 && outer > 0) copy(f32(x), 0, width, out, offset, outRow, outer, width);
    offset += width;
  }
}

/** slice along any axis: the [outer, width] block from `start` of x's rows into y, by `copy`. */
export function sliceRows(inputs: CpuTensor[], outputs: CpuTensor[], attrs: Attrs, copy: RowCopy): void {
  const x = inputs[0]!;
  const y = outputs[0]!;
  const axis = attrs.axis as number;
  const outer = outerOf(x.shape, axis);
  const inner = innerOf(x.shape, axis);
  const inRow = x.shape[axis]! * inner;
  // The output's own size (attrs.size may be a dim expression); start is evaluated by the executor.
  const width = y.shape[axis]! * inner;
  if (width > 0 && outer > 0) copy(f32(x), (attrs.start as number) * inner, inRow, f32(y), 0, width, outer, width);
}

const concat: CpuKernel = (_ctx, inputs, outputs, attrs) => concatRows(inputs, outputs, attrs, copyRowsJs);
const slice: CpuKernel = (_ctx, inputs, outputs, attrs) => sliceRows(inputs, outputs, attrs, copyRowsJs);

export const elementwiseKernels = {
  add: binary('add'),
  sub: binary('sub'),
  mul: binary('mul'),
  div: binary('div'),
  bias_add: binary('add'),
  scale,
  sum_to: sumTo,
  concat,
  slice,
  reshape: copy,
  copy,
} satisfies CpuKernelMap;
