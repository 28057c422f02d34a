import { product } from '../dims.js';
import type { KernelSource, StepShapes } from '../program.js';
import { gridKernel, input, output } from './grid.js';

const dtypeOf = (t: { dtype: string }): 'f32' | 'i32' => (t.dtype === 'i32' ? 'i32' : 'f32');

/**
 * reverse_sequence: one thread per element of x [N, T, ...] (any dtype): its row's length L (1 + the
 * last step whose mask is nonzero) from the mask, then y[b, t] = x[b, L − 1 − t] for t < L, else x[b, t].
 */
/** nonzero: y = 1 where x ≠ 0 (x i32 or f32), else 0. */
export function emitNonzero(step: StepShapes): KernelSource {
  const x = step.inputs[0]!;
  const zero = dtypeOf(x) === 'i32' ? '0' : '0.0';
  return gridKernel(product(x.shape), [input(0, 'x', dtypeOf(x)), output(0, 'y')], `y[i] = select(0.0, 1.0, x[i] != ${zero});`);
}

export function emitReverseSequence(step: StepShapes): KernelSource {
  const [x, mask] = step.inputs as [StepShapes['inputs'][number], StepShapes['inputs'][number]];
  const zero = dtypeOf(mask) === 'i32' ? '0' : '0.0';
  const width = product(x.shape.slice(2));
  return gridKernel(product(x.shape), [input(0, 'x', dtypeOf(x)), input(1, 'mask', dtypeOf(mask)), output(0, 'y', dtypeOf(x))], `
let per_row = P.T * P.width;
let b = i / per_row;
let t = (i / P.width) % P.T;
var length = 0u;
for (var k = P.T; k > 0u; k--) {
  if (mask[b * P.T + k - 1u] != ${zero}) { length = k; break; }
}
var source = t;
if (t < length) { source = length - 1u - t; }
y[i] = x[(b * P.T + source) * P.width + i % P.width];`, {
    params: [
      { name: 'T', type: 'u32', value: x.shape[1]! },
      { name: 'width', type: 'u32', value: width },
    ],
  });
}
