#!/usr/bin/env node
import './enable-relaxed-simd.js';
import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands/index.js';
import { EXIT_USAGE } from './exit-codes.js';
import { diagnosticMessage } from '../diagnostics/make.js';
import { errorLine, stderrPaint } from './terminal.js';
import { NNET_VERSION } from './version.js';

/**
 * The `nnet` command line. Each command lives in cli/commands/<name>.ts and exports a
 * `register(program)` function; this file only wires them and maps usage errors to exit code 2.
 */
export async function main(argv: string[]): Promise<number> {
  const program = new Command();
  program
    .name('nnet')
    .description('A declarative language for neural networks: check, compile, run and train .nnet models')
    .version(NNET_VERSION)
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(`${stderrPaint().red(text.trimEnd())}\n`) })
    .showHelpAfterError('(run nnet --help for usage)');
  let exitCode = 0;
  registerCommands(program, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end with exit code 0; anything else is a usage error.
      return err.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    throw err;
  }
  return exitCode;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // A bug, not a user error: say so plainly, without a stack unless asked.
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`${errorLine({ location: 'nnet', code: 'NN5099', message: diagnosticMessage('NN5099', [message]) }, stderrPaint())}\n`);
    if (process.env.NNET_DEBUG) process.stderr.write(`${(err as Error)?.stack ?? ''}\n`);
    process.exitCode = 70;
  },
);
