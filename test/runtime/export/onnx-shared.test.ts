import { describe, expect, it } from 'vitest';
import { toOnnxModel } from '../../../runtime/export/onnx.js';
import { compareWithOnnxRuntime, compiled } from './onnx-harness.js';

const SHARED = `
shared block enc(x) {
  h = dense(x, 8, tanh)
  return dense(h, 3)
}
model S {
  input x: [batch, 3]
  b = x |> enc |> enc
  output b
}
`;

describe('ONNX export of a shared block', () => {
  it('writes each shared weight once, as one initializer read by both uses, and runs as in nnet (1e-5)', async () => {
    const model = compiled(SHARED);
    const onnx = toOnnxModel(model.plan, model.weights);
    const weights = onnx.initializers.map((t) => t.name).filter((n) => n.startsWith('b/enc'));
    expect(weights.sort()).toEqual(['b/enc.bias', 'b/enc.weight', 'b/enc/h.bias', 'b/enc/h.weight']);
    const readers = onnx.nodes.filter((n) => n.inputs.includes('b/enc/h.weight'));
    expect(readers).toHaveLength(2);
    const { maxDiff } = await compareWithOnnxRuntime(model, 3);
    expect(maxDiff).toBeLessThan(1e-5);
  });
});
