import { FileAccessError } from '../../files/guarded-files.js';
import type { Command } from 'commander';
import { renderDiagnostics } from '../../diagnostics/render.js';
import { checkSource } from '../../compiler/index.js';
import { EXIT_ERRORS, EXIT_OK } from '../exit-codes.js';
import { readText } from '../model-loading.js';
import { jsonReport, type JsonFileReport } from '../format/json-report.js';
import { formatGanSummary, formatSummary } from '../format/summary.js';
import type { SetExitCode } from './index.js';

interface CheckOptions {
  json?: boolean;
  summary: boolean;
}

/**
 * `nnet check FILE... [--json] [--no-summary]`: every diagnostic of every file, then a summary of
 * each model of a file without errors. Exit 0 when no file has errors (warnings allowed), 1 when one
 * has, 2 for a usage error (no file given: commander reports it).
 */
export function register(program: Command, setExitCode: SetExitCode): void {
  program
    .command('check')
    .description('check .nnet files: syntax, names, shapes, training settings; print a summary of each model')
    .argument('<files...>', '.nnet files to check')
    .option('--json', 'print diagnostics and summaries as JSON')
    .option('--no-summary', 'print diagnostics only')
    .action((files: string[], options: CheckOptions) => {
      setExitCode(checkFiles(files, options, process.stdout, process.stderr));
    });
}

interface Writer {
  write(text: string): unknown;
}

/** Checks each file and writes the report; returns the exit code. */
export function checkFiles(files: readonly string[], options: CheckOptions, out: Writer, err: Writer): number {
  let failed = false;
  let errors = 0;
  let warnings = 0;
  const reports: Array<JsonFileReport | { file: string; code: string; error: string }> = [];
  for (const file of files) {
    const text = readSource(file);
    if (typeof text !== 'string') {
      failed = true;
      if (options.json) reports.push({ file, code: text.code, error: text.error });
      else err.write(`${text.line}\n`);
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
    out.write(renderDiagnostics(result.diagnostics, text, file));
    if (fileErrors === 0 && options.summary) {
      out.write(`${file}: ok\n`);
      for (const model of result.models) out.write(`\n${formatSummary(model)}`);
      for (const gan of result.gans) out.write(`\n${formatGanSummary(gan, result.models)}`);
    }
  }
  if (options.json) out.write(`${JSON.stringify({ files: reports, errors, warnings }, null, 2)}\n`);
  else if (errors + warnings > 0 || files.length > 1) out.write(`\n${countLine(errors, warnings, files.length)}\n`);
  return failed ? EXIT_ERRORS : EXIT_OK;
}

function countLine(errors: number, warnings: number, files: number): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(files, 'file')}`;
}

/** The file's text, or why it cannot be read (NN4005), in words and as the one line to print. */
function readSource(file: string): string | { code: string; error: string; line: string } {
  try {
    return readText(file);
  } catch (error) {
    if (!(error instanceof FileAccessError)) throw error;
    return { code: error.code, error: error.message, line: error.format() };
  }
}
