import type { Attrs, CpuKernel, CpuKernelMap, CpuTensor } from '../kernel-interface.js';

/**
 * strided_read and strided_write: one axis map (runtime/plan/kernels.ts) serves slicing with steps and
 * negative indices, indexing, transposes and new axes (read), and their gradients and zero padding
 * (write). Shapes are concrete here; the executor has evaluated the starts. Also the reflecting pad
 * and its gradient (a scatter-add here: several padded positions read one x position).
 */

/** Offsets in `big` of every element of `small` (row-major order of small). */
function computeOffsets(big: readonly number[], small: readonly number[], axes: readonly number[], starts: readonly number[], steps: readonly number[]): Int32Array {
  const bigStrides = new Array<number>(big.length).fill(0);
  for (let i = big.length - 1, s = 1; i >= 0; i--) {
    bigStrides[i] = s;
    s *= big[i]!;
  }
  let base = 0;
  for (let i = 0; i < big.length; i++) base += starts[i]! * bigStrides[i]!;
  const strides = axes.map((a) => (a < 0 ? 0 : steps[a]! * bigStrides[a]!));
  const n = small.reduce((p, d) => p * d, 1);
  const offsets = new Int32Array(n);
  const index = new Array<number>(small.length).fill(0);
  let offset = base;
  for (let j = 0; j < n; j++) {
    offsets[j] = offset;
    for (let k = small.length - 1; k >= 0; k--) {
      offset += strides[k]!;
      if (++index[k]! < small[k]!) break;
      offset -= strides[k]! * index[k]!;
      index[k] = 0;
    }
  }
  return offsets;
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

interface KeptOffsets {
  big: number[];
  small: number[];
  axes: number[];
  starts: number[];
  steps: number[];
  offsets: Int32Array;
}

/**
 * The offsets, kept per attrs object (a step's) while the shapes and the axis map's numbers stay (the
 * executor evaluates the starts per call; a rebound batch changes the shapes): the offsets and a
 * closure per call were ~1.7 KB a VAE step.
 */
const keptOffsets = new WeakMap<Attrs, KeptOffsets>();
function offsetsOf(big: readonly number[], small: readonly number[], attrs: Attrs): Int32Array {
  const axes = attrs.axes as number[];
  const starts = attrs.starts as number[];
  const steps = attrs.steps as number[];
  const kept = keptOffsets.get(attrs);
  if (kept && sameNumbers(kept.big, big) && sameNumbers(kept.small, small) && sameNumbers(kept.axes, axes) && sameNumbers(kept.starts, starts) && sameNumbers(kept.steps, steps)) return kept.offsets;
  const offsets = computeOffsets(big, small, axes, starts, steps);
  keptOffsets.set(attrs, { big: [...big], small: [...small], axes: [...axes], starts: [...starts], steps: [...steps], offsets });
  return offsets;
}

// Operands by index, not destructured: no iterator per call.
const stridedRead: CpuKernel = (_ctx, inputs, outputs, attrs) => {
  const xd = inputs[0]!.data;
  const out = outputs[0]!.data;
  const offsets = offsetsOf(inputs[0]!.shape, outputs[0]!.shape, attrs);
  for (let j = 0; j < offsets.length; j++) out[j] = xd[offsets[j]!]!;
};

const stridedWrite: CpuKernel = (_ctx, inputs, outputs, attrs) => {
  const xd = inputs[0]!.data;
  const out = outputs[0]!.data;
  out.fill(0);
  const offsets = offsetsOf(outputs[0]!.shape, inputs[0]!.shape, attrs);
  for (let j = 0; j < offsets.length; j++) out[offsets[j]!] = xd[j]!;
};

/** The x position a padded position t (counted from the start of the padding) mirrors: 0..n-1. */
function reflect(t: number, n: number): number {
  if (t < 0) return -t;
  return t >= n ? 2 * (n - 1) - t : t;
}

/** Visits every padded element j with the offset in x it reads. */
function eachReflected(x: readonly number[], y: readonly number[], attrs: Attrs, visit: (j: number, xOffset: number) => void): void {
  const before = attrs.before as number[];
  const strides = new Array<number>(x.length).fill(0);
  for (let a = x.length - 1, s = 1; a >= 0; a--) {
    strides[a] = s;
    s *= x[a]!;
  }
  const n = y.reduce((p, d) => p * d, 1);
  const index = new Array<number>(y.length).fill(0);
  for (let j = 0; j < n; j++) {
    let o = 0;
    for (let a = 0; a < y.length; a++) o += reflect(index[a]! - before[a]!, x[a]!) * strides[a]!;
    visit(j, o);
    for (let a = y.length - 1; a >= 0; a--) {
      if (++index[a]! < y[a]!) break;
      index[a] = 0;
    }
  }
}

const padReflect: CpuKernel = (_ctx, [x], [y], attrs) => {
  const xd = x!.data;
  const out = y!.data;
  eachReflected(x!.shape, y!.shape, attrs, (j, o) => {
    out[j] = xd[o]!;
  });
};

const padReflectGrad: CpuKernel = (_ctx, [dy], [dx], attrs) => {
  const g = dy!.data;
  const out = dx!.data;
  out.fill(0);
  eachReflected(dx!.shape, dy!.shape, attrs, (j, o) => {
    out[o]! += g[j]!;
  });
};

export const stridedKernels = { strided_read: stridedRead, strided_write: stridedWrite, pad_reflect: padReflect, pad_reflect_grad: padReflectGrad } satisfies CpuKernelMap;
