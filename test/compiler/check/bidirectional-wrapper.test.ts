import { describe, expect, it } from 'vitest';
import { check, covered, model } from './helpers.js';

/** `bidirectional(lstm(x, 64), merge: m)`: the same layer as `lstm(x, 64, bidirectional: m)`, and its errors at the argument. */
const graphOf = (body: string) => {
  const result = check(model(`  input x: [batch, seq, 4]\n  input m: [batch, seq] int\n${body}`));
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const { graph, summary } = result.models[0]!;
  return {
    layers: graph.nodes.filter((n) => n.op !== 'input' && n.op !== 'param').map((n) => ({ op: n.op, layer: n.origin.layer, attrs: n.attrs, type: n.type })),
    params: graph.params.map((p) => p.name),
    summary: summary.map((r) => ({ layer: r.layer, op: r.op, params: r.params })),
  };
};

describe('bidirectional(...) as a wrapper', () => {
  for (const [wrapped, argument] of [
    ['  h = bidirectional(lstm(x, 6, return_sequences: true))', '  h = lstm(x, 6, return_sequences: true, bidirectional: concat)'],
    ['  h = x |> bidirectional(gru(3, reset_after: true, mask: m), merge: sum)', '  h = x |> gru(3, reset_after: true, mask: m, bidirectional: sum)'],
    ['  h = bidirectional(rnn(x, 2, mask: m), merge: ave) |> dense(3)', '  h = rnn(x, 2, mask: m, bidirectional: ave) |> dense(3)'],
  ] as const) {
    it(`${wrapped.trim()} is ${argument.trim()}`, () => {
      const a = graphOf(`${wrapped}\n  output h`);
      expect(a).toEqual(graphOf(`${argument}\n  output h`));
      expect(a.params.some((p) => p.endsWith('.w_ih_reverse'))).toBe(true);
    });
  }

  for (const [call, code, at] of [
    ['bidirectional(dense(x, 6))', 'NN2008', 'dense(x, 6)'],
    ['bidirectional(x)', 'NN2008', 'x'],
    ['bidirectional(lstm(x, 6, bidirectional: sum))', 'NN2008', 'bidirectional: sum'],
    ['bidirectional(lstm(x, 6), mode: sum)', 'NN2007', 'mode'],
    ['bidirectional(lstm(x, 6), merge: max)', 'NN2008', 'max'],
  ] as const) {
    it(`${call}: ${code} at '${at}'`, () => {
      const text = model(`  input x: [batch, seq, 4]\n  h = ${call}\n  output h`);
      const errors = check(text).diagnostics.filter((d) => d.severity === 'error');
      expect(errors.map((d) => d.code)).toEqual([code]);
      expect(covered(text, errors[0]!.range)).toBe(at);
    });
  }
});
