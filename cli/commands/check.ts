import type { Command } from 'commander';
import { PLAIN, renderDiagnostics, type Paint } from '../../diagnostics/render.js';
import { checkSource } from '../../compiler/index.js';
import { EXIT_ERRORS, EXIT_OK } from '../exit-codes.js';
import { jsonReport, type JsonFileReport } from '../format/json-report.js';
import { formatGanSummary, formatSummary } from '../format/summary.js';
import { readText, userError } from '../model-loading.js';
import { errorLine, plural, stderrPaint, type UserErrorLine } from '../terminal.js';
import type { SetExitCode } from './index.js';

interface CheckOptions {
  json?: boolean;
  summary: boolean;
}

/**
 * `nnet check FILE... [--json] [--no-summary]`: every diagnostic of every file (stderr, like every
 * command's errors), then a summary of each model of a file without errors (stdout). Exit 0 when no
 * file has errors (warnings allowed), 1 when one has, 2 for a usage error (no file given: commander
 * reports it). `--json` prints one report on stdout.
 */
export function register(program: Command, setExitCode: SetExitCode): void {
  program
    .command('check')
    .description('check .nnet files: syntax, names, shapes, training settings; print a summary of each model')
    .argument('<files...>', '.nnet files to check')
    .option('--json', 'print diagnostics and summaries as JSON')
    .option('--no-summary', 'print diagnostics only')
    .action((files: string[], options: CheckOptions) => {
      setExitCode(checkFiles(files, options, process.stdout, process.stderr, stderrPaint()));
    });
}

interface Writer {
  write(text: string): unknown;
}

/** Checks each file; summaries go to `out`, diagnostics to `err` (coloured by `paint`). Returns the exit code. */
export function checkFiles(files: readonly string[], options: CheckOptions, out: Writer, err: Writer, paint: Paint = PLAIN): number {
  let failed = false;
  let errors = 0;
  let warnings = 0;
  const reports: Array<JsonFileReport | { file: string; code: string; error: string }> = [];
  for (const file of files) {
    const text = readSource(file);
    if (typeof text !== 'string') {
      failed = true;
      errors += 1;
      if (options.json) reports.push({ file, code: text.error.code ?? '', error: text.error.message });
      else err.write(`${errorLine(text.error, paint)}\n`);
      continue;
    }
    const result = checkSource(text, { path: file });
    const fileErrors = result.diagnostics.filter((d) => d.severity === 'error').length;
    errors += fileErrors;
    warnings += result.diagnostics.length - fileErrors;
    if (fileErrors > 0) failed = true;
    if (options.json) {
      reports.push(jsonReport(file, text, result));
      continue;
    }
    err.write(renderDiagnostics(result.diagnostics, text, file, paint));
    if (fileErrors === 0 && options.summary) {
      out.write(`${file}: ok\n`);
      for (const model of result.models) out.write(`\n${formatSummary(model)}`);
      for (const gan of result.gans) out.write(`\n${formatGanSummary(gan, result.models)}`);
    }
  }
  if (options.json) out.write(`${JSON.stringify({ files: reports, errors, warnings }, null, 2)}\n`);
  else if (errors + warnings > 0) err.write(`\n${countLine(errors, warnings, files.length, paint)}\n`);
  else if (files.length > 1) out.write(`\n${countLine(errors, warnings, files.length, PLAIN)}\n`);
  return failed ? EXIT_ERRORS : EXIT_OK;
}

/** `1 error, 0 warnings in 1 file`, the non-zero counts coloured. */
function countLine(errors: number, warnings: number, files: number, paint: Paint): string {
  const errorText = errors > 0 ? paint.bold(paint.red(plural(errors, 'error'))) : plural(errors, 'error');
  const warningText = warnings > 0 ? paint.bold(paint.yellow(plural(warnings, 'warning'))) : plural(warnings, 'warning');
  return `${errorText}, ${warningText} in ${plural(files, 'file')}`;
}

/** The file's text, or the error that says why it cannot be read (the one every command prints). */
function readSource(file: string): string | { error: UserErrorLine } {
  try {
    return readText(file);
  } catch (error) {
    const line = userError(error);
    if (line === null) throw error;
    return { error: line };
  }
}
