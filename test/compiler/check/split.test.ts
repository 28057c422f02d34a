import { describe, expect, it } from 'vitest';
import { check, covered, model } from './helpers.js';

/** `a, b = split(x, ...)` in the checker: part shapes (symbolic dims kept), layer names, and located errors with fixes. */
function rows(text: string): Record<string, string> {
  const result = check(text);
  expect(result.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return Object.fromEntries(result.models[0]!.summary.map((r) => [r.layer, `${r.op} [${r.outputShape.join(', ')}] ${r.params}`]));
}

function diagnostics(body: string): Array<{ code: string; at: string; fixed?: string }> {
  const text = model(body);
  return check(text).diagnostics.map((d) => {
    const edit = d.fix?.edits[0];
    const fixed = edit ? text.slice(0, edit.range.start) + edit.newText + text.slice(edit.range.end) : undefined;
    const line = fixed?.split('\n').find((l, i) => l !== text.split('\n')[i]);
    return { code: d.code, at: covered(text, d.range), ...(line ? { fixed: line.trim() } : {}) };
  });
}

describe('split', () => {
  it('gives equal parts along the last axis by default, and sized parts along any known axis', () => {
    const s = rows(model(`  input x: [batch, seq, 12]
  h = dense(x, 8)
  mu, logvar = split(h, 2)
  a, b, c = split(x, [2, 4, 6], axis: 2)
  p, q = x |> transpose([0, 2, 1]) |> split([3, 9], axis: 1)
  output y = mu + logvar
  output z = concat(a, b, c, axis: -1) + transpose(concat(p, q, axis: 1), [0, 2, 1])`));
    expect(s.mu).toBe('split [batch, seq, 4] 0');
    expect(s.logvar).toBe('split [batch, seq, 4] 0');
    expect([s.a, s.b, s.c]).toEqual(['split [batch, seq, 2] 0', 'split [batch, seq, 4] 0', 'split [batch, seq, 6] 0']);
    expect(s['p/transpose']).toBe('transpose [batch, 12, seq] 0');
    expect([s.p, s.q]).toEqual(['split [batch, 3, seq] 0', 'split [batch, 9, seq] 0']);
  });

  it('names the parts inside a block after the expansion, and a one-part split is a single value', () => {
    const s = rows(`block gate(x) {
  a, b = split(x, 2)
  return a * sigmoid(b)
}
model M {
  input x: [batch, 8]
  g = gate(x)
  output y = split(g, 1) |> dense(2)
}
`);
    expect(s['g/a']).toBe('split [batch, 4] 0');
    expect(s['g/b']).toBe('split [batch, 4] 0');
    expect(s['y/split']).toBe('split [batch, 4] 0');
  });

  it('lowers each part to a slice of its input (strided_read), the discarded one not at all', () => {
    const result = check(model(`  input x: [batch, 6]
  a, _, c = split(x, [1, 2, 3])
  output y = concat(a, c)`));
    const nodes = result.models[0]!.graph.nodes.filter((n) => n.origin.op === 'split');
    expect(nodes.map((n) => [n.op, n.attrs.starts, n.attrs.shape])).toEqual([
      ['strided_read', [0, 0], ['batch', 1]],
      ['strided_read', [0, 3], ['batch', 3]],
    ]);
  });

  it('binds each name as a value: an unused part is warned like any value, `_` discards and binds nothing', () => {
    expect(diagnostics(`  input x: [batch, 6]
  a, b = split(x, 2)
  c, _ = split(x, 2)
  d, _, _ = split(x, [3, 1, 2])
  output y = a + c + d`)).toEqual([{ code: 'NN2005', at: 'b', fixed: 'a, _ = split(x, 2)' }]);
    const discarded = check(model(`  input x: [batch, 6]
  a, _ = split(x, 2)
  output y = a + _`)).diagnostics;
    expect(discarded.map((d) => [d.code, d.message, d.fix])).toEqual([['NN2001', "'_' is not defined; '_' discards a part of a split and names nothing", undefined]]);
    expect(diagnostics(`  input x: [batch, 6]
  a, a = split(x, 2)
  output y = a`)).toEqual([{ code: 'NN2004', at: 'a' }]);
  });

  it('reports each misuse at its place, with a fix where one is clear', () => {
    expect(diagnostics(`  input x: [batch, 32]
  input s: [batch, seq, 4]
  a, b, c = split(x, 2)
  d, e = split(x, [4, 8], axis: 1)
  f, g, k = split(x, 3)
  l, m = split(s, 2, axis: 1)
  n, o = dense(x, 4) |> relu
  q = dense(split(x, 2), 3)
  r, t = split(x, 2, axis: -3)
  u, v = split(x, [4, 4, 24])
  output y = x`)).toEqual([
      { code: 'NN2033', at: 'a, b, c', fixed: 'a, b, c = split(x, 3)' },
      { code: 'NN2034', at: '[4, 8]', fixed: 'd, e = split(x, [4, 28], axis: 1)' },
      { code: 'NN2035', at: '3', fixed: 'f, g, k = split(x, [11, 11, 10])' },
      { code: 'NN2036', at: 'split(s, 2, axis: 1)' },
      { code: 'NN2037', at: 'n, o', fixed: 'n = dense(x, 4) |> relu' },
      { code: 'NN2033', at: 'split(x, 2)' },
      { code: 'NN2003', at: 'split(x, 2, axis: -3)' },
      { code: 'NN2033', at: 'u, v' },
    ]);
  });

  it('checks its arguments like any op: a count of at least 1, whole sizes, a known keyword, axis only by name (as concat\'s)', () => {
    expect(diagnostics(`  input x: [batch, 4]
  a, b = split(x, 0)
  c, d = split(x, [2, 1.5])
  e, f = split(x, 2, axes: 1)
  g, h = split(x, 2, 1)
  i, j = split(x)
  output y = x`).map((d) => d.code)).toEqual(['NN2011', 'NN2008', 'NN2007', 'NN2006', 'NN2010']);
  });
});
