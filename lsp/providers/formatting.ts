import type { FormattingOptions, Range, TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { formatNnet } from '../../grammar/format/index.js';
import { diffLines, splitLines, type Hunk } from '../line-diff.js';

/**
 * Formatting through the Prettier plugin. A document with syntax errors is left alone (no edits):
 * the plugin refuses to print a recovered tree. Edits are line hunks, so untouched lines keep
 * their markers; range formatting keeps the hunks that touch the selected lines.
 */
export async function formatDocument(document: TextDocument, options: FormattingOptions): Promise<TextEdit[]> {
  return editsFor(document, options, () => true);
}

export async function formatRange(document: TextDocument, range: Range, options: FormattingOptions): Promise<TextEdit[]> {
  const first = range.start.line;
  const last = range.end.character === 0 && range.end.line > first ? range.end.line - 1 : range.end.line;
  return editsFor(document, options, (h) =>
    h.oldStart === h.oldEnd ? h.oldStart >= first && h.oldStart <= last + 1 : h.oldStart <= last && h.oldEnd - 1 >= first,
  );
}

async function editsFor(document: TextDocument, options: FormattingOptions, keep: (hunk: Hunk) => boolean): Promise<TextEdit[]> {
  const text = document.getText();
  let formatted: string;
  try {
    formatted = await formatNnet(text, { tabWidth: options.tabSize, useTabs: !options.insertSpaces });
  } catch {
    return [];
  }
  const oldLines = splitLines(text);
  const newLines = splitLines(formatted);
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
