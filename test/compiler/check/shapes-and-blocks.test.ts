import { describe, expect, it } from 'vitest';
import { check, codes, covered } from './helpers.js';

describe('shape errors', () => {
  const text = `model Digits {
  input image: [batch, 28, 28]
  h = image |> dense(256, relu)
  output h
}
`;
  it('name the failing op and where its input got its shape, with a flatten fix', () => {
    const [d] = check(text).diagnostics;
    expect(d!.code).toBe('NN2003');
    expect(d!.message).toBe('dense expects [batch, features], got [batch, 28, 28]');
    expect(covered(text, d!.range)).toBe('dense(256, relu)');
    expect(d!.related!.map((r) => [r.message, covered(text, r.range)])).toEqual([["'image' gets its shape [batch, 28, 28] here", 'input image: [batch, 28, 28]']]);
    const fixed = text.slice(0, d!.fix!.edits[0]!.range.start) + d!.fix!.edits[0]!.newText + text.slice(d!.fix!.edits[0]!.range.end);
    expect(fixed).toContain('image |> flatten |> dense(256, relu)');
    expect(check(fixed).diagnostics).toEqual([]);
  });

  it('fix a call-form dense by piping its argument through flatten', () => {
    const callForm = text.replace('image |> dense(256, relu)', 'dense(image, 256, relu)');
    const d = check(callForm).diagnostics[0]!;
    const edit = d.fix!.edits[0]!;
    const fixed = callForm.slice(0, edit.range.start) + edit.newText + callForm.slice(edit.range.end);
    expect(fixed).toContain('dense(image |> flatten, 256, relu)');
    expect(check(fixed).diagnostics).toEqual([]);
  });

  it('after a sequence of fixed length, suggest a symbolic dim rather than flatten (issue 10)', () => {
    const t = 'model M {\n  input x: [batch, 20, 8]\n  h = lstm(x, 16, return_sequences: true)\n  output y = dense(h, 1)\n}\n';
    const d = check(t).diagnostics[0]!;
    expect(d.code).toBe('NN2003');
    expect(d.message).toBe('dense expects [batch, features], or [batch, seq, features] with a symbolic seq, got [batch, 20, 16]');
    expect(d.fix).toBeUndefined();
    expect(d.related!.map((r) => r.message)).toContain('for a dense at every step, declare the sequence length as a symbolic dim ([batch, seq, ...]) instead of 20');
    expect(check(t.replace('[batch, 20, 8]', '[batch, seq, 8]')).diagnostics).toEqual([]);
  });

  it('report broadcasting failures at the merge with the offending input', () => {
    const t = 'model M {\n  input x: [batch, 4]\n  a = dense(x, 3)\n  b = dense(x, 5)\n  output y = add(a, b)\n}\n';
    const d = check(t).diagnostics[0]!;
    expect(d.message).toBe('add expects shapes that broadcast with [batch, 3], got [batch, 5]');
    expect(covered(t, d.related![0]!.range)).toBe('dense(x, 5)');
  });

  it('do not cascade: a value with an error poisons its users silently', () => {
    expect(codes('model M {\n  input x: [batch, 2, 2]\n  a = dense(x, 3)\n  b = dense(a, 4) |> relu\n  output b\n}\n')).toEqual(['NN2003']);
  });

  it('check input declarations', () => {
    expect(codes('model M {\n  input x: [batch, 0]\n  output x\n}\n')).toEqual(['NN2018']);
    expect(check('model M {\n  h = 3\n}\n').diagnostics.map((d) => d.message)).toEqual(["model 'M' has no input and no output"]);
  });
});

describe('blocks', () => {
  const block = `block residual(x, width, act = relu) {
  h = dense(x, width, act)
  return add(x, dense(h, width))
}
`;
  it('keep the block prefix on every use of a pipeline, the last included (issue 10: s1/basic, s1/basic_2, then s1/h)', () => {
    const text = `${block}model M {\n  input x: [batch, 8]\n  s1 = x |> residual(8) |> residual(8) |> residual(8)\n  single = residual(s1, 8)\n  output y = add(s1, single)\n}\n`;
    const layers = check(text).models[0]!.summary.map((r) => r.layer);
    expect(layers.filter((l) => l.endsWith('/h'))).toEqual(['s1/residual/h', 's1/residual_2/h', 's1/residual_3/h', 'single/h']);
    expect(layers).toContain('s1');
  });

  it('expand per use: same-width uses check, a width mismatch fails inside the block with the call as related', () => {
    const ok = `${block}model M {\n  input x: [batch, 8]\n  y = x |> residual(8) |> residual(8, act: gelu)\n  output y\n}\n`;
    const result = check(ok);
    expect(result.diagnostics).toEqual([]);
    expect(result.models[0]!.summary.map((r) => r.layer)).toEqual(['x', 'y/residual/h', 'y/residual/dense', 'y/residual', 'y/residual_2/h', 'y/residual_2/dense', 'y']);
    expect(result.models[0]!.graph.params.map((p) => p.name)).toContain('y/residual/h.weight');

    const bad = `${block}model M {\n  input x: [batch, 8]\n  y = residual(x, 4)\n  output y\n}\n`;
    const d = check(bad).diagnostics[0]!;
    expect(d.code).toBe('NN2003');
    expect(covered(bad, d.range)).toBe('add(x, dense(h, width))');
    expect(d.related!.map((r) => covered(bad, r.range))).toEqual(['dense(h, width)', 'residual(x, 4)']);
    expect(d.related![1]!.message).toBe("in block 'residual' used here");
  });

  it('report an error inside a block used twice once', () => {
    const t = `block b(x) {\n  return dense(x, reluu)\n}\nmodel M {\n  input x: [batch, 8]\n  y = x |> b |> b\n  output y\n}\n`;
    expect(codes(t)).toEqual(['NN2008']);
  });

  it('refuse recursion, wrong arity and non-tensor first arguments', () => {
    expect(codes('block a(x) {\n  return b(x)\n}\nblock b(x) {\n  return a(x)\n}\nmodel M {\n  input x: [batch, 2]\n  output y = a(x)\n}\n')).toEqual(['NN2021']);
    expect(codes(`${block}model M {\n  input x: [batch, 8]\n  output y = residual(x, 8, relu, 3)\n}\n`)).toEqual(['NN2006']);
    expect(codes(`${block}model M {\n  input x: [batch, 8]\n  output y = residual(3, 8)\n}\n`)).toEqual(['NN2029', 'NN2023']);
    expect(codes(`${block}model M {\n  input x: [batch, 8]\n  output y = residual(x, 8, actt: relu)\n}\n`)).toEqual(['NN2007']);
    expect(codes(`${block}model M {\n  input x: [batch, 8]\n  output y = residual(x)\n}\n`)).toEqual(['NN2010']);
  });

  it('warn about a block that is never used', () => {
    expect(codes(`${block}model M {\n  input x: [batch, 8]\n  output x\n}\n`)).toEqual(['NN2028']);
  });
});
