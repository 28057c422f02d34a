/**
 * A line diff (Myers' O(ND) algorithm) between a document and its formatted text, so formatting
 * returns small edits (the cursor and markers in untouched lines stay put) and range formatting can
 * keep only the hunks inside the selection.
 */
export interface Hunk {
  /** Replaced lines of the old text: [oldStart, oldEnd). */
  oldStart: number;
  oldEnd: number;
  /** Their replacement in the new text: [newStart, newEnd). */
  newStart: number;
  newEnd: number;
}

/** Beyond this many differing lines a single hunk is cheaper and just as correct. */
const MAX_EDIT_DISTANCE = 400;

/** Splits text into lines that keep their `\n`, so joining them gives the text back. */
export function splitLines(text: string): string[] {
  return text.split(/(?<=\n)/);
}

export function diffLines(a: string[], b: string[]): Hunk[] {
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) {
    suffix++;
  }
  const oldMid = a.slice(prefix, a.length - suffix);
  const newMid = b.slice(prefix, b.length - suffix);
  if (oldMid.length === 0 && newMid.length === 0) return [];
  const hunks = myers(oldMid, newMid) ?? [{ oldStart: 0, oldEnd: oldMid.length, newStart: 0, newEnd: newMid.length }];
  return hunks.map((h) => ({
    oldStart: h.oldStart + prefix,
    oldEnd: h.oldEnd + prefix,
    newStart: h.newStart + prefix,
    newEnd: h.newEnd + prefix,
  }));
}

type Op = 'equal' | 'delete' | 'insert';

function myers(a: string[], b: string[]): Hunk[] | undefined {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, MAX_EDIT_DISTANCE);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  if (!found) return undefined;
  return toHunks(backtrack(trace, offset, n, m));
}

function backtrack(trace: Int32Array[], offset: number, n: number, m: number): Op[] {
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const v = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : v[offset + prevK]!;
    const prevY = d === 0 ? 0 : prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push('equal');
      x--;
      y--;
    }
    if (d > 0) ops.push(x === prevX ? 'insert' : 'delete');
    x = prevX;
    y = prevY;
  }
  return ops.reverse();
}

function toHunks(ops: Op[]): Hunk[] {
  const hunks: Hunk[] = [];
  let x = 0;
  let y = 0;
  let open: Hunk | undefined;
  for (const op of ops) {
    if (op === 'equal') {
      if (open) hunks.push(open);
      open = undefined;
      x++;
      y++;
      continue;
    }
    open ??= { oldStart: x, oldEnd: x, newStart: y, newEnd: y };
    if (op === 'delete') open.oldEnd = ++x;
    else open.newEnd = ++y;
  }
  if (open) hunks.push(open);
  return hunks;
}
