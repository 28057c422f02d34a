import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnection } from 'vscode-languageserver/node';
import {
  CodeLensRequest,
  createProtocolConnection,
  DidOpenTextDocumentNotification,
  DocumentSymbolRequest,
  ErrorCodes,
  HoverRequest,
  InitializeRequest,
  ResponseError,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { countFusedGroups } from '../../lsp/fused-groups.js';
import { loadCatalog } from '../../lsp/op-catalog.js';
import { startServer } from '../../lsp/server.js';
import { newTally, summary, withinTime } from './tally.js';

/**
 * The standing hostile corpus, language-server half, in process over a pair of streams: requests
 * with missing or mistyped params are answered with InvalidParams (-32602), never an internal
 * error; a document that loads `/dev/zero` or declares a 9e8-parameter layer gets its code lens
 * without the server reading the device or allocating the weights.
 */
const tally = newTally();
let client: ProtocolConnection;
const uri = 'file:///hostile.nnet';

beforeAll(async () => {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const server = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  startServer(server, { catalog: loadCatalog(), countFusedGroups, debounceMs: 0 });
  client = createProtocolConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  client.listen();
  await client.sendRequest(InitializeRequest.type, { processId: null, rootUri: null, capabilities: {} });
});

afterAll(() => {
  client?.dispose();
  console.log(summary('language server', tally));
});

async function errorOf(method: string, params: unknown): Promise<number | 'none'> {
  tally.inputs++;
  try {
    await withinTime(client.sendRequest(method, params), 10_000);
    return 'none';
  } catch (error) {
    if ((error as Error).message === 'HANG') tally.hangs.push(method);
    if (error instanceof ResponseError) {
      if (error.code === ErrorCodes.InternalError) tally.crashes.push(`${method} ${JSON.stringify(params)}`);
      return error.code;
    }
    throw error;
  }
}

describe('hostile corpus: the language server', () => {
  it.each([
    ['textDocument/hover', undefined],
    ['textDocument/hover', {}],
    ['textDocument/hover', { textDocument: {} }],
    ['textDocument/hover', { textDocument: { uri } }],
    ['textDocument/hover', { textDocument: { uri }, position: { line: -1, character: 0 } }],
    ['textDocument/completion', { textDocument: { uri }, position: 'here' }],
    ['textDocument/rename', { textDocument: { uri }, position: { line: 0, character: 0 } }],
    ['textDocument/references', { textDocument: { uri }, position: { line: 0, character: 0 } }],
    ['textDocument/codeAction', { textDocument: { uri }, range: null, context: {} }],
    ['textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 } } }],
    ['textDocument/selectionRange', { textDocument: { uri }, positions: [null] }],
    ['textDocument/formatting', { textDocument: 42 }],
    ['textDocument/rangeFormatting', { textDocument: { uri } }],
    ['textDocument/codeLens', { textDocument: null }],
    ['workspace/symbol', {}],
  ] as const)('%s with params %j: InvalidParams', async (method, params) => {
    expect(await errorOf(method, params)).toBe(ErrorCodes.InvalidParams);
  });

  it("a code lens for load('/dev/zero') and a 9e8-parameter layer answers at once, reading and allocating nothing", async () => {
    const text = [
      'model Zero {',
      '  input x: [batch, 3]',
      '  y = dense(x, 2, weight: load("/dev/zero"))',
      '  output y',
      '}',
      'model Huge {',
      '  input x: [batch, 30000]',
      '  y = dense(x, 30000, relu)',
      '  output y',
      '}',
      '',
    ].join('\n');
    await client.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'nnet', version: 1, text } });
    tally.inputs++;
    const before = process.memoryUsage().rss;
    const lenses = await withinTime(client.sendRequest(CodeLensRequest.type, { textDocument: { uri } }), 10_000);
    expect(process.memoryUsage().rss - before).toBeLessThan(512 * 1024 * 1024);
    expect(Array.isArray(lenses)).toBe(true);
    expect(JSON.stringify(lenses)).toMatch(/fused/);
    tally.inputs++;
    expect(await withinTime(client.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 2, character: 3 } }), 10_000)).not.toBeUndefined();
  });

  it('a document of 10,000 models is answered in time (each model used to copy every top-level name)', async () => {
    const many = 'file:///many.nnet';
    const text = Array.from({ length: 10_000 }, (_, i) => `model M${i} {\n  input x: [batch, 3]\n  y = dense(x, 2)\n  output y\n}\n`).join('');
    await client.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: many, languageId: 'nnet', version: 1, text } });
    tally.inputs++;
    const started = performance.now();
    const symbols = await withinTime(client.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: many } }), 30_000);
    expect(symbols).toHaveLength(10_000);
    // About a second on a free core; the margin is for 2 shared ones.
    expect(performance.now() - started).toBeLessThan(20_000);
  });

  it('no internal errors, no hangs', () => {
    expect({ crashes: tally.crashes, hangs: tally.hangs }).toEqual({ crashes: [], hangs: [] });
  });
});
