import { Command, CommanderError } from 'commander';
import { registerCommands } from '../../cli/commands/index.js';

/**
 * Runs the nnet CLI in process (the same wiring as cli/main.ts) and captures what it prints.
 * Returns the exit code: 0 ok, 1 errors, 2 usage.
 */
export async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write;
  const err = process.stderr.write;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  let code = 0;
  try {
    const program = new Command().name('nnet').exitOverride();
    program.configureOutput({ writeErr: (s) => (stderr += s), writeOut: (s) => (stdout += s) });
    registerCommands(program, (c) => (code = c));
    await program.parseAsync(args, { from: 'user' });
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    code = e.exitCode === 0 ? 0 : 2;
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
  return { code, stdout, stderr };
}
