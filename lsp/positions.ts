import type { Position, Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { SourceRange } from '../grammar/ast.js';

/**
 * Conversions between the front end's character offsets and LSP positions (line, UTF-16
 * character). The front end indexes JavaScript strings, which are UTF-16, so an offset and an LSP
 * character count the same units; the document's own line table does the line arithmetic.
 */
export function toRange(document: TextDocument, range: SourceRange): Range {
  return { start: document.positionAt(range.start), end: document.positionAt(range.end) };
}

export function toOffset(document: TextDocument, position: Position): number {
  return document.offsetAt(position);
}

export function toSourceRange(document: TextDocument, range: Range): SourceRange {
  return { start: document.offsetAt(range.start), end: document.offsetAt(range.end) };
}

/** True when the cursor at `offset` touches `range` (a cursor just after a name still counts). */
export function touches(range: SourceRange, offset: number): boolean {
  return range.start <= offset && offset <= range.end;
}

export function contains(outer: SourceRange, inner: SourceRange): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

export function overlaps(a: SourceRange, b: SourceRange): boolean {
  return a.start < b.end && b.start < a.end;
}

