import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createProtocolConnection,
  DidOpenTextDocumentNotification,
  DocumentFormattingRequest,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  InlayHintRequest,
  CompletionRequest,
  PublishDiagnosticsNotification,
  RenameRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  DidChangeTextDocumentNotification,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type CompletionItem,
  type CompletionList,
  type MarkupContent,
} from 'vscode-languageserver-protocol/node';
import { buildCli } from './build-server.js';

const fixture = fileURLToPath(new URL('./fixtures/showcase.nnet', import.meta.url));
const uri = pathToFileURL(fixture).href;
const text = readFileSync(fixture, 'utf8');

/** The position of the `nth` occurrence of `needle` (plus `delta` characters). */
function positionOf(needle: string, delta = 0, nth = 0): { line: number; character: number } {
  let offset = -1;
  for (let i = 0; i <= nth; i++) offset = text.indexOf(needle, offset + 1);
  const before = text.slice(0, offset + delta);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - before.lastIndexOf('\n') - 1 };
}

describe('language server over stdio (nnet lsp --stdio)', () => {
  let cli: string;
  let child: ChildProcess;
  let connection: ProtocolConnection;
  const diagnostics: PublishDiagnosticsParams[] = [];
  let stderr = '';

  beforeAll(async () => {
    cli = await buildCli();
    child = spawn(process.execPath, [cli, 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    connection.onNotification(PublishDiagnosticsNotification.method, (p: PublishDiagnosticsParams) => {
      diagnostics.push(p);
    });
    connection.listen();
  });

  afterAll(() => {
    connection?.dispose();
    if (child && child.exitCode === null) child.kill();
    rmSync(cli, { force: true });
  });

  const nextDiagnostics = async (version: number): Promise<PublishDiagnosticsParams> => {
    for (let i = 0; i < 200; i++) {
      const found = diagnostics.find((d) => d.uri === uri && d.version === version);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`no diagnostics for version ${version}; server stderr: ${stderr}`);
  };

  it('runs a whole session: initialize → didOpen → diagnostics → hover → inlay hints → completion → rename → formatting → shutdown', async () => {
    const init = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      capabilities: {},
      workspaceFolders: null,
    });
    expect(init.capabilities.hoverProvider).toBe(true);
    expect(init.capabilities.inlayHintProvider).toBe(true);
    await connection.sendNotification(InitializedNotification.type, {});

    await connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'nnet', version: 1, text },
    });
    expect((await nextDiagnostics(1)).diagnostics).toEqual([]);

    const hover = await connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: positionOf('dense(width', 1) });
    const hoverText = (hover!.contents as MarkupContent).value;
    expect(hoverText).toContain('dense(');
    expect(hoverText).toContain('→ [batch, 256]');

    const hints = await connection.sendRequest(InlayHintRequest.type, {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 30, character: 0 } },
    });
    expect(hints!.map((h) => h.label)).toEqual(expect.arrayContaining(['→ [batch, 784]', '→ [batch, 256]', '→ [batch, 10]']));

    const completion = (await connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri },
      position: positionOf('|> flatten', 3),
    })) as CompletionItem[] | CompletionList;
    const labels = (Array.isArray(completion) ? completion : completion.items).map((i) => i.label);
    expect(labels).toEqual(expect.arrayContaining(['dense', 'flatten', 'residual']));

    const rename = await connection.sendRequest(RenameRequest.type, {
      textDocument: { uri },
      position: positionOf('logits', 1),
      newName: 'scores',
    });
    expect(rename!.changes![uri]!.length).toBe(3);

    // An edit that breaks the shapes: the server re-checks and reports it.
    const h = positionOf('dense(x, units, act)', 'dense('.length);
    await connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: h, end: { line: h.line, character: h.character + 1 } }, text: 'nothing' }],
    });
    const broken = await nextDiagnostics(2);
    expect(broken.diagnostics.length).toBeGreaterThan(0);
    expect(broken.diagnostics[0]!.code).toMatch(/^NN\d{4}$/);
    await connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 3 },
      contentChanges: [{ text: text.replace('model Digits {', 'model Digits {   ').replace('    loss', '\tloss') }],
    });

    // Canonical whatever the client asks for (Neovim sends its tab settings: 8, tabs).
    const edits = await connection.sendRequest(DocumentFormattingRequest.type, {
      textDocument: { uri },
      options: { tabSize: 8, insertSpaces: false },
    });
    expect(edits).toEqual([
      { range: { start: { line: 10, character: 0 }, end: { line: 11, character: 0 } }, newText: 'model Digits {\n' },
      { range: { start: { line: 17, character: 0 }, end: { line: 18, character: 0 } }, newText: '    loss cross_entropy(logits, label)\n' },
    ]);

    await connection.sendRequest(ShutdownRequest.type);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await connection.sendNotification(ExitNotification.type);
    expect(await exited).toBe(0);
    expect(stderr).toBe('');
  });
});
