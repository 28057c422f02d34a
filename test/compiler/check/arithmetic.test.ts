import { describe, expect, it } from 'vitest';
import { check, covered, model } from './helpers.js';

/** The operators and the math ops in the checker: types, broadcasting, located errors; constants still fold. */
function types(body: string): Record<string, string> {
  const result = check(model(body));
  expect(result.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return Object.fromEntries(result.models[0]!.summary.map((r) => [r.layer, `${r.op} [${r.outputShape.join(', ')}]`]));
}

describe('arithmetic on tensors', () => {
  it('types + - * / between tensors with broadcasting, and with numbers', () => {
    const body = `  input x: [batch, seq, 4]
  input b: [4]
  input s: [batch, 1, 1]
  d = x - b
  q = x / s
  p = x * b + s
  h = 1 - x * 0.5
  n = -x
  r = 2 / (x * x + 1)
  output d
  output q
  output p
  output h
  output n
  output r`;
    const t = types(body);
    expect(t.d).toBe('subtract [batch, seq, 4]');
    expect(t.q).toBe('divide [batch, seq, 4]');
    expect(t.p).toBe('add [batch, seq, 4]');
    expect(t['p/multiply']).toBe('multiply [batch, seq, 4]');
    expect(t.h).toBe('shift [batch, seq, 4]');
    expect(t['h/scale']).toBe('scale [batch, seq, 4]');
    expect(t.n).toBe('negate [batch, seq, 4]');
    expect(t['r/reciprocal']).toBeUndefined();
    expect(t.r).toBe('reciprocal [batch, seq, 4]');
  });

  it('reports a broadcast mismatch at the operator expression, with where each shape came from', () => {
    const text = model('  input x: [batch, 3]\n  input y: [batch, 4]\n  d = x - y\n  output d');
    const [diagnostic, ...rest] = check(text).diagnostics;
    expect(rest).toEqual([]);
    expect(diagnostic!.code).toBe('NN2003');
    expect(diagnostic!.message).toBe('subtract expects shapes that broadcast with [batch, 3], got [batch, 4]');
    expect(covered(text, diagnostic!.range)).toBe('x - y');
    expect(covered(text, diagnostic!.related![0]!.range)).toBe('input y: [batch, 4]');
  });

  it('offers expand_dims for a reduction that lost its axis (x - sum(x, axis: -1)), and the fix checks', () => {
    const text = model('  input x: [batch, seq, 4]\n  m = sum(x, axis: -1)\n  output d = x - m');
    const [diagnostic, ...rest] = check(text).diagnostics;
    expect(rest).toEqual([]);
    expect(diagnostic!.message).toBe('subtract expects shapes that broadcast with [batch, seq, 4], got [batch, seq]');
    expect(covered(text, diagnostic!.range)).toBe('x - m');
    const edits = [...diagnostic!.fix!.edits].sort((a, b) => b.range.start - a.range.start);
    const fixed = edits.reduce((t, e) => t.slice(0, e.range.start) + e.newText + t.slice(e.range.end), text);
    expect(fixed).toContain('output d = x - expand_dims(m, -1)');
    expect(check(fixed).diagnostics).toEqual([]);
  });

  it('keeps a symbolic dim: [batch, seq] does not broadcast with [batch, len]', () => {
    const text = model('  input x: [batch, seq]\n  input y: [batch, len]\n  output d = x * y');
    expect(check(text).diagnostics.map((d) => d.message)).toEqual(['multiply expects shapes that broadcast with [batch, seq], got [batch, len]']);
  });

  it('refuses arithmetic on an int tensor, a string in arithmetic, an undefined name and x / 0', () => {
    const ints = model('  input ids: [batch, 4] int\n  output y = ids * 2');
    expect(check(ints).diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual(['NN2003 arithmetic expects a float tensor, got int [batch, 4]']);
    const text = model('  input x: [batch, 4]\n  a = x + "one"\n  b = x - wat\n  c = x / 0\n  output y = dense(x, 1)');
    const diagnostics = check(text).diagnostics.filter((d) => d.severity === 'error');
    expect(diagnostics.map((d) => `${d.code} ${covered(text, d.range)}`)).toEqual(['NN2016 "one"', 'NN2001 wat', 'NN2017 x / 0']);
  });

  it('still folds constant arithmetic in shapes and arguments', () => {
    const text = `let w = 3\n${model('  input x: [batch, w * 2 - 1]\n  output y = dense(x, -(-w) + 1) * 0.5')}`;
    const result = check(text);
    expect(result.diagnostics).toEqual([]);
    expect(result.models[0]!.summary.map((r) => r.outputShape)).toEqual([['batch', 5], ['batch', 4], ['batch', 4]]);
  });
});

describe('math ops', () => {
  it('types the elementwise ops and the reductions', () => {
    const t = types(`  input x: [batch, seq, 4]
  e = exp(x) + log(abs(x) + 1) + sqrt(square(x)) + pow(x, 3) + clip(x, -1, max: 1)
  s = sum(x, axis: -1)
  m = mean(x, axis: [1, 2], keepdims: true)
  k = max(x)
  j = x |> min(axis: 1)
  output e
  output s
  output m
  output k
  output j`);
    expect(t.s).toBe('sum [batch, seq]');
    expect(t.m).toBe('mean [batch, 1, 1]');
    expect(t.k).toBe('max []');
    expect(t.j).toBe('min [batch, 4]');
    expect(t['e/pow']).toBe('pow [batch, seq, 4]');
  });

  it('takes an axis by the name of its symbolic dim, alone or in a list', () => {
    const t = types(`  input x: [batch, seq, 4]
  a = mean(x, axis: seq)
  b = sum(x, axis: [seq, -1], keepdims: true)
  output a
  output b`);
    expect(t.a).toBe('mean [batch, 4]');
    expect(t.b).toBe('sum [batch, 1, 1]');
    const text = model('  input x: [batch, seq, seq]\n  input y: [batch, len]\n  a = sum(x, axis: seq)\n  b = sum(y, axis: seq)\n  output o = x');
    expect(check(text).diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([
      'sum expects axes between -3 and 2, or the name of one symbolic axis, got axis seq, which is more than one axis of [batch, seq, seq]',
      'sum expects axes between -2 and 1, or the name of one symbolic axis, got axis seq, which is no axis of [batch, len]',
    ]);
  });

  it('reports an axis out of range, an axis named twice, clip bounds the wrong way round and an int input', () => {
    const text = model(`  input x: [batch, 4]
  input ids: [batch] int
  a = sum(x, axis: 2)
  b = mean(x, axis: [1, -1])
  c = clip(x, min: 1, max: 0)
  d = exp(ids)
  output y = dense(x, 1)`);
    const errors = check(text).diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => d.message)).toEqual([
      'sum expects axes between -2 and 1, or the name of one symbolic axis, got axis 2 of a rank-2 tensor',
      'mean expects axes between -2 and 1, or the name of one symbolic axis, got axis 1, -1 (an axis named twice)',
      'clip expects min ≤ max, got min 1, max 0',
      'exp expects a float tensor, got int [batch]',
    ]);
    expect(covered(text, errors[0]!.range)).toBe('sum(x, axis: 2)');
  });
});
