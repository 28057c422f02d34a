import { describe, expect, it, vi } from 'vitest';
import { checkSource } from '../../../compiler/index.js';
import { dense } from '../../../compiler/ops/dense.js';

// The golden corpus (test/golden/golden.test.ts) covers every other code; NN2099 needs a checker
// bug, provoked here by a mock.
describe('internal errors', () => {
  it('become an NN2099 diagnostic on the model, and other models are still checked', () => {
    const spy = vi.spyOn(dense, 'infer').mockImplementation(() => {
      throw new Error('boom');
    });
    try {
      const text = 'model A {\n  input x: [batch, 2]\n  output y = dense(x, 2)\n}\nmodel B {\n  input x: [batch, 2]\n  output y = relu(x)\n}\n';
      const result = checkSource(text);
      expect(result.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual(["NN2099 internal error while checking model 'A': boom"]);
      expect(result.models.map((m) => [m.name, m.ok])).toEqual([['A', false], ['B', true]]);
    } finally {
      spy.mockRestore();
    }
  });
});
