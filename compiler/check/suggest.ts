import type { SourceRange } from '../../grammar/ast.js';
import type { Fix } from '../../diagnostics/types.js';
import { DISCARD } from '../ops/split.js';

/**
 * "Did you mean" suggestions: the closest candidate by edit distance (Damerau–Levenshtein with
 * adjacent swaps), if it is close enough to be a plausible typo for the name.
 *
 * Bounded on user-sized input: a name longer than MAX_SUGGEST_LENGTH gets no suggestion, a
 * candidate whose length differs by more than the limit is skipped without comparing, and the
 * distance is computed in a band of width 2·limit+1 over three rolling rows, stopping as soon as a
 * row exceeds the limit. A lookup costs O(candidates · length · limit) time and O(length) memory
 * (a 32,000-letter name against a 32,001-letter one used to build a 4 GB matrix).
 */

/** Names longer than this are not typos anyone would want corrected; they get no suggestion. */
export const MAX_SUGGEST_LENGTH = 64;

/**
 * The edit distance between `a` and `b` if it is at most `limit`, otherwise `limit + 1`.
 * Without a limit, the exact distance (the band then covers the whole matrix).
 */
export function editDistance(a: string, b: string, limit = Math.max(a.length, b.length)): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const cols = b.length + 1;
  const over = limit + 1;
  let prev2 = new Array<number>(cols).fill(over);
  let prev = new Array<number>(cols);
  let row = new Array<number>(cols).fill(over);
  for (let j = 0; j < cols; j++) prev[j] = j <= limit ? j : over;
  for (let i = 1; i <= a.length; i++) {
    const from = Math.max(1, i - limit);
    const to = Math.min(b.length, i + limit);
    row.fill(over);
    row[0] = i <= limit ? i : over;
    let rowMin = row[0];
    for (let j = from; j <= to; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, prev2[j - 2]! + 1);
      row[j] = Math.min(best, over);
      if (row[j]! < rowMin) rowMin = row[j]!;
    }
    if (rowMin > limit) return over;
    [prev2, prev, row] = [prev, row, prev2];
  }
  return Math.min(prev[b.length]!, over);
}

/** The closest candidate within a third of the name's length (at least 1, at most 3 edits). */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  if (name.length > MAX_SUGGEST_LENGTH) return undefined;
  const limit = Math.min(3, Math.max(1, Math.floor(name.length / 3)));
  let best: string | undefined;
  let bestDistance = Infinity;
  const lower = name.toLowerCase();
  for (const candidate of candidates) {
    if (candidate === name || Math.abs(candidate.length - name.length) > limit) continue;
    const other = candidate.toLowerCase();
    const distance = other === lower ? 0.5 : editDistance(lower, other, limit);
    if (distance < bestDistance || (distance === bestDistance && best !== undefined && candidate < best)) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

export interface Suggestion {
  /** Appended to the message: `; did you mean 'relu'?`, or '' without a suggestion. */
  hint: string;
  fix?: Fix;
}

export function suggest(name: string, range: SourceRange, candidates: Iterable<string>): Suggestion {
  // `_` is never a misspelling: it is the name that discards a part of a split.
  if (name === DISCARD) return { hint: `; '${DISCARD}' discards a part of a split and names nothing` };
  const match = closest(name, candidates);
  if (!match) return { hint: '' };
  return {
    hint: `; did you mean '${match}'?`,
    fix: { title: `Replace '${name}' with '${match}'`, edits: [{ range, newText: match }] },
  };
}
