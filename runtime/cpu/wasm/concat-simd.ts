import type { CpuKernel } from '../kernel-interface.js';
import { f32 } from '../kernel-interface.js';
import { elementwiseKernels, innerOf, outerOf } from '../kernels/elementwise.js';
import { columnsModule, copyRows } from './group-columns.js';

/**
 * concat and slice along any axis as runs of rows: each input's (or the slice's) [outer, width]
 * block moved between its columns of the two tensors by copy_columns (columns-module.ts) when both
 * lie in the kernels' memory (an executor's tensors), else by group-columns.ts's JS loop. A copy: the
 * same bits as the JS kernels (kernels/elementwise.ts), on any number of threads.
 */
export const concatSimd: CpuKernel = (ctx, inputs, outputs, attrs) => {
  const columns = columnsModule();
  if (!columns) return elementwiseKernels.concat(ctx, inputs, outputs, attrs);
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
    if (width > 0 && outer > 0) copyRows(columns, f32(x), 0, width, out, offset, outRow, outer, width);
    offset += width;
  }
};

export const sliceSimd: CpuKernel = (ctx, inputs, outputs, attrs) => {
  const columns = columnsModule();
  if (!columns) return elementwiseKernels.slice(ctx, inputs, outputs, attrs);
  const x = inputs[0]!;
  const y = outputs[0]!;
  const axis = attrs.axis as number;
  const outer = outerOf(x.shape, axis);
  const inner = innerOf(x.shape, axis);
  const inRow = x.shape[axis]! * inner;
  // The output's own size (attrs.size may be a dim expression); start is evaluated by the executor.
  const width = y.shape[axis]! * inner;
  if (width > 0 && outer > 0) copyRows(columns, f32(x), (attrs.start as number) * inner, inRow, f32(y), 0, width, outer, width);
};
