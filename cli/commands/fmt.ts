import { writeFileAtomic } from '../../files/guarded-files.js';
import type { Command } from 'commander';
import { renderDiagnostics } from '../../diagnostics/render.js';
import { formatNnet, NnetSyntaxError } from '../../grammar/format/index.js';
import { EXIT_ERRORS, EXIT_OK } from '../exit-codes.js';
import { readText, userError } from '../model-loading.js';
import { errorLine, plural, stderrPaint } from '../terminal.js';
import type { SetExitCode } from './index.js';

interface FmtOptions {
  check?: boolean;
  write?: boolean;
}

/**
 * `nnet fmt FILE... [--check] [--write]`: prints the formatted files (default), lists the files that
 * would change and exits 1 (`--check`), or rewrites them in place (`--write`, saying `formatted
 * FILE` on stderr). Both flags rewrite and report, and exit 1 when a file had to change (a
 * pre-commit hook fails and leaves the fix). A file with syntax errors is never reformatted: its
 * errors are printed like `nnet check`'s and the exit code is 1.
 */
export function register(program: Command, setExitCode: SetExitCode): void {
  program
    .command('fmt')
    .description('format .nnet files (the Prettier plugin in grammar/format)')
    .argument('<files...>', '.nnet files to format')
    .option('--check', 'list files that are not formatted and exit 1 if any')
    .option('--write', 'rewrite the files in place (with --check: rewrite, report, and exit 1 if any changed)')
    .action(async (files: string[], options: FmtOptions) => {
      setExitCode(await formatFiles(files, options));
    });
}

async function formatFiles(files: string[], options: FmtOptions): Promise<number> {
  let exitCode = EXIT_OK;
  for (const file of files) {
    const outcome = await formatOne(file);
    if ('error' in outcome) {
      process.stderr.write(outcome.error);
      exitCode = EXIT_ERRORS;
      continue;
    }
    const changed = outcome.formatted !== outcome.original;
    if (options.write) {
      if (changed) {
        writeFileAtomic(file, outcome.formatted);
        process.stderr.write(`formatted ${file}\n`);
        if (options.check) exitCode = EXIT_ERRORS;
      }
    } else if (options.check) {
      if (changed) {
        process.stdout.write(`${file}\n`);
        exitCode = EXIT_ERRORS;
      }
    } else {
      process.stdout.write(outcome.formatted);
    }
  }
  return exitCode;
}

/** The file and its formatted text, or what to print on stderr instead (ending with a newline). */
type Outcome = { original: string; formatted: string } | { error: string };

async function formatOne(file: string): Promise<Outcome> {
  let original: string;
  try {
    original = readText(file);
  } catch (err) {
    const line = userError(err);
    if (line === null) throw err;
    return { error: `${errorLine(line, stderrPaint())}\n` };
  }
  try {
    return { original, formatted: await formatNnet(original) };
  } catch (err) {
    if (err instanceof NnetSyntaxError) {
      const frames = renderDiagnostics(err.diagnostics, original, file, stderrPaint());
      return { error: `${frames}${plural(err.diagnostics.length, 'syntax error')} in ${file}; not formatted\n` };
    }
    throw err;
  }
}
