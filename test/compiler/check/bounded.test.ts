import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closest, editDistance, MAX_SUGGEST_LENGTH } from '../../../compiler/check/suggest.js';
import { checkSource } from '../../../compiler/index.js';
import { manyModels } from '../../../bench/generated-model.mjs';

/** The textbook full-matrix Damerau–Levenshtein (optimal string alignment) distance. */
function fullDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

describe('bounded did-you-mean', () => {
  it('the banded distance equals the full one up to the limit, and says "over" beyond it', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c'), maxLength: 9 });
    fc.assert(
      fc.property(word, word, fc.integer({ min: 0, max: 4 }), (a, b, limit) => {
        const full = fullDistance(a, b);
        expect(editDistance(a, b, limit)).toBe(full <= limit ? full : limit + 1);
        expect(editDistance(a, b)).toBe(full);
      }),
      { numRuns: 2000, seed: 3 },
    );
  });

  it('suggests nothing for names past the length cut-off, and still suggests typos', () => {
    expect(closest('relu', ['rleu', 'gelu'])).toBe('gelu');
    expect(closest('a'.repeat(MAX_SUGGEST_LENGTH + 1), ['a'.repeat(MAX_SUGGEST_LENGTH + 2)])).toBeUndefined();
  });

  it('a 64 KB name a letter away from a 64 KB input is checked at once (issue 14, item 1)', () => {
    const text = `model M {\n  input ${'a'.repeat(32_000)}: [batch, 3]\n  y = dense(${'a'.repeat(32_001)}, 4)\n  output y\n}\n`;
    const started = performance.now();
    const codes = checkSource(text).diagnostics.map((d) => d.code);
    expect(codes).toContain('NN2001');
    // It ran for 45 s; the margin is wide for a shared machine.
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});


describe('checking budget (issue 14, item 2)', () => {
  it('a 10 MB file of many models and long names checks in bounded time and memory', () => {
    const text = manyModels(10 * 1024 * 1024);
    expect(text.length).toBeGreaterThan(10 * 1024 * 1024);
    globalThis.gc?.();
    const before = process.memoryUsage().heapUsed;
    const started = performance.now();
    const result = checkSource(text);
    const seconds = (performance.now() - started) / 1000;
    const grown = process.memoryUsage().heapUsed - before;
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.models.length).toBeGreaterThan(30_000);
    expect(grown).toBeLessThan(1024 * 1024 * 1024);
    // The budget is 5 s on a free core (bench/check-budget.mjs measures it); 2 shared cores get a wide margin.
    expect(seconds).toBeLessThan(30);
  });
});
