import type { PlanDim } from '../plan/format.js';
import { attr } from './onnx-graph.js';
import type { OnnxRule, StepExport } from './onnx-step.js';

/**
 * The axis maps of indexing, slicing, transposes and padding (kernels.ts: strided_read,
 * strided_write, pad_reflect). A read is Slice (starts, ends, steps per x axis; an index is a
 * one-wide slice squeezed away), Transpose to the output's axis order, Unsqueeze for new axes.
 * A write is exported where it is zero padding (Pad), the form the language's `pad` lowers to.
 */

/** An int64 vector from scalars (plan dims as graph values). */
function vector(s: StepExport, scalars: string[]): string {
  return s.op('Concat', scalars.map((v) => s.op('Unsqueeze', [v, s.ints([0])])), { attributes: [attr.int('axis', 0)] });
}

interface AxisMap {
  axes: number[];
  starts: PlanDim[];
  steps: number[];
  shape: PlanDim[];
}

function axisMap(s: StepExport): AxisMap {
  return { axes: s.attrs.axes as number[], starts: s.attrs.starts as PlanDim[], steps: s.attrs.steps as number[], shape: s.attrs.shape as PlanDim[] };
}

export const stridedRead: OnnxRule = (s) => {
  const x = s.input(0);
  const xShape = s.shape(x)!;
  const { axes, starts, steps, shape } = axisMap(s);
  const sliced: number[] = [];
  const begins: string[] = [];
  const ends: string[] = [];
  const strides: number[] = [];
  for (let a = 0; a < xShape.length; a++) {
    const k = axes.indexOf(a);
    const start = starts[a] ?? 0;
    const step = k < 0 ? 1 : (steps[a] ?? 1);
    const length: PlanDim = k < 0 ? 1 : shape[k]!;
    if (start === 0 && step === 1 && length === xShape[a]) continue;
    let end: string;
    if (typeof start === 'number' && typeof length === 'number') {
      // A backward slice that runs through index 0 ends below −size (ONNX reads a negative end from the back).
      const last = start + step * length;
      end = s.ints([step < 0 && last < 0 ? -(2 ** 53) : last], []);
    } else if (step > 0) {
      end = s.op('Add', [s.dim(start), s.op('Mul', [s.ints([step], []), s.dim(length)])]);
    } else {
      // A backward slice whose end is only known at run time: an end below 0 means "through index
      // 0", which ONNX spells as an end below −size (a negative end counts from the back).
      const last = s.op('Add', [s.dim(start), s.op('Mul', [s.ints([step], []), s.dim(length)])]);
      const throughZero = s.op('Less', [last, s.ints([0], [])]);
      end = s.op('Where', [throughZero, s.ints([-(2 ** 53)], []), last]);
    }
    sliced.push(a);
    begins.push(s.dim(start));
    ends.push(end);
    strides.push(step);
  }
  let y = sliced.length > 0 ? s.op('Slice', [x, vector(s, begins), vector(s, ends), s.ints(sliced), s.ints(strides)]) : x;
  const fixed = xShape.map((_, a) => a).filter((a) => !axes.includes(a));
  if (fixed.length > 0) y = s.op('Squeeze', [y, s.ints(fixed)]);
  const kept = axes.filter((a) => a >= 0);
  const ascending = [...kept].sort((p, q) => p - q);
  const perm = kept.map((a) => ascending.indexOf(a));
  if (perm.some((p, i) => p !== i)) y = s.op('Transpose', [y], { attributes: [attr.ints('perm', perm)] });
  const added = axes.flatMap((a, k) => (a < 0 ? [k] : []));
  if (added.length > 0) y = s.op('Unsqueeze', [y, s.ints(added)]);
  s.op('Identity', [y], { outputs: [s.out(0)!] });
};

/** Zero padding: every axis read in place with step 1; x lands at `starts` in zeros of `shape`. */
export const stridedWrite: OnnxRule = (s) => {
  const x = s.input(0);
  const xShape = s.shape(x)!;
  const { axes, starts, steps, shape } = axisMap(s);
  const padding = axes.length === shape.length && axes.every((a, k) => a === k) && steps.every((st) => st === 1) && xShape.length === shape.length;
  if (!padding) return s.refuse('a strided write other than zero padding (a scatter through an axis map) has no ONNX export');
  const before = shape.map((_, a) => s.dim(starts[a] ?? 0));
  const after = shape.map((size, a) => s.op('Sub', [s.op('Sub', [s.dim(size), s.dim(starts[a] ?? 0)]), s.dim(xShape[a]!)]));
  s.op('Pad', [x, vector(s, [...before, ...after])], { outputs: [s.out(0)!], attributes: [attr.string('mode', 'constant')] });
};

/** NumPy's reflect, the edge not repeated: ONNX Pad's reflect. */
export const padReflect: OnnxRule = (s) => {
  const before = s.attrs.before as number[];
  const after = s.attrs.after as number[];
  s.op('Pad', [s.input(0), s.ints([...before, ...after])], { outputs: [s.out(0)!], attributes: [attr.string('mode', 'reflect')] });
};
