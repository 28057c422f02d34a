import { describe, expect, it } from 'vitest';
import { checkSource } from '../../../compiler/index.js';

const model = (memory: string, call: string) => `
model M {
  input x: [batch, seq, 6]
  input memory: ${memory}
  output y = x |> ${call}
}
`;

const errors = (source: string) => checkSource(source).diagnostics.filter((d) => d.severity === 'error');

describe('multi_head_attention(context:) — cross-attention in the checker', () => {
  it('takes queries from x and keys/values from a context of its own length; weights as self-attention', () => {
    const check = checkSource(model('[batch, mem, 6]', 'multi_head_attention(2, context: memory)'));
    expect(errors(model('[batch, mem, 6]', 'multi_head_attention(2, context: memory)'))).toEqual([]);
    const layer = check.models[0]!;
    expect(layer.totalParams).toBe(4 * (6 * 6 + 6));
  });

  it.each([
    ['a different d_model', '[batch, mem, 4]', 'got context [batch, mem, 4]'],
    ['a different batch', '[2, mem, 6]', 'got context [2, mem, 6]'],
    ['a rank-2 context', '[batch, 6]', 'got context [batch, 6]'],
    ['an integer context', '[batch, mem, 6] int', 'got context [batch, mem, 6] int'],
  ])('refuses %s with a located NN2003 pointing at where the context got its shape', (_what, memory, got) => {
    const source = model(memory, 'multi_head_attention(2, context: memory)');
    const [error, ...rest] = errors(source);
    expect(rest).toEqual([]);
    expect(error!.code).toBe('NN2003');
    expect(error!.message).toContain('expects a context [batch, seq_k, 6] (the batch and d_model of x)');
    expect(error!.message).toContain(got);
    expect(error!.range.start).toBe(source.indexOf('multi_head_attention'));
    expect(error!.related?.[0]?.message).toContain("'memory' gets its shape");
  });

  it('takes a key mask [batch, seq_k] (int or float) with or without a context, and refuses one of the wrong length at the call', () => {
    expect(errors(model('[batch, mem, 6]', 'multi_head_attention(2, context: memory, key_mask: keep)').replace('input x', 'input keep: [batch, mem] int\n  input x'))).toEqual([]);
    expect(errors(model('[batch, mem, 6]', 'multi_head_attention(2, key_mask: keep)').replace('input x', 'input keep: [batch, seq]\n  input x'))).toEqual([]);
    const source = model('[batch, mem, 6]', 'multi_head_attention(2, key_mask: keep)').replace('input x', 'input keep: [batch, mem] int\n  input x');
    const [error] = errors(source);
    expect(error!.code).toBe('NN2003');
    expect(error!.message).toBe("multi_head_attention expects a key_mask [batch, seq] (batch, and the keys' length), got key_mask [batch, mem]");
    expect(error!.related?.[0]?.message).toContain("'keep' gets its shape");
    const [crossError] = errors(model('[batch, mem, 6]', 'multi_head_attention(2, context: memory, key_mask: keep)').replace('input x', 'input keep: [batch, seq] int\n  input x'));
    expect(crossError!.message).toContain("expects a key_mask [batch, mem] (batch, and the keys' length from the context), got key_mask [batch, seq]");
  });

  it('takes a mask [batch, seq, seq_k] per query, refuses one of the wrong shape, and refuses both masks at once', () => {
    const withMask = (decl: string, call: string) => model('[batch, mem, 6]', call).replace('input x', `input m: ${decl}\n  input k: [batch, mem]\n  input x`);
    expect(errors(withMask('[batch, seq, mem]', 'multi_head_attention(2, context: memory, mask: m)'))).toEqual([]);
    expect(errors(withMask('[batch, seq, seq] int', 'multi_head_attention(2, mask: m)'))).toEqual([]);
    const [wrong] = errors(withMask('[batch, mem, seq]', 'multi_head_attention(2, context: memory, mask: m)'));
    expect(wrong!.message).toBe('multi_head_attention expects a mask [batch, seq, mem] (batch, queries, keys from the context), got mask [batch, mem, seq]');
    const [both] = errors(withMask('[batch, seq, mem]', 'multi_head_attention(2, context: memory, key_mask: k, mask: m)'));
    expect(both!.message).toBe('multi_head_attention expects a key_mask or a mask, not both (fold the key mask into the mask), got both');
  });

  it('takes the context only by name (a third positional argument is causal)', () => {
    const [error] = errors(model('[batch, mem, 6]', 'multi_head_attention(2, true, memory)'));
    expect(error!.code).toBe('NN2006');
  });
});
