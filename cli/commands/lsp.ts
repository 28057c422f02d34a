import type { Command } from 'commander';
import { EXIT_USAGE } from '../exit-codes.js';
import type { SetExitCode } from './index.js';

interface LspOptions {
  stdio?: boolean;
  nodeIpc?: boolean;
}

/**
 * `nnet lsp --stdio` (editors in general) or `nnet lsp --node-ipc` (the VS Code extension).
 * The server is loaded on demand so other commands do not pay for it.
 */
export function register(program: Command, _setExitCode: SetExitCode): void {
  program
    .command('lsp')
    .description('start the nnet language server')
    .option('--stdio', 'talk JSON-RPC over stdin/stdout')
    .option('--node-ipc', 'talk JSON-RPC over the Node IPC channel (when started by the VS Code client)')
    .action(async (options: LspOptions, command: Command) => {
      if (options.nodeIpc && typeof process.send !== 'function') {
        command.error('error: --node-ipc needs a parent process with an IPC channel', { exitCode: EXIT_USAGE });
      }
      const { runLanguageServer } = await import('../../lsp/main.js');
      await runLanguageServer(options.nodeIpc ? 'node-ipc' : 'stdio');
    });
}
