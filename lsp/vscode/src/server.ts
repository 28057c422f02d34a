import { runLanguageServer } from '../../main.js';

// The server the extension bundles: VS Code's client starts it with `--node-ipc`.
void runLanguageServer(process.argv.includes('--stdio') ? 'stdio' : 'node-ipc');
