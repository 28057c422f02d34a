import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { DocumentStore } from '../../lsp/documents.js';
import { loadCatalog } from '../../lsp/op-catalog.js';
import { codeActions } from '../../lsp/providers/code-actions.js';
import { completion } from '../../lsp/providers/completion.js';
import { toLspDiagnostics } from '../../lsp/providers/diagnostics.js';
import { documentSymbols } from '../../lsp/providers/document-symbols.js';
import { hover } from '../../lsp/providers/hover.js';
import { inlayHints } from '../../lsp/providers/inlay-hints.js';
import { semanticTokens } from '../../lsp/providers/semantic-tokens.js';
import { foldingRanges, selectionRanges } from '../../lsp/providers/structure.js';
import { signatureHelp } from '../../lsp/providers/signature-help.js';
import { mulberry32 } from '../../runtime/plan/random.js';
import { sampleTexts } from './corpus.js';

setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;

const EDITS = 10_000;
const MAX_LENGTH = 6_000;
const SNIPPETS = ['|> ', 'dense(', ')', '(', ']', '[', '{', '}', ',', ' relu', '\n', '// c\n', '/*', '"', 'x = ', 'train {', 'model ', '1e-3', ':'];

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe('fuzz: 10,000 random edits', () => {
  it('never crashes the document store or a provider, and memory stays flat', async () => {
    const samples = sampleTexts();
    const next = mulberry32(20261123); // a failing run replays from this seed
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
    const catalog = loadCatalog();
    const store = new DocumentStore({ debounceMs: 1e9 });
    const uri = 'file:///fuzz.nnet';
    let version = 1;
    store.open(uri, version, pick(samples));
    let heapAtWarmup = 0;

    for (let edit = 1; edit <= EDITS; edit++) {
      const document = store.document(uri)!;
      const text = document.getText();
      const start = Math.floor(next() * (text.length + 1));
      const roll = next();
      let change: TextDocumentContentChangeEvent;
      if (text.length > MAX_LENGTH) {
        change = { text: pick(samples) }; // keep the document editor-sized
      } else if (roll < 0.4) {
        const end = Math.min(text.length, start + Math.floor(next() * 12));
        change = { range: { start: document.positionAt(start), end: document.positionAt(end) }, text: '' };
      } else if (roll < 0.85) {
        change = { range: { start: document.positionAt(start), end: document.positionAt(start) }, text: pick(SNIPPETS) };
      } else {
        const source = pick(samples);
        const from = Math.floor(next() * source.length);
        const paste = source.slice(from, from + Math.floor(next() * 200));
        change = { range: { start: document.positionAt(start), end: document.positionAt(start) }, text: paste };
      }
      store.change(uri, ++version, [change]);

      if (edit % 5 === 0) {
        const { document: current, result } = store.analysis(uri)!;
        const ctx = { document: current, result, catalog };
        const offset = Math.floor(next() * (current.getText().length + 1));
        const position = current.positionAt(offset);
        const whole = { start: current.positionAt(0), end: current.positionAt(current.getText().length) };
        for (const d of toLspDiagnostics(current, result)) {
          expect(current.offsetAt(d.range.start)).toBeLessThanOrEqual(current.offsetAt(d.range.end));
        }
        hover(ctx, position);
        completion(ctx, position);
        signatureHelp(ctx, position);
        inlayHints(ctx, whole);
        if (edit % 25 === 0) {
          semanticTokens(ctx);
          documentSymbols(ctx);
          foldingRanges(ctx);
          selectionRanges(ctx, [position]);
          await codeActions(ctx, { start: position, end: current.positionAt(Math.min(offset + 80, current.getText().length)) });
        }
      }
      if (edit === 2_000) heapAtWarmup = heapAfterGc();
    }
    const growth = heapAfterGc() - heapAtWarmup;
    store.dispose();
    // Flat: what 8,000 more edits leave behind is noise, not one retained check per version.
    expect(growth).toBeLessThan(8 * 1024 * 1024);
  });
});
