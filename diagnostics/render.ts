import type { Diagnostic } from './types.js';
import { LineMap } from './line-map.js';

/**
 * Diagnostics as text, the one format of `nnet check` and of the golden `*.errors.txt` files:
 *
 *   file.nnet:7:21: error NN2003: message
 *     h = image |> dense(256, relu)
 *                  ^~~~~~~~~~~~~~~~
 *     file.nnet:3:3: note: where the input's shape comes from
 *     fix: insert flatten before dense
 *
 * The source line is printed as written; the underline starts at the range's first character and
 * covers the range on that line (a range over several lines is underlined to the end of its first
 * line; an empty range is a single caret). Lines and columns are 1-based, columns in UTF-16 units.
 */
export function renderDiagnostic(diagnostic: Diagnostic, text: string, fileName: string): string {
  return render(diagnostic, new LineMap(text), fileName);
}

/** Every diagnostic, in the order given, each ending with a newline. */
export function renderDiagnostics(diagnostics: readonly Diagnostic[], text: string, fileName: string): string {
  const lines = new LineMap(text);
  return diagnostics.map((d) => render(d, lines, fileName)).join('');
}

function render(diagnostic: Diagnostic, lines: LineMap, fileName: string): string {
  const { start, end } = diagnostic.range;
  const at = lines.lineColumn(start);
  const out = [`${fileName}:${at.line}:${at.column}: ${diagnostic.severity} ${diagnostic.code}: ${diagnostic.message}`];
  out.push(...sourceExcerpt(lines, start, end));
  for (const related of diagnostic.related ?? []) {
    const where = lines.lineColumn(related.range.start);
    out.push(`  ${fileName}:${where.line}:${where.column}: note: ${related.message}`);
  }
  if (diagnostic.fix) out.push(`  fix: ${diagnostic.fix.title}`);
  return out.join('\n') + '\n';
}

/** The line holding `start`, and an underline `^~~~` beneath the range. */
function sourceExcerpt(lines: LineMap, start: number, end: number): string[] {
  const { line, character } = lines.position(start);
  const source = lines.lineText(line);
  const lineLength = source.length;
  const from = Math.min(character, lineLength);
  const width = Math.max(1, Math.min(end, lines.lineEnd(line)) - lines.lineStart(line) - from);
  // Keep tabs in the padding so the caret lines up under tab-indented source.
  const padding = source.slice(0, from).replace(/[^\t]/g, ' ');
  return [source, `${padding}^${'~'.repeat(width - 1)}`];
}
