import { commands, window, workspace, type ExtensionContext, type LogOutputChannel } from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

/**
 * Starts the nnet language server for `.nnet` documents: the server bundled with the extension
 * (dist/server.js, over Node IPC), or `nnet lsp --stdio` from the `nnet.server.path` setting — a
 * machine-scoped setting that VS Code does not read from an untrusted workspace. Contributes
 * "nnet: Restart Server" (which also picks up a changed `nnet.server.path`) and "nnet: Show Output".
 */
export async function activate(context: ExtensionContext): Promise<void> {
  // One channel for the extension's life, so its log survives a restart.
  const output = window.createOutputChannel('nnet', { log: true });
  context.subscriptions.push(
    output,
    commands.registerCommand('nnet.restartServer', () => restart(context, output)),
    commands.registerCommand('nnet.showOutput', () => output.show(true)),
    workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('nnet.server.path')) void restart(context, output);
    }),
  );
  await start(context, output);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

async function start(context: ExtensionContext, output: LogOutputChannel): Promise<void> {
  const configuredPath = workspace.getConfiguration('nnet').get<string>('server.path', '').trim();
  const bundled = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = configuredPath
    ? { command: configuredPath, args: ['lsp'], transport: TransportKind.stdio }
    : {
        run: { module: bundled, transport: TransportKind.ipc },
        debug: { module: bundled, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
      };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'nnet' },
      { scheme: 'untitled', language: 'nnet' },
    ],
    outputChannel: output,
  };
  output.info(configuredPath ? `starting '${configuredPath} lsp --stdio' (nnet.server.path)` : 'starting the bundled server');
  client = new LanguageClient('nnet', 'nnet language server', serverOptions, clientOptions);
  await client.start();
}

async function restart(context: ExtensionContext, output: LogOutputChannel): Promise<void> {
  const previous = client;
  client = undefined;
  try {
    await previous?.dispose();
  } catch (err) {
    output.warn(`stopping the server: ${String(err)}`);
  }
  try {
    await start(context, output);
  } catch (err) {
    output.error(`the server did not start: ${String(err)}`);
    void window.showErrorMessage('nnet: the language server did not start; see nnet: Show Output.');
  }
}
