import { workspace, type ExtensionContext } from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

/**
 * Starts the nnet language server for `.nnet` documents: the server bundled with the extension
 * (dist/server.js, over Node IPC), or `nnet lsp --stdio` from the `nnet.server.path` setting.
 */
export async function activate(context: ExtensionContext): Promise<void> {
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
  };
  client = new LanguageClient('nnet', 'nnet language server', serverOptions, clientOptions);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
