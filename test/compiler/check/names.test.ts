import { describe, expect, it } from 'vitest';
import { check, codes, covered, model } from './helpers.js';

describe('name resolution', () => {
  it('reports an undefined name with a did-you-mean fix', () => {
    const text = model('  input image: [batch, 4]\n  h = dense(imag, 3)\n  output h');
    const d = check(text).diagnostics.find((x) => x.severity === 'error');
    expect(d).toMatchObject({ code: 'NN2001', message: "'imag' is not defined; did you mean 'image'?" });
    expect(covered(text, d!.range)).toBe('imag');
    expect(d!.fix?.edits).toEqual([{ range: d!.range, newText: 'image' }]);
  });

  it('suggests ops, activations, initialisers, losses and optimizers', () => {
    const text = `${model(`  input x: [batch, 4]
  input y: [batch, 1]
  a = denze(x, 3)
  b = dense(x, 3, reluu, weight: glorot_unifrom)
  output c = dense(x, 1)
  train {
    loss mes(c, y)
    optimizer adma(lr: 0.1)
  }`)}`;
    const messages = check(text).diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`);
    expect(messages).toEqual([
      "NN2002 unknown op 'denze'; did you mean 'dense'?",
      "NN2026 unknown activation 'reluu'; did you mean 'relu'?",
      "NN2025 unknown initialiser 'glorot_unifrom'; did you mean 'glorot_uniform'?",
      "NN3003 unknown loss 'mes'; did you mean 'mse'?",
      "NN3003 unknown optimizer 'adma'; did you mean 'adam'?",
    ]);
  });

  it('reports duplicates with the first definition as related information', () => {
    const text = model('  input x: [batch, 4]\n  h = dense(x, 3)\n  h = dense(x, 2)\n  output h');
    const d = check(text).diagnostics.find((x) => x.code === 'NN2004')!;
    expect(d.related?.[0]?.message).toBe("'h' is first defined here");
    expect(text.slice(d.range.start, d.range.end)).toBe('h');
  });

  it('warns about unused values but not outputs or labels read by the loss', () => {
    const text = model(`  input x: [batch, 4]
  input y: [batch, 2]
  unused = dense(x, 3)
  out = dense(x, 2)
  output out
  train { loss mse(out, y) }`);
    const result = check(text);
    expect(result.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual(["NN2005 'unused' is computed but never used"]);
    const graph = result.models[0]!.graph;
    expect(graph.inputs.map((i) => [i.name, i.labelOnly])).toEqual([['x', false], ['y', true]]);
  });

  it('reports an unused input as an input (NN2029), not as a computed value (issue 10)', () => {
    const text = model(`  input x: [batch, 3]\n  input target: [batch, 1]\n  output y = dense(x, 1)`);
    const result = check(text);
    expect(result.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual(["NN2029 input 'target' is never used"]);
  });

  it('folds constant arithmetic and uses constants as dims', () => {
    const text = `let width = 64\nlet features = 2 * 2\n${model(`  input x: [batch, features]\n  h = dense(x, width * 2 - 28)\n  output h`)}`;
    const result = check(text);
    expect(result.diagnostics).toEqual([]);
    expect(result.models[0]!.summary.map((r) => r.outputShape)).toEqual([['batch', 4], ['batch', 100]]);
  });

  it('reports division by zero and strings in arithmetic', () => {
    expect(codes(`let a = 1 / 0\n${model('  input x: [batch, 4]\n  output y = dense(x, 2)')}`)).toEqual(['NN2017']);
    expect(codes(model('  input x: [batch, 4]\n  y = x + "a"\n  output y'))).toContain('NN2016');
  });

  it('collects symbols with every reference for rename', () => {
    const text = model('  input x: [batch, 4]\n  h = dense(x, 3)\n  y = add(h, h)\n  output y');
    const h = check(text).symbols.find((s) => s.name === 'h')!;
    expect(h.kind).toBe('value');
    expect(h.container).toBe('M');
    expect(h.references.map((r) => text.slice(r.start, r.end))).toEqual(['h', 'h']);
    const x = check(text).symbols.find((s) => s.name === 'x')!;
    expect(x.type).toEqual({ shape: ['batch', 4], dtype: 'f32' });
  });
});

describe('arguments', () => {
  const wrap = (line: string) => model(`  input x: [batch, 4]\n  h = ${line}\n  output h`);
  it('reports too many positional arguments, unknown and doubled named ones, missing ones', () => {
    expect(codes(wrap('dense(x, 3, relu, 7)'))).toEqual(['NN2006']);
    expect(codes(wrap('dense(x, 3, unitz: 4)'))).toEqual(['NN2007']);
    expect(codes(wrap('dense(x, 3, units: 4)'))).toEqual(['NN2009']);
    expect(codes(wrap('dense(x)'))).toEqual(['NN2010']);
  });
  it('checks kinds and ranges', () => {
    expect(check(wrap('dense(x, 2.5)')).diagnostics[0]!.message).toBe("argument 'units' of dense expects a whole number, got the number 2.5");
    expect(check(wrap('dropout(x, 1)')).diagnostics[0]!.message).toBe("argument 'rate' of dropout must be in [0, 1), got 1");
    expect(check(wrap('dense(x, 1e15)')).diagnostics[0]).toMatchObject({ code: 'NN2012', message: "'units' of dense is 1000000000000000, larger than the limit of 1048576" });
    expect(codes(wrap('x |> reshape([2, 2]) |> conv1d(4, 3, padding: samee)'))).toEqual(['NN2008']);
  });
  it('checks literal weights against the parameter shape', () => {
    const d = check(wrap('dense(x, 2, weight: [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]])')).diagnostics[0]!;
    expect(d.message).toBe("literal for 'weight' has shape [3, 4], but dense needs [2, 4]");
    expect(codes(wrap('dense(x, 2, bias: [[1, 2], [3]])'))).toEqual(['NN2014']);
    expect(codes(wrap('dense(x, 2, weight: false)'))).toEqual(['NN2015']);
  });
  it('resolves initialisers and load() into InitSpecs', () => {
    const text = wrap('dense(x, 2, weight: normal(std: 0.02), bias: constant(0.1)) |> dense(3, weight: load("w.safetensors", "w"), bias: false)');
    const params = check(text).models[0]!.graph.params;
    expect(params.map((p) => [p.name, p.init])).toEqual([
      ['h/dense.weight', { kind: 'normal', mean: 0, std: 0.02 }],
      ['h/dense.bias', { kind: 'constant', value: 0.1 }],
      ['h.weight', { kind: 'file', path: 'w.safetensors', tensor: 'w' }],
    ]);
  });
  it('records per-layer regularisation on weights only', () => {
    const params = check(wrap('dense(x, 2, l2: 1e-4)')).models[0]!.graph.params;
    expect(params.map((p) => [p.name, p.regularize])).toEqual([['h.weight', { l2: 1e-4 }], ['h.bias', undefined]]);
  });
});

describe('constants', () => {
  it('report an undefined name in a let where it is written', () => {
    const text = `let width = widht\n${model('  input x: [batch, 4]\n  output y = dense(x, 4)')}`;
    const d = check(text).diagnostics[0]!;
    expect(d.code).toBe('NN2001');
    expect(text.slice(d.range.start, d.range.end)).toBe('widht');
  });
  it('let blocks take activations and numbers as constants', () => {
    const text = `block mlp(x, width, act = relu) {\n  let wide = width * 2\n  return dense(x, wide, act)\n}\n${model('  input x: [batch, 4]\n  output y = x |> mlp(8, act: gelu)')}`;
    const result = check(text);
    expect(result.diagnostics).toEqual([]);
    expect(result.models[0]!.graph.nodes.at(-1)!.attrs).toEqual({ units: 16, activation: 'gelu' });
  });
});
