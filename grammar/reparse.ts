import type { Comment, Decl, FileNode, ModelDecl } from './ast.js';
import { parse, type ParseResult } from './index.js';

/**
 * Re-parses a document after an edit that stays inside one model declaration: only that model's
 * text is parsed, the other declarations are reused (shifted by the edit's length change). The
 * language server calls this on every keystroke; on a 2,000-line file it parses a hundred lines
 * instead of two thousand.
 *
 * Returns undefined whenever the shortcut could differ from `parse(text)`, and the caller parses
 * the whole text: the previous parse had diagnostics, the edit touches a model's first or last
 * character or anything outside a model, or the edited model no longer parses cleanly as exactly
 * one model spanning the same declaration. Inside those bounds the result equals `parse(text)`:
 * the text before the model is unchanged and ends on a token boundary, the model starts with the
 * unchanged `model` keyword and ends with the unchanged `}`, so the lexer and the parser see the
 * same tokens around it.
 */
export function reparseAfterEdit(previousText: string, previous: ParseResult, text: string): ParseResult | undefined {
  if (previous.diagnostics.length > 0) return undefined;
  const edit = changedSpan(previousText, text);
  if (!edit) return previous.file.range.end === text.length ? previous : undefined;

  const index = previous.file.decls.findIndex((d) => d.range.start < edit.start && edit.oldEnd < d.range.end);
  const old = previous.file.decls[index];
  if (!old || old.kind !== 'Model') return undefined;

  const delta = text.length - previousText.length;
  const start = old.range.start;
  const slice = text.slice(start, old.range.end + delta);
  const reparsed = parse(slice);
  const [decl] = reparsed.file.decls;
  if (reparsed.diagnostics.length > 0 || reparsed.file.decls.length !== 1 || decl?.kind !== 'Model') return undefined;
  if (decl.range.start !== 0 || decl.range.end !== slice.length) return undefined;

  const decls: Decl[] = previous.file.decls.map((d, i) =>
    i < index ? d : i === index ? shifted(decl as ModelDecl, start) : shifted(d, delta),
  );
  const comments: Comment[] = [
    ...previous.file.comments.filter((c) => c.range.end <= start),
    ...reparsed.file.comments.map((c) => shifted(c, start)),
    ...previous.file.comments.filter((c) => c.range.start >= old.range.end).map((c) => shifted(c, delta)),
  ];
  const file: FileNode = { kind: 'File', decls, comments, range: { start: 0, end: text.length } };
  return { file, diagnostics: [] };
}

interface Span {
  /** First changed offset (same in both texts). */
  start: number;
  /** End of the replaced text in the previous text (exclusive). */
  oldEnd: number;
}

/** The one span that differs between the two texts (longest common prefix and suffix). */
function changedSpan(before: string, after: string): Span | undefined {
  if (before === after) return undefined;
  const limit = Math.min(before.length, after.length);
  let start = 0;
  while (start < limit && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let tail = 0;
  while (tail < limit - start && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail++;
  return { start, oldEnd: before.length - tail };
}

/**
 * A copy of an AST subtree with every `range` (and `keyword` range) moved by `delta`. Copies
 * rather than mutates: the previous parse stays valid for whoever still holds it.
 */
function shifted<T>(node: T, delta: number): T {
  if (delta === 0) return node;
  return shiftValue(node, delta) as T;
}

function shiftValue(value: unknown, delta: number): unknown {
  if (Array.isArray(value)) return value.map((v) => shiftValue(v, delta));
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  if (isRange(record)) return { ...record, start: record.start + delta, end: record.end + delta };
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(record)) copy[key] = shiftValue(record[key], delta);
  return copy;
}

function isRange(record: Record<string, unknown>): record is { start: number; end: number } {
  return typeof record.start === 'number' && typeof record.end === 'number' && !('kind' in record);
}
