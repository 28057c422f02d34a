import type { Paint } from '../../diagnostics/render.js';
import type { VerifyResult } from '../../runtime/verify/verify.js';
import { plural } from '../terminal.js';

/**
 * `nnet verify`'s table: one row per layer in execution order with its place in the source, the
 * largest absolute and relative difference between the target and the CPU, and whether it is within
 * the tolerance; the first layer past it is marked. Then one line saying what it all means.
 *
 *   layer  op     source               max abs   max rel
 *   h      dense  examples/seed.nnet:5:7   1.2e-8   2.0e-8  ok
 */
export function formatVerifyTable(result: VerifyResult, file: string | null, paint: Paint): string {
  const header = ['layer', 'op', 'source', 'max abs', 'max rel', ''];
  const rows = result.layers.map((l, i) => {
    const source = place(file, l.line, l.column) || '-';
    const status = l.diff === null ? 'not compared' : l.passed ? 'ok' : i === result.firstFailure ? 'FAIL  <- first past the tolerance' : 'FAIL';
    return [l.layer, l.op, source, l.diff ? number(l.diff.maxAbs) : '-', l.diff ? number(l.diff.maxRel) : '-', status];
  });
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const numeric = new Set([3, 4]);
  const line = (cells: string[]): string =>
    cells
      .map((cell, c) => (c === cells.length - 1 ? cell : numeric.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  const colour = (text: string, i: number): string => {
    const l = result.layers[i]!;
    return l.diff === null ? paint.yellow(text) : l.passed ? text : paint.red(i === result.firstFailure ? paint.bold(text) : text);
  };
  const body = rows.map((r, i) => colour(line(r), i));
  return [paint.bold(line(header)), ...body, summary(result, file)].join('\n');
}

/**
 * `model.nnet:5:7`; a saved plan records lines but not its source file's name: `line 5:7`.
 */
function place(file: string | null, line: number, column: number): string {
  if (line === 0) return file ?? '';
  return file !== null ? `${file}:${line}:${column}` : `line ${line}:${column}`;
}

function summary(result: VerifyResult, file: string | null): string {
  const compared = result.layers.filter((l) => l.diff !== null);
  const failed = compared.filter((l) => !l.passed);
  const skipped = result.layers.length - compared.length;
  const notCompared = skipped > 0 ? `; ${plural(skipped, 'layer')} not compared (the target does not expose ${skipped === 1 ? 'its values' : 'their values'})` : '';
  if (failed.length === 0) return `${plural(compared.length, 'layer')} within the tolerance ${result.tolerance.toExponential()}${notCompared}`;
  const first = result.layers[result.firstFailure]!;
  const where = place(file, first.line, first.column);
  const at = where ? ` at ${where}` : '';
  return `${failed.length} of ${plural(compared.length, 'layer')} past the tolerance ${result.tolerance.toExponential()}; the first is ${first.op} '${first.layer}'${at}${notCompared}`;
}

/** 3 significant digits in exponent form (`1.2e-7`), `0` for an exact match, `inf` for no match at all. */
function number(value: number): string {
  if (value === 0) return '0';
  if (!Number.isFinite(value)) return 'inf';
  return value.toExponential(1);
}
