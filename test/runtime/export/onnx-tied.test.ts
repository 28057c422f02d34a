import { describe, expect, it } from 'vitest';
import { toOnnxModel } from '../../../runtime/export/onnx.js';
import { compareWithOnnxRuntime, compiled } from './onnx-harness.js';

const TIED = `
model Lm {
  input ids: [batch, seq] int
  emb = embedding(ids, 9, 4)
  h = dense(emb, 4, tanh)
  logits = dense(h, 9, weight: tied(emb))
  output logits
}
`;

describe('ONNX export of a tied weight', () => {
  it('writes the embedding table once, read by the lookup and the projection, and runs as in nnet (1e-5)', async () => {
    const model = compiled(TIED);
    const onnx = toOnnxModel(model.plan, model.weights);
    expect(onnx.initializers.filter((t) => t.name === 'emb.table')).toHaveLength(1);
    expect(onnx.initializers.map((t) => t.name)).not.toContain('logits.weight');
    expect(onnx.nodes.filter((n) => n.inputs.includes('emb.table')).length).toBeGreaterThanOrEqual(2);
    const { maxDiff } = await compareWithOnnxRuntime(model, 4);
    expect(maxDiff).toBeLessThan(1e-5);
  });
});
