import { describe, expect, it } from 'vitest';
import { checkSource } from '../../../compiler/index.js';
import { parse } from '../../../grammar/index.js';
import { formatNnet } from '../../../grammar/format/index.js';

const SHARED_SOURCE = `
shared block enc(x, width = 4) {
  h = dense(x, width, tanh)
  return dense(h, 3)
}

model M {
  input x: [batch, 3]
  input y: [batch, 3]
  a = enc(x)
  b = enc(a)
  output b
  train {
    loss mse(b, y)
    optimizer adam(lr: 0.05)
    epochs 30  batch 8
    seed 3
  }
}
`;

describe('shared block', () => {
  it("gives every use the first use's weights: one param node each, counted once in the summary", () => {
    const check = checkSource(SHARED_SOURCE);
    expect(check.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const model = check.models[0]!;
    expect(model.graph.params.map((p) => p.name)).toEqual(['a/h.weight', 'a/h.bias', 'a.weight', 'a.bias']);
    expect(model.totalParams).toBe(3 * 4 + 4 + 4 * 3 + 3);
    expect(model.summary.filter((r) => r.op === 'dense').map((r) => [r.layer, r.params])).toEqual([['a/h', 16], ['a', 15], ['b/h', 0], ['b', 0]]);
    // Both uses' dense layers read the same weight node.
    const dense = model.graph.nodes.filter((n) => n.op === 'dense');
    expect(dense[2]!.inputs.slice(1)).toEqual(dense[0]!.inputs.slice(1));
    expect(dense[3]!.inputs.slice(1)).toEqual(dense[1]!.inputs.slice(1));
  });

  it('a plain block still gives each use weights of its own', () => {
    const model = checkSource(SHARED_SOURCE.replace('shared block', 'block')).models[0]!;
    expect(model.graph.params).toHaveLength(8);
  });

  it("reports a use whose weights have another shape, with the first use's shape and place", () => {
    const source = SHARED_SOURCE.replace('b = enc(a)', 'b = enc(a, width: 5)');
    const errors = checkSource(source).diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => [d.code, d.message])).toEqual([['NN2030', "shared block 'enc': the weight of dense is [5, 3] here but [4, 3] at the block's first use"]]);
    const related = errors[0]!.related!.map((r) => source.slice(r.range.start, r.range.end));
    expect(related).toEqual(['dense(x, width, tanh)', 'enc(a, width: 5)']);
  });

  it("an inner shared block keeps one set of weights across the outer block's uses", () => {
    const source = `
shared block proj(x) {
  return dense(x, 3)
}
block twice(x) {
  h = proj(x)
  g = dense(h, 3)
  return proj(g)
}
model M {
  input x: [batch, 3]
  a = twice(x)
  b = twice(a)
  output b
}
`;
    const model = checkSource(source).models[0]!;
    // One proj weight and bias, and a g of its own in each twice.
    expect(model.graph.params.map((p) => p.name)).toEqual(['a/h.weight', 'a/h.bias', 'a/g.weight', 'a/g.bias', 'b/g.weight', 'b/g.bias']);
  });

  it('parses and formats `shared block`, and `shared` stays free as a name', async () => {
    expect(parse(SHARED_SOURCE).diagnostics).toEqual([]);
    expect(await formatNnet('shared   block enc(x, width = 4) {\n  return dense(x, width)\n}\n')).toBe('shared block enc(x, width = 4) {\n  return dense(x, width)\n}\n');
    const named = checkSource('model M {\n  input x: [batch, 3]\n  shared = dense(x, 2)\n  output shared\n}\n');
    expect(named.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
});
