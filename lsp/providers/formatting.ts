import type { Range, TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { formatNnet, sameMeaning } from '../../grammar/format/index.js';
import { parse } from '../../grammar/index.js';
import { diffLines, splitLines, type Hunk } from '../line-diff.js';

/**
 * Formatting through the Prettier plugin, always in the canonical style `nnet fmt` prints (two
 * spaces, 100 columns), whatever tab size the client asks for — as gofmt and rustfmt do — so a file
 * formatted in any editor passes `nnet fmt --check`. A document with syntax errors is left alone (no
 * edits): the plugin refuses to print a recovered tree. Edits are line hunks, so untouched lines keep
 * their markers; range formatting keeps the hunks that touch the selected lines.
 */
export async function formatDocument(document: TextDocument): Promise<TextEdit[]> {
  return editsFor(document, () => true);
}

export async function formatRange(document: TextDocument, range: Range): Promise<TextEdit[]> {
  const first = range.start.line;
  const last = range.end.character === 0 && range.end.line > first ? range.end.line - 1 : range.end.line;
  return editsFor(document, touching(first, last));
}

/** Lines first..last (0-based, inclusive) of a document. */
export interface LineSpan {
  first: number;
  last: number;
}

/**
 * The edits of a code action, formatted: `edits` applied, the result formatted, and the line hunks
 * that touch the edited lines (a line either side, where the formatter moves a blank line) returned
 * instead — so the action leaves what `nnet fmt` prints and reformats nothing else of a file that
 * was not formatted. Should those hunks miss part of the change (the diff placed it elsewhere), all
 * of them. When the result does not format (a syntax error elsewhere in the file), the edits as given.
 *
 * `within`, when every edit lies in it, is the span of the top-level declarations they touch: those
 * lines alone are formatted (what the whole file's formatting prints there, as declarations are
 * formatted independently), which on a 2,000-line file is the difference between a few ms and a second.
 */
export async function formattedEdits(document: TextDocument, edits: TextEdit[], within?: LineSpan): Promise<TextEdit[]> {
  if (edits.length === 0) return edits;
  if (within && edits.every((e) => e.range.start.line >= within.first && e.range.end.line <= within.last)) {
    const text = document.getText({ start: { line: within.first, character: 0 }, end: { line: within.last + 1, character: 0 } });
    const part = TextDocument.create(document.uri, document.languageId, document.version, text);
    const formatted = await formattedEdits(part, edits.map((e) => moveLines(e, -within.first)));
    return formatted.map((e) => moveLines(e, within.first));
  }
  const edited = TextDocument.applyEdits(document, edits);
  let formatted: string;
  try {
    formatted = await formatNnet(edited);
  } catch {
    return edits;
  }
  const lines = edits.flatMap((e) => [e.range.start.line, e.range.end.line]);
  const near = lineHunks(document, formatted, touching(Math.min(...lines) - 1, Math.max(...lines) + 1));
  const meaning = parse(edited).file;
  return sameMeaning(parse(TextDocument.applyEdits(document, near)).file, meaning) ? near : lineHunks(document, formatted, () => true);
}

async function editsFor(document: TextDocument, keep: (hunk: Hunk) => boolean): Promise<TextEdit[]> {
  let formatted: string;
  try {
    formatted = await formatNnet(document.getText());
  } catch {
    return [];
  }
  return lineHunks(document, formatted, keep);
}

function moveLines(edit: TextEdit, by: number): TextEdit {
  const { start, end } = edit.range;
  return {
    range: { start: { line: start.line + by, character: start.character }, end: { line: end.line + by, character: end.character } },
    newText: edit.newText,
  };
}

/** A hunk keeps when it replaces one of the lines first..last, or inserts next to them. */
function touching(first: number, last: number): (hunk: Hunk) => boolean {
  return (h) => (h.oldStart === h.oldEnd ? h.oldStart >= first && h.oldStart <= last + 1 : h.oldStart <= last && h.oldEnd - 1 >= first);
}

/** The edits that turn the document into `target`, one per kept hunk of a line diff. */
function lineHunks(document: TextDocument, target: string, keep: (hunk: Hunk) => boolean): TextEdit[] {
  const oldLines = splitLines(document.getText());
  const newLines = splitLines(target);
  const starts = lineOffsets(oldLines);
  return diffLines(oldLines, newLines)
    .filter(keep)
    .map((hunk) => ({
      range: { start: document.positionAt(starts[hunk.oldStart]!), end: document.positionAt(starts[hunk.oldEnd]!) },
      newText: newLines.slice(hunk.newStart, hunk.newEnd).join(''),
    }));
}

/** Offset of the start of each line, plus the end of the text. */
function lineOffsets(lines: string[]): number[] {
  const out = [0];
  for (const line of lines) out.push(out[out.length - 1]! + line.length);
  return out;
}
