import type { Diagnostic } from './types.js';
import { LineMap } from './line-map.js';

/**
 * Diagnostics as text, the one format of `nnet check`, of every command's errors and of the golden
 * `*.errors.txt` files: a header, the source line under a line-number gutter (like tsc and rustc),
 * an underline, then notes and the fix:
 *
 *   file.nnet:7:21: error NN2003: message
 *     7 |   h = image |> dense(256, relu)
 *       |                ^~~~~~~~~~~~~~~~
 *     file.nnet:3:3: note: where the input's shape comes from
 *     fix: insert flatten before dense
 *
 * The source line is printed as written; the underline starts at the range's first character and
 * covers the range on that line (a range over several lines is underlined to the end of its first
 * line; an empty range is a single caret). Lines and columns are 1-based, columns in UTF-16 units.
 * `paint` colours the parts for a terminal; without it the text is plain.
 */
export interface Paint {
  bold(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  blue(text: string): string;
  cyan(text: string): string;
  green(text: string): string;
}

const identity = (text: string): string => text;

/** No colour: what files, pipes and the golden tests get. */
export const PLAIN: Paint = { bold: identity, red: identity, yellow: identity, blue: identity, cyan: identity, green: identity };

export function renderDiagnostic(diagnostic: Diagnostic, text: string, fileName: string, paint: Paint = PLAIN): string {
  return render(diagnostic, new LineMap(text), fileName, paint);
}

/** Every diagnostic, in the order given, each ending with a newline. */
export function renderDiagnostics(diagnostics: readonly Diagnostic[], text: string, fileName: string, paint: Paint = PLAIN): string {
  const lines = new LineMap(text);
  return diagnostics.map((d) => render(d, lines, fileName, paint)).join('');
}

function render(diagnostic: Diagnostic, lines: LineMap, fileName: string, paint: Paint): string {
  const { start, end } = diagnostic.range;
  const at = lines.lineColumn(start);
  const severity = diagnostic.severity === 'error' ? paint.red : paint.yellow;
  const out = [
    `${paint.bold(`${fileName}:${at.line}:${at.column}:`)} ${paint.bold(severity(`${diagnostic.severity} ${diagnostic.code}:`))} ${paint.bold(diagnostic.message)}`,
  ];
  out.push(...codeFrame(lines, start, end, (mark) => paint.bold(severity(mark)), paint.blue));
  for (const related of diagnostic.related ?? []) {
    const where = lines.lineColumn(related.range.start);
    out.push(`  ${fileName}:${where.line}:${where.column}: ${paint.bold(paint.cyan('note:'))} ${related.message}`);
  }
  if (diagnostic.fix) out.push(`  ${paint.bold(paint.green('fix:'))} ${diagnostic.fix.title}`);
  return out.join('\n') + '\n';
}

/**
 * The line holding `start` after its number, and an underline `^~~~` beneath the range:
 *
 *     4 |   h = image |> dense(256, relu)
 *       |                ^~~~~~~~~~~~~~~~
 */
function codeFrame(lines: LineMap, start: number, end: number, mark: (text: string) => string, gutter: (text: string) => string): string[] {
  const { line, character } = lines.position(start);
  const source = lines.lineText(line);
  const from = Math.min(character, source.length);
  const width = Math.max(1, Math.min(end, lines.lineEnd(line)) - lines.lineStart(line) - from);
  // Keep tabs in the padding so the caret lines up under tab-indented source.
  const padding = source.slice(0, from).replace(/[^\t]/g, ' ');
  const number = String(line + 1);
  const blank = ' '.repeat(number.length);
  return [
    `  ${gutter(`${number} |`)}${source === '' ? '' : ` ${source}`}`,
    `  ${gutter(`${blank} |`)} ${padding}${mark(`^${'~'.repeat(width - 1)}`)}`,
  ];
}
