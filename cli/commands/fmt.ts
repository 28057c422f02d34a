import { FileAccessError, writeFileAtomic } from '../../files/guarded-files.js';
import { readText } from '../model-loading.js';
import type { Command } from 'commander';
import { formatNnet, NnetSyntaxError } from '../../grammar/format/index.js';
import { EXIT_ERRORS, EXIT_OK } from '../exit-codes.js';
import type { SetExitCode } from './index.js';

interface FmtOptions {
  check?: boolean;
  write?: boolean;
}

/**
 * `nnet fmt FILE... [--check] [--write]`: prints the formatted files (default), lists the files that
 * would change and exits 1 (`--check`), or rewrites them in place (`--write`). A file with syntax
 * errors is never reformatted: it is reported and the exit code is 1.
 */
export function register(program: Command, setExitCode: SetExitCode): void {
  program
    .command('fmt')
    .description('format .nnet files (the Prettier plugin in grammar/format)')
    .argument('<files...>', '.nnet files to format')
    .option('--check', 'list files that are not formatted and exit 1 if any')
    .option('--write', 'rewrite the files in place')
    .action(async (files: string[], options: FmtOptions) => {
      setExitCode(await formatFiles(files, options));
    });
}

async function formatFiles(files: string[], options: FmtOptions): Promise<number> {
  let exitCode = EXIT_OK;
  for (const file of files) {
    const outcome = await formatOne(file);
    if ('error' in outcome) {
      process.stderr.write(`${outcome.error}\n`);
      exitCode = EXIT_ERRORS;
      continue;
    }
    const changed = outcome.formatted !== outcome.original;
    if (options.check) {
      if (changed) {
        process.stdout.write(`${file}\n`);
        exitCode = EXIT_ERRORS;
      }
    } else if (options.write) {
      if (changed) {
        writeFileAtomic(file, outcome.formatted);
        process.stderr.write(`formatted ${file}\n`);
      }
    } else {
      process.stdout.write(outcome.formatted);
    }
  }
  return exitCode;
}

type Outcome = { original: string; formatted: string } | { error: string };

async function formatOne(file: string): Promise<Outcome> {
  let original: string;
  try {
    original = readText(file);
  } catch (err) {
    if (err instanceof FileAccessError) return { error: err.format() };
    throw err;
  }
  try {
    return { original, formatted: await formatNnet(original) };
  } catch (err) {
    if (err instanceof NnetSyntaxError) {
      const first = err.diagnostics[0]!;
      const more = err.diagnostics.length > 1 ? ` (${err.diagnostics.length - 1} more; run nnet check)` : '';
      return {
        error: `${file}:${err.line}:${err.column}: error ${first.code}: ${first.message} — not formatted${more}`,
      };
    }
    return { error: `${file}: ${(err as Error).message}` };
  }
}
