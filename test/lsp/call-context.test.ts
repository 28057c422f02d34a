import { describe, expect, it } from 'vitest';
import { callContextAt } from '../../lsp/call-context.js';

/** `‸` marks the cursor. */
function at(source: string) {
  const offset = source.indexOf('‸');
  return callContextAt(source.slice(0, offset) + source.slice(offset + 1), offset);
}

describe('call context', () => {
  it('finds the callee and the argument index', () => {
    expect(at('h = dense(x, 4, ‸')).toMatchObject({ callee: 'dense', argIndex: 2, isPipeStage: false });
  });

  it('knows a pipeline stage, whose tensor argument is implicit', () => {
    expect(at('y = x |> dense(‸')).toMatchObject({ callee: 'dense', argIndex: 0, isPipeStage: true });
  });

  it('skips nested calls and lists', () => {
    expect(at('h = dense(x, 4, weight: [[1, 2], [3, 4]], bias: zeros(), ‸')).toMatchObject({
      callee: 'dense',
      argIndex: 4,
      namedArgs: ['weight', 'bias'],
    });
  });

  it('names the named argument being written', () => {
    expect(at('optimizer adam(lr: 1e-3, beta1: ‸')).toMatchObject({ callee: 'adam', currentName: 'beta1', namedArgs: ['lr'] });
  });

  it('is undefined outside calls and inside lists', () => {
    expect(at('h = x ‸')).toBeUndefined();
    expect(at('h = dense(x, weight: [1, ‸')).toBeUndefined();
    expect(at('model M { ‸')).toBeUndefined();
  });
});
