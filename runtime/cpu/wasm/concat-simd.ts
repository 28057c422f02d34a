import type { CpuKernel } from '../kernel-interface.js';
import { concatRows, elementwiseKernels, sliceRows, type RowCopy } from '../kernels/elementwise.js';
import { columnsModule, copyRows } from './group-columns.js';

/**
 * concat and slice along any axis as runs of rows: each input's (or the slice's) [outer, width]
 * block moved between its columns of the two tensors by copy_columns (columns-module.ts) when both
 * lie in the kernels' memory (an executor's tensors), else by group-columns.ts's JS loop. A copy: the
 * same bits as the JS kernels (kernels/elementwise.ts), on any number of threads.
 */
export const concatSimd: CpuKernel = (ctx, inputs, outputs, attrs) => {
  if (!columnsModule()) return elementwiseKernels.concat(ctx, inputs, outputs, attrs);
  concatRows(inputs, outputs, attrs, copyRowsWhereTheyLie);
};

export const sliceSimd: CpuKernel = (ctx, inputs, outputs, attrs) => {
  if (!columnsModule()) return elementwiseKernels.slice(ctx, inputs, outputs, attrs);
  sliceRows(inputs, outputs, attrs, copyRowsWhereTheyLie);
};

/** group-columns.ts's copyRows on the columns module: one function for every call, not a closure per call. */
const copyRowsWhereTheyLie: RowCopy = (src, from, srcStride, dst, to, dstStride, rows, width) => copyRows(columnsModule(), src, from, srcStride, dst, to, dstStride, rows, width);
