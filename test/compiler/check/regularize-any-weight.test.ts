import { describe, expect, it } from 'vitest';
import { OPS } from '../../../compiler/ops/registry.js';
import { check } from './helpers.js';

describe('l1/l2 on any weight', () => {
  it('every op with weights other than a norm\'s scale and shift takes l1 and l2', () => {
    for (const op of OPS) {
      const weights = op.params.filter((p) => p.kind === 'weight' && p.name !== 'gamma' && p.name !== 'beta');
      if (weights.length === 0) continue;
      expect(op.params.map((p) => p.name), op.name).toEqual(expect.arrayContaining(['l1', 'l2']));
    }
  });

  it('puts the penalty on the weights of embedding, recurrent and attention layers, not on their biases', () => {
    const text = `model R {
  input ids: [batch, seq] int
  input y: [batch, 4]
  e = embedding(ids, 10, 8, l2: 0.01)
  a = multi_head_attention(e, 2, l1: 0.001)
  h = lstm(a, 4, l2: 0.02)
  output h
  train {
    loss mse(h, y)
  }
}
`;
    const result = check(text);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const penalties = Object.fromEntries(result.models[0]!.graph.params.filter((p) => p.regularize).map((p) => [p.name, p.regularize]));
    expect(penalties).toEqual({
      'e.table': { l2: 0.01 },
      'a.wq': { l1: 0.001 },
      'a.wk': { l1: 0.001 },
      'a.wv': { l1: 0.001 },
      'a.wo': { l1: 0.001 },
      'h.w_ih': { l2: 0.02 },
      'h.w_hh': { l2: 0.02 },
    });
  });
});
