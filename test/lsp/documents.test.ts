import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkSource } from '../../compiler/index.js';
import type { CheckResult } from '../../compiler/api-types.js';
import { DocumentStore, type Analysis } from '../../lsp/documents.js';

describe('document store', () => {
  afterEach(() => vi.useRealTimers());

  function store(onChecked: (a: Analysis) => void = () => {}) {
    const calls: string[] = [];
    const check = (text: string): CheckResult => {
      calls.push(text);
      return checkSource(text);
    };
    return { calls, store: new DocumentStore({ debounceMs: 150, onChecked, check }) };
  }

  it('applies incremental edits and checks each version once', () => {
    const { store: s, calls } = store();
    s.open('file:///m.nnet', 1, 'model M {}\n');
    s.change('file:///m.nnet', 2, [
      { range: { start: { line: 0, character: 6 }, end: { line: 0, character: 7 } }, text: 'Net' },
    ]);
    expect(s.document('file:///m.nnet')!.getText()).toBe('model Net {}\n');
    s.analysis('file:///m.nnet');
    s.analysis('file:///m.nnet');
    expect(calls).toEqual(['model Net {}\n']);
    s.dispose();
  });

  it('debounces background checks while the user types', () => {
    vi.useFakeTimers();
    const published: number[] = [];
    const { store: s, calls } = store((a) => published.push(a.document.version));
    s.open('file:///m.nnet', 1, '');
    vi.advanceTimersByTime(1);
    for (let version = 2; version <= 10; version++) {
      s.change('file:///m.nnet', version, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'x' }]);
      vi.advanceTimersByTime(50);
    }
    expect(published).toEqual([1]);
    vi.advanceTimersByTime(150);
    expect(published).toEqual([1, 10]);
    expect(calls.length).toBe(2);
    s.dispose();
  });

  it('forgets closed documents', () => {
    const { store: s } = store();
    s.open('file:///m.nnet', 1, '');
    s.close('file:///m.nnet');
    expect(s.analysis('file:///m.nnet')).toBeUndefined();
    expect(s.uris()).toEqual([]);
  });
});
