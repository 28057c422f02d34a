import { describe, expect, it } from 'vitest';
import { checkSource } from '../../../compiler/index.js';
import { exportPytorch, PytorchExportError } from '../../../compiler/pytorch/index.js';

describe('PyTorch export of a tied weight', () => {
  it('is refused (NNR7101) by layer, line and the weight it reads, not written half-working', () => {
    const text = 'model M {\n  input ids: [batch, seq] int\n  emb = embedding(ids, 9, 4)\n  output logits = dense(emb, 9, weight: tied(emb))\n}\n';
    const check = checkSource(text);
    expect(check.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const model = check.models[0]!;
    const run = () => exportPytorch(check, model, text, 'm.nnet');
    expect(run).toThrow(PytorchExportError);
    expect(run).toThrow("layer 'logits' (dense, m.nnet:4:19): it reads emb.table, a weight of another layer (tied(...)); tied weights have no PyTorch export yet");
    try {
      run();
    } catch (err) {
      expect((err as PytorchExportError).code).toBe('NNR7101');
    }
  });
});
