import { Command, CommanderError } from 'commander';
import { registerCommands } from '../../cli/commands/index.js';

export interface RunCliOptions {
  /** Environment variables for the run (undefined removes one); NO_COLOR and FORCE_COLOR are unset unless given. */
  env?: Record<string, string | undefined>;
  /** Whether stderr looks like a terminal (default: no, as in a pipe). */
  stderrIsTTY?: boolean;
}

/**
 * Runs the nnet CLI in process (the same wiring as cli/main.ts) and captures what it prints.
 * Returns the exit code: 0 ok, 1 errors, 2 usage.
 */
export async function runCli(args: string[], options: RunCliOptions = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write;
  const err = process.stderr.write;
  const restoreEnv = setEnv({ NO_COLOR: undefined, FORCE_COLOR: undefined, ...options.env });
  const tty = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
  Object.defineProperty(process.stderr, 'isTTY', { value: options.stderrIsTTY ?? false, configurable: true, writable: true });
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
    if (tty) Object.defineProperty(process.stderr, 'isTTY', tty);
    else delete (process.stderr as { isTTY?: boolean }).isTTY;
    restoreEnv();
  }
  return { code, stdout, stderr };
}

function setEnv(values: Record<string, string | undefined>): () => void {
  const saved = Object.keys(values).map((key) => [key, process.env[key]] as const);
  const apply = (entries: ReadonlyArray<readonly [string, string | undefined]>) => {
    for (const [key, value] of entries) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  apply(Object.entries(values));
  return () => apply(saved);
}
