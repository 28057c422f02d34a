import { describe, expect, it } from 'vitest';
import { check, covered, model } from './helpers.js';

/** `x[...]` and the axis ops in the checker: result shapes (symbolic dims kept) and located errors. */
function shapes(body: string): Record<string, string> {
  const result = check(model(body));
  expect(result.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return Object.fromEntries(result.models[0]!.summary.map((r) => [r.layer, `${r.op} [${r.outputShape.join(', ')}]`]));
}

function errors(body: string): Array<{ message: string; at: string }> {
  const text = model(body);
  return check(text).diagnostics.filter((d) => d.severity === 'error').map((d) => ({ message: d.message, at: covered(text, d.range) }));
}

describe('indexing', () => {
  it('types indices, slices with steps and negative bounds, on known and symbolic axes', () => {
    const s = shapes(`  input x: [batch, seq, 6]
  output first = x[:, 0]
  output last = x[:, -1, :]
  output rest = x[:, 1:]
  output tail = x[:, -2:]
  output odd = x[:, :, 1::2]
  output back = x[:, :, ::-1]
  output inner = x[:, :, 1:-1]
  output stepped = x[:, 2::3]`);
    expect(s.first).toBe('index [batch, 6]');
    expect(s.last).toBe('index [batch, 6]');
    expect(s.rest).toBe('index [batch, seq-1, 6]');
    expect(s.tail).toBe('index [batch, 2, 6]');
    expect(s.odd).toBe('index [batch, seq, 3]');
    expect(s.back).toBe('index [batch, seq, 6]');
    expect(s.inner).toBe('index [batch, seq, 4]');
    expect(s.stepped).toBe('index [batch, ceil((seq-2)/3), 6]');
  });

  it('reports too many indices, an index out of range, an empty slice, a zero step and a reversed symbolic slice', () => {
    expect(errors(`  input x: [batch, seq, 4]
  a = x[:, :, :, 0]
  b = x[:, 0, 4]
  c = x[:, :, 3:1]
  d = x[:, :, ::0]
  e = x[:, ::-1]
  f = x[:, "a"]
  output y = x`)).toEqual([
      { message: 'indexing expects at most 3 indices (one per axis), got 4', at: 'x[:, :, :, 0]' },
      { message: 'indexing expects an index of axis 2 in -4..3, got 4', at: 'x[:, 0, 4]' },
      { message: 'indexing expects a slice of axis 2 (size 4) that keeps at least one position, got 3:1', at: 'x[:, :, 3:1]' },
      { message: 'indexing expects a slice step other than 0, got 0', at: 'x[:, :, ::0]' },
      { message: 'indexing expects a forward slice of the symbolic axis 1 (seq), got ::-1', at: 'x[:, ::-1]' },
      { message: 'expected a whole number in an index, got the string "a"', at: '"a"' },
    ]);
  });

  it('refuses to index something that is not a tensor', () => {
    expect(errors('  input x: [batch, 4]\n  let w = [1, 2]\n  a = w[0]\n  output y = x').map((e) => e.message)).toEqual(['expected a tensor to index, got a list']);
  });
});

describe('axis ops', () => {
  it('types transpose, expand_dims, squeeze, stack and pad', () => {
    const s = shapes(`  input x: [batch, seq, 4]
  output t = transpose(x)
  output p = transpose(x, [0, 2, 1])
  output e = expand_dims(x, -1)
  output q = squeeze(e)
  output k = stack(x, x, x, axis: 1)
  output z = pad(x, [1, 2])
  output r = pad(x, [0, 1], after: [0, 2], mode: reflect)`);
    expect(s.t).toBe('transpose [batch, 4, seq]');
    expect(s.p).toBe('transpose [batch, 4, seq]');
    expect(s.e).toBe('expand_dims [batch, seq, 4, 1]');
    expect(s.q).toBe('squeeze [batch, seq, 4]');
    expect(s.k).toBe('stack [batch, 3, seq, 4]');
    expect(s.z).toBe('pad [batch, seq+2, 8]');
    expect(s.r).toBe('pad [batch, seq, 7]');
  });

  it('reports a bad permutation, squeezing a real axis, stacking different shapes, widths that do not fit', () => {
    expect(errors(`  input x: [batch, seq, 4]
  input y: [batch, seq, 5]
  a = transpose(x, [0, 1])
  b = squeeze(x, 2)
  c = stack(x, y)
  d = pad(x, [1])
  e = pad(x, [0, 4], mode: reflect)
  f = pad(x, [1, 1], mode: reflect)
  output o = x`).map((e) => e.message)).toEqual([
      'transpose expects a permutation of the 3 axes 0..2, got axes [0, 1]',
      'squeeze expects axes of size 1, got axis 2 of [batch, seq, 4]',
      'stack expects tensors of one shape [batch, seq, 4], got [batch, seq, 5]',
      'pad expects one width per axis after batch, got 1 widths for the 2 axes after batch',
      'pad expects reflect widths below the size of axis 2 (a known size), got 4 and 4 on 4',
      'pad expects reflect widths below the size of axis 1 (a known size), got 1 and 1 on seq',
    ]);
  });
});
