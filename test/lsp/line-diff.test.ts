import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { diffLines, splitLines, type Hunk } from '../../lsp/line-diff.js';

/** Applies hunks (in order, on distinct lines) to the old lines: what an editor does with the edits. */
function apply(oldLines: string[], newLines: string[], hunks: Hunk[]): string {
  const out: string[] = [];
  let at = 0;
  for (const h of hunks) {
    out.push(...oldLines.slice(at, h.oldStart), ...newLines.slice(h.newStart, h.newEnd));
    at = h.oldEnd;
  }
  out.push(...oldLines.slice(at));
  return out.join('');
}

describe('line diff', () => {
  it('splits lines keeping their terminators', () => {
    expect(splitLines('a\nb\n')).toEqual(['a\n', 'b\n']);
    expect(splitLines('a\nb')).toEqual(['a\n', 'b']);
  });

  it('finds separate hunks for separate changes', () => {
    const a = splitLines('1\n2\n3\n4\n5\n');
    const b = splitLines('1\ntwo\n3\n4\nfive\n6\n');
    const hunks = diffLines(a, b);
    expect(hunks).toEqual([
      { oldStart: 1, oldEnd: 2, newStart: 1, newEnd: 2 },
      { oldStart: 4, oldEnd: 5, newStart: 4, newEnd: 6 },
    ]);
    expect(apply(a, b, hunks)).toBe(b.join(''));
  });

  it('turns any text into any other (property)', () => {
    const text = fc.array(fc.constantFrom('a\n', 'b\n', 'c\n', 'dd\n', '\n', 'e'), { maxLength: 30 }).map((l) => l.join(''));
    fc.assert(
      fc.property(text, text, (x, y) => {
        const a = splitLines(x);
        const b = splitLines(y);
        expect(apply(a, b, diffLines(a, b))).toBe(y);
      }),
      { numRuns: 300 },
    );
  });
});
