import type { SourceRange } from '../../grammar/ast.js';
import type { Fix } from '../../diagnostics/types.js';

/**
 * "Did you mean" suggestions: the closest candidate by edit distance (Damerau–Levenshtein with
 * adjacent swaps), if it is close enough to be a plausible typo for the name.
 */

function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** The closest candidate within a third of the name's length (at least 1, at most 3 edits). */
function closest(name: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.min(3, Math.max(1, Math.floor(name.length / 3)));
  let best: string | undefined;
  let bestDistance = Infinity;
  const lower = name.toLowerCase();
  for (const candidate of candidates) {
    if (candidate === name) continue;
    const distance = candidate.toLowerCase() === lower ? 0.5 : editDistance(lower, candidate.toLowerCase());
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
  const match = closest(name, candidates);
  if (!match) return { hint: '' };
  return {
    hint: `; did you mean '${match}'?`,
    fix: { title: `Replace '${name}' with '${match}'`, edits: [{ range, newText: match }] },
  };
}
