import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CodeLensRequest,
  createProtocolConnection,
  DidOpenTextDocumentNotification,
  HoverRequest,
  InitializeRequest,
  InitializedNotification,
  PublishDiagnosticsNotification,
  StreamMessageReader,
  StreamMessageWriter,
  type MarkupContent,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';

/**
 * Builds the .vsix as a user would (`npm run package:vscode`: the esbuild bundles, then vsce without
 * --skip-license; --allow-missing-repository stays until the project has a public address to name) and inspects what it ships: the manifest's commands,
 * workspace-trust capabilities and machine-scoped server path, the icon, the licence, minified
 * bundles under their caps and no source maps; then runs the shipped, minified server over stdio.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const KiB = 1024;
/** Caps on the shipped bundles (minified on 2026-12-03: 428 KiB and 673 KiB; unminified they were 946 KiB and 1.25 MiB). */
const CAPS = { 'extension/dist/extension.js': 600 * KiB, 'extension/dist/server.js': 1024 * KiB };

/** The entries of a zip file (stored or deflated), by name. */
function unzip(zip: Buffer): Map<string, Buffer> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(dataStart, dataStart + size);
    entries.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

interface Manifest {
  license: string;
  icon: string;
  capabilities: { untrustedWorkspaces: { supported: string | boolean; restrictedConfigurations?: string[] } };
  contributes: {
    commands: Array<{ command: string; title: string; category: string }>;
    configuration: { properties: Record<string, { scope?: string }> };
  };
  scripts?: Record<string, string>;
}

describe('the VS Code extension package (npm run package:vscode)', () => {
  let files: Map<string, Buffer>;
  let manifest: Manifest;

  beforeAll(() => {
    const run = spawnSync('npm', ['run', 'package:vscode'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(`${run.stdout}\n${run.stderr}`).not.toMatch(/WARNING/);
    files = unzip(readFileSync(join(root, 'lsp/vscode/nnet.vsix')));
    manifest = JSON.parse(files.get('extension/package.json')!.toString('utf8')) as Manifest;
  });

  it('type-checks (esbuild bundles without checking)', () => {
    const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'lsp/vscode/tsconfig.json'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  });

  it('contributes Restart Server and Show Output', () => {
    expect(manifest.contributes.commands).toEqual([
      { command: 'nnet.restartServer', title: 'Restart Server', category: 'nnet' },
      { command: 'nnet.showOutput', title: 'Show Output', category: 'nnet' },
    ]);
    const extension = files.get('extension/dist/extension.js')!.toString('utf8');
    for (const { command } of manifest.contributes.commands) expect(extension).toContain(`"${command}"`);
  });

  it('is limited in an untrusted workspace, where nnet.server.path is not read from the workspace', () => {
    expect(manifest.capabilities.untrustedWorkspaces).toMatchObject({ supported: 'limited', restrictedConfigurations: ['nnet.server.path'] });
    expect(manifest.contributes.configuration.properties['nnet.server.path']!.scope).toBe('machine');
  });

  it('ships an icon of 128×128 and the MIT licence', () => {
    const icon = files.get(`extension/${manifest.icon}`)!;
    expect(icon.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect([icon.readUInt32BE(16), icon.readUInt32BE(20)]).toEqual([128, 128]);
    expect(files.get('extension.vsixmanifest')!.toString('utf8')).toContain('Microsoft.VisualStudio.Services.Icons.Default');
    expect(manifest.license).toBe('MIT');
    expect(files.get('extension/LICENSE.txt')!.toString('utf8')).toMatch(/^MIT License/);
  });

  it('ships minified bundles under their caps and no source maps or sources', () => {
    for (const [name, cap] of Object.entries(CAPS)) {
      const bundle = files.get(name)!;
      expect(bundle.length, name).toBeLessThan(cap);
      // Minified: a line per 400 bytes at most (unminified: one per ~30; what lines are left are in
      // template strings: WGSL, documentation).
      expect(bundle.toString('utf8').split('\n').length, name).toBeLessThan(bundle.length / 400);
    }
    const names = [...files.keys()];
    expect(names.filter((n) => n.endsWith('.map') || n.includes('/src/') || n.includes('node_modules'))).toEqual([]);
  });

  describe('the shipped server', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'nnet-vsix-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('answers over stdio though minified: diagnostics, hover, code lens', async () => {
      const server = join(dir, 'server.js');
      writeFileSync(server, files.get('extension/dist/server.js')!);
      const child = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
      const published = new Promise<PublishDiagnosticsParams>((resolve) =>
        connection.onNotification(PublishDiagnosticsNotification.type, resolve),
      );
      connection.listen();
      try {
        const text = readFileSync(join(root, 'test/lsp/fixtures/showcase.nnet'), 'utf8').replace('|> flatten ', '');
        const uri = pathToFileURL(join(dir, 'showcase.nnet')).href;
        await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: null });
        await connection.sendNotification(InitializedNotification.type, {});
        await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'nnet', version: 1, text } });
        const diagnostics = await published;
        expect(diagnostics.diagnostics.map((d) => d.code)).toContain('NN2003');
        const line = text.split('\n').findIndex((l) => l.includes('dense(width'));
        const hover = await connection.sendRequest(HoverRequest.type, {
          textDocument: { uri },
          position: { line, character: text.split('\n')[line]!.indexOf('dropout') + 1 },
        });
        expect((hover!.contents as MarkupContent).value).toContain('dropout(');
        expect(await connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })).not.toBeNull();
        expect(stderr).toBe('');
      } finally {
        connection.dispose();
        child.kill();
      }
    });
  });
});
