import { describe, expect, it } from 'vitest';
import { compileModel } from '../../../compiler/compile.js';
import { checkSource } from '../../../compiler/index.js';
import { CpuExecutor } from '../../../runtime/cpu/index.js';

/**
 * rnn / lstm / gru with `bidirectional: concat | sum | mul | ave`: Keras' Bidirectional parameter
 * counts and shapes, and the outputs against the same layers written out by hand — a forward layer,
 * and a layer over the time-reversed input (x[:, ::-1]) whose output is reversed back — with the same
 * literal weights.
 */
const check = (text: string) => checkSource(text, { path: 'test.nnet' });

const W = {
  w_ih: '[[0.1, -0.2], [0.3, 0.4], [-0.5, 0.2], [0.6, -0.1], [0.2, 0.2], [-0.3, 0.1], [0.4, -0.4], [0.1, 0.5]]',
  w_hh: '[[0.2, 0.1], [-0.1, 0.3], [0.4, -0.2], [0.1, 0.1], [-0.3, 0.2], [0.2, -0.4], [0.3, 0.3], [-0.2, 0.1]]',
  bias: '[0.1, 0.0, -0.1, 0.2, 0.0, 0.1, -0.2, 0.3]',
  r_ih: '[[-0.3, 0.2], [0.1, 0.1], [0.5, -0.2], [-0.4, 0.3], [0.2, -0.1], [0.3, 0.4], [-0.1, 0.2], [0.2, -0.3]]',
  r_hh: '[[0.1, -0.3], [0.2, 0.2], [-0.1, 0.4], [0.3, -0.2], [0.1, 0.1], [-0.2, 0.3], [0.4, 0.1], [0.1, -0.1]]',
  r_bias: '[-0.1, 0.2, 0.0, 0.1, 0.3, -0.2, 0.1, 0.0]',
};

describe('bidirectional recurrent layers', () => {
  it("match Keras' Bidirectional parameter counts and shapes", () => {
    const result = check(`model M {
  input x: [batch, seq, 32]
  a = lstm(x, 64, bidirectional: concat)
  b = gru(x, 16, return_sequences: true, reset_after: true, bidirectional: sum)
  c = rnn(x, 8, bidirectional: ave, bias_reverse: false)
  output y = concat(a, b |> global_avgpool, c)
}
`);
    expect(result.diagnostics).toEqual([]);
    const row = (layer: string) => result.models[0]!.summary.find((r) => r.layer === layer)!;
    // Keras Bidirectional(LSTM(64)) on 32 features: 2·4·(64·32 + 64·64 + 64) = 49,664, output 128.
    expect([row('a').outputShape, row('a').params]).toEqual([['batch', 128], 49_664]);
    // Bidirectional(GRU(16, return_sequences=True, reset_after=True), merge_mode='sum'): 2·3·(16·32 + 16·16 + 2·16) = 4,800.
    expect([row('b').outputShape, row('b').params]).toEqual([['batch', 'seq', 16], 4_800]);
    expect([row('c').outputShape, row('c').params]).toEqual([['batch', 8], 2 * (8 * 32 + 8 * 8) + 8]);
    expect(result.models[0]!.graph.params.filter((p) => p.name.startsWith('a.')).map((p) => p.name)).toEqual(['a.w_ih', 'a.w_hh', 'a.bias', 'a.w_ih_reverse', 'a.w_hh_reverse', 'a.bias_reverse']);
  });

  for (const [mode, merge] of [['concat', 'concat(f, r)'], ['sum', 'add(f, r)'], ['mul', 'multiply(f, r)'], ['ave', '(f + r) * 0.5']] as const) {
    it(`merge ${mode} equals the two directions written out, return_sequences on and off`, async () => {
      for (const sequences of [true, false]) {
        const back = sequences ? 'lstm(x[:, ::-1], 2, return_sequences: true, w_ih: R_IH, w_hh: R_HH, bias: R_B)[:, ::-1]' : 'lstm(x[:, ::-1], 2, w_ih: R_IH, w_hh: R_HH, bias: R_B)';
        const text = `model M {
  input x: [batch, 5, 2]
  output y = lstm(x, 2, return_sequences: ${sequences}, bidirectional: ${mode}, w_ih: ${W.w_ih}, w_hh: ${W.w_hh}, bias: ${W.bias}, w_ih_reverse: ${W.r_ih}, w_hh_reverse: ${W.r_hh}, bias_reverse: ${W.r_bias})
  f = lstm(x, 2, return_sequences: ${sequences}, w_ih: ${W.w_ih}, w_hh: ${W.w_hh}, bias: ${W.bias})
  r = ${back.replace('R_IH', W.r_ih).replace('R_HH', W.r_hh).replace('R_B', W.r_bias)}
  output z = ${merge}
}
`;
        const result = check(text);
        expect(result.diagnostics).toEqual([]);
        const { plan, weights } = compileModel(result, 'M', { target: 'cpu', fuse: true, training: false });
        const x = { shape: [3, 5, 2], dtype: 'f32' as const, data: Float32Array.from({ length: 30 }, (_, i) => Math.sin(0.7 * i)) };
        const out = await new CpuExecutor(plan!, weights).infer({ x });
        expect(out.y!.shape).toEqual(out.z!.shape);
        [...out.y!.data].forEach((v, i) => expect(Math.abs(v - out.z!.data[i]!)).toBeLessThan(1e-6));
      }
    });
  }
});
