import { describe, expect, it } from 'vitest';
import { compileModel } from '../../../compiler/compile.js';
import { windowOutput } from '../../../compiler/shapes/dims.js';
import { evalDim } from '../../../runtime/plan/dims.js';
import { check, model } from '../check/helpers.js';

/** The oracle: count the window positions one by one (same padding: one window per stride from 0). */
function countWindows(n: number, kernel: number, stride: number, dilation: number, padding: 'same' | 'valid'): number {
  const span = dilation * (kernel - 1) + 1;
  let count = 0;
  for (let start = 0; start < n; start += stride) if (padding === 'same' || start + span <= n) count++;
  return count;
}

describe('window output size', () => {
  it('is the number of windows, concretely and as a symbolic expression evaluated at run time', () => {
    for (const padding of ['valid', 'same'] as const) {
      for (let n = 1; n <= 20; n++) {
        for (const [kernel, stride, dilation] of [[1, 1, 1], [3, 1, 1], [3, 2, 1], [3, 3, 2], [2, 4, 1], [5, 2, 2]] as const) {
          const expected = countWindows(n, kernel, stride, dilation, padding);
          if (expected < 1) continue;
          const where = `n=${n} k=${kernel} s=${stride} d=${dilation} ${padding}`;
          expect(windowOutput(n, kernel, stride, dilation, padding), where).toBe(expected);
          expect(evalDim(windowOutput('seq', kernel, stride, dilation, padding), { seq: n }), where).toBe(expected);
          expect(evalDim(windowOutput('seq-1', kernel, stride, dilation, padding), { seq: n + 1 }), where).toBe(expected);
        }
      }
    }
  });

  it('shows the checked type of a strided conv1d with floor, and the plan carries the same dim', () => {
    const text = model('  input x: [batch, seq, 2]\n  output y = conv1d(x, 4, 3, stride: 2)');
    const result = check(text);
    expect(result.diagnostics).toEqual([]);
    const checked = result.models[0]!.summary.find((row) => row.layer === 'y')!;
    expect(checked.outputShape).toEqual(['batch', 'floor((seq-3)/2)+1', 4]);
    expect(evalDim(checked.outputShape[1]!, { seq: 10 })).toBe(4);
    const { plan } = compileModel(result, 'M', { target: 'cpu', fuse: true, training: false, verify: true });
    const y = plan!.tensors.find((t) => t.name === plan!.outputs[0]!.tensor)!;
    expect(y.shape).toEqual(checked.outputShape);
  });
});
