import { describe, expect, it } from 'vitest';
import { toOnnxModel } from '../../../runtime/export/onnx.js';
import { compareWithOnnxRuntime, compiled } from './onnx-harness.js';

/** `split` is exported as the slices it lowers to, one ONNX Slice per part, and must run as in nnet. */
const SPLITS = `
block gate(x) {
  a, b = split(x, 2)
  return a * sigmoid(b)
}

model Splits {
  input x: [batch, seq, 6]
  mu, logvar = x |> dense(8) |> split(2)
  head, _, tail = x |> transpose([0, 2, 1]) |> split([1, 2, 3], axis: 1)
  output y = mu * exp(0.5 * logvar) |> gate
  output z = concat(head, tail, axis: 1)
}
`;

describe('ONNX export of split', () => {
  it('writes one Slice per kept part (none for _), and runs in onnxruntime as in nnet (1e-5)', async () => {
    const model = compiled(SPLITS);
    const onnx = toOnnxModel(model.plan, model.weights);
    // mu, logvar, head, tail, and the block's a and b.
    expect(onnx.nodes.filter((n) => n.opType === 'Slice').length).toBe(6);
    const { maxDiff } = await compareWithOnnxRuntime(model, 4);
    expect(maxDiff).toBeLessThan(1e-5);
  });
});
