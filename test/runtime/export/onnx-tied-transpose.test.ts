import { describe, expect, it } from 'vitest';
import { toOnnxModel } from '../../../runtime/export/onnx.js';
import { compareWithOnnxRuntime, compiled } from './onnx-harness.js';

const TIED = `
model Ae {
  input x: [batch, 6]
  enc = dense(x, 3, tanh)
  output y = dense(enc, 6, weight: tied(enc, transpose: true))
}
`;

describe('ONNX export of a weight tied transposed', () => {
  it('writes the encoder weight once, read directly and through a Transpose, and runs as in nnet (1e-5)', async () => {
    const model = compiled(TIED);
    const onnx = toOnnxModel(model.plan, model.weights);
    expect(onnx.initializers.filter((t) => t.name === 'enc.weight')).toHaveLength(1);
    expect(onnx.initializers.map((t) => t.name)).not.toContain('y.weight');
    expect(onnx.nodes.filter((n) => n.inputs.includes('enc.weight')).length).toBe(2);
    const { maxDiff } = await compareWithOnnxRuntime(model, 5);
    expect(maxDiff).toBeLessThan(1e-5);
  });
});
