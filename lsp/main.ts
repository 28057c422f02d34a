import {
  createConnection,
  IPCMessageReader,
  IPCMessageWriter,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver/node';
import { loadCatalog } from './op-catalog.js';
import { startServer } from './server.js';
import { countFusedGroups } from './fused-groups.js';

export type Transport = 'stdio' | 'node-ipc';

/** Starts the language server on the given transport; the process lives until the client exits it. */
export async function runLanguageServer(transport: Transport): Promise<void> {
  const connection =
    transport === 'node-ipc'
      ? createConnection(new IPCMessageReader(process), new IPCMessageWriter(process))
      : createConnection(new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout));
  startServer(connection, { catalog: loadCatalog(), countFusedGroups });
}
