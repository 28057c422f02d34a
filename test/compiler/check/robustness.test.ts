import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkSource } from '../../../compiler/index.js';

const folder = new URL('../../../examples/', import.meta.url);
const examples = readdirSync(folder).filter((f) => f.endsWith('.nnet')).map((f) => readFileSync(new URL(f, folder), 'utf8'));

/** Cuts text into words and punctuation so mutations produce plausible near-misses. */
function pieces(text: string): string[] {
  return text.match(/[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?(?:e-?\d+)?|\s+|./g) ?? [];
}

const mutated = fc
  .tuple(fc.constantFrom(...examples), fc.array(fc.tuple(fc.nat(), fc.nat(), fc.constantFrom('delete', 'duplicate', 'swap')), { minLength: 1, maxLength: 4 }))
  .map(([text, edits]) => {
    const parts = pieces(text);
    for (const [a, b, kind] of edits) {
      const i = a % parts.length;
      const j = b % parts.length;
      if (kind === 'delete') parts.splice(i, 1);
      else if (kind === 'duplicate') parts.splice(i, 0, parts[j]!);
      else [parts[i], parts[j]] = [parts[j]!, parts[i]!];
    }
    return parts.join('');
  });

describe('checker robustness', () => {
  it('never throws or reports an internal error on mutated examples, and keeps ranges inside the text', () => {
    fc.assert(
      fc.property(mutated, (text) => {
        const result = checkSource(text);
        for (const d of result.diagnostics) {
          expect(d.code).not.toBe('NN2099');
          expect(d.range.start).toBeGreaterThanOrEqual(0);
          expect(d.range.end).toBeLessThanOrEqual(text.length);
          expect(d.range.start).toBeLessThanOrEqual(d.range.end);
          for (const r of d.related ?? []) expect(r.range.end).toBeLessThanOrEqual(text.length);
        }
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('gives a clear error for absurd sizes', () => {
    const text = 'model M {\n  input x: [batch, 100000000000]\n  output y = dense(x, 1e15)\n}\n';
    expect(checkSource(text).diagnostics.map((d) => d.message)).toEqual([
      "'dim' of input is 100000000000, larger than the limit of 16777216",
      "'units' of dense is 1000000000000000, larger than the limit of 1048576",
    ]);
  });
});
