import { describe, expect, it } from 'vitest';
import { checkSource, compileModel } from '../../../compiler/index.js';
import { createCpuExecutor } from '../../../runtime/cpu/index.js';
import type { HostTensor } from '../../../runtime/tensor.js';

/** position_embedding(x, max_len) in the checker, the summary, and at run time (a seq beyond max_len). */
const model = (input: string, call: string) => `
model M {
  input x: ${input}
  output y = x |> ${call}
}
`;

const errors = (source: string) => checkSource(source).diagnostics.filter((d) => d.severity === 'error');

describe('position_embedding', () => {
  it('adds a [max_len, d_model] table, counted as trainable (or not, frozen)', () => {
    const check = checkSource(model('[batch, seq, 6]', 'position_embedding(32)'));
    expect(check.diagnostics).toEqual([]);
    expect(check.models[0]!.graph.params.map((p) => p.name)).toEqual(['y.table']);
    expect(check.models[0]!.trainableParams).toBe(32 * 6);
    const frozen = checkSource(model('[batch, seq, 6]', 'position_embedding(32, frozen: true)')).models[0]!;
    expect([frozen.trainableParams, frozen.totalParams]).toEqual([0, 32 * 6]);
  });

  it.each([
    ['a rank-2 input', '[batch, 6]', 'position_embedding(8)', 'position_embedding expects [batch, seq, d_model], got [batch, 6]'],
    ['int ids', '[batch, seq, 6] int', 'position_embedding(8)', 'position_embedding expects float input (embed ids first), got [batch, seq, 6] int'],
    ['a fixed seq beyond max_len', '[batch, 10, 6]', 'position_embedding(8)', 'position_embedding expects a sequence of at most max_len = 8 positions, got [batch, 10, 6]'],
  ])('refuses %s with a located NN2003', (_what, input, call, message) => {
    const source = model(input, call);
    const [error, ...rest] = errors(source);
    expect(rest).toEqual([]);
    expect(error!.code).toBe('NN2003');
    expect(error!.message).toBe(message);
    expect(error!.range.start).toBe(source.indexOf('position_embedding'));
  });

  it('refuses a max_len below 1 and a missing max_len', () => {
    expect(errors(model('[batch, seq, 6]', 'position_embedding(0)'))[0]!.code).toBe('NN2011');
    expect(errors(model('[batch, seq, 6]', 'position_embedding'))[0]!.code).toBe('NN2010');
  });

  it('runs at any bound seq up to max_len; a longer one is NNR1018 before any step runs', async () => {
    const text = model('[batch, seq, 2]', 'position_embedding(3, table: [[1, 2], [3, 4], [5, 6]])');
    const check = checkSource(text);
    const compiled = compileModel(check, 'M', { target: 'cpu', fuse: true, training: false, text });
    const weights = new Map<string, HostTensor>([['y.table', { shape: [3, 2], dtype: 'f32', data: compiled.weights.get('y.table')! }]]);
    const executor = createCpuExecutor(compiled.plan!, weights);
    const x = (seq: number): HostTensor => ({ shape: [1, seq, 2], dtype: 'f32', data: new Float32Array(seq * 2).fill(10) });
    expect(Array.from((await executor.infer({ x: x(2) })).y!.data)).toEqual([11, 12, 13, 14]);
    expect(Array.from((await executor.infer({ x: x(3) })).y!.data)).toEqual([11, 12, 13, 14, 15, 16]);
    await expect(executor.infer({ x: x(4) })).rejects.toThrow(/NNR1018: the inputs bind batch = 1, seq = 4, with which 'y' \(position_embedding, line 4\) reads \[3, 2\] outside its bounds .*longer than its max_len/);
    executor.dispose();
  });
});
