import {
  CodeActionKind,
  ErrorCodes,
  ResponseError,
  TextDocumentSyncKind,
  type Connection,
  type InitializeResult,
  type ServerCapabilities,
} from 'vscode-languageserver';
import type { Catalog } from './catalog.js';
import { DocumentStore } from './documents.js';
import { checkParams, type ParamField } from './params.js';
import type { ProviderContext } from './providers/context.js';
import { codeActions } from './providers/code-actions.js';
import { codeLenses, type FusedGroupCounter } from './providers/code-lens.js';
import { completion } from './providers/completion.js';
import { toLspDiagnostics } from './providers/diagnostics.js';
import { documentSymbols, workspaceSymbols } from './providers/document-symbols.js';
import { formatDocument, formatRange } from './providers/formatting.js';
import { hover } from './providers/hover.js';
import { inlayHints } from './providers/inlay-hints.js';
import { definition, highlights, references } from './providers/navigation.js';
import { prepareRename, rename } from './providers/rename.js';
import { SEMANTIC_TOKENS_LEGEND, semanticTokens } from './providers/semantic-tokens.js';
import { signatureHelp } from './providers/signature-help.js';
import { foldingRanges, selectionRanges } from './providers/structure.js';

export interface ServerOptions {
  catalog: Catalog;
  /** Re-check delay after an edit (default 150 ms). */
  debounceMs?: number;
  /** Fused kernel groups per model for the code lens; omitted when the back end is not available. */
  countFusedGroups?: FusedGroupCounter;
}

const CAPABILITIES: ServerCapabilities = {
  textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
  hoverProvider: true,
  completionProvider: { triggerCharacters: ['>', '(', ',', ':', '['] },
  signatureHelpProvider: { triggerCharacters: ['(', ','], retriggerCharacters: [':'] },
  definitionProvider: true,
  referencesProvider: true,
  renameProvider: { prepareProvider: true },
  documentHighlightProvider: true,
  documentSymbolProvider: true,
  workspaceSymbolProvider: true,
  codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorExtract] },
  semanticTokensProvider: { legend: SEMANTIC_TOKENS_LEGEND, full: true },
  foldingRangeProvider: true,
  selectionRangeProvider: true,
  codeLensProvider: { resolveProvider: false },
  documentFormattingProvider: true,
  documentRangeFormattingProvider: true,
  inlayHintProvider: true,
};

/**
 * Wires the LSP methods to the providers. Every handler answers from the document store's
 * analysis of the current version; a provider that throws is logged and answers "nothing", so
 * one bug never takes the server down.
 */
export function startServer(connection: Connection, options: ServerOptions): DocumentStore {
  const store = new DocumentStore({
    debounceMs: options.debounceMs,
    onChecked: ({ document, result }) => {
      void connection.sendDiagnostics({
        uri: document.uri,
        version: document.version,
        diagnostics: toLspDiagnostics(document, result),
      });
    },
  });
  const context = (uri: string): ProviderContext | undefined => {
    const analysis = store.analysis(uri);
    return analysis && { ...analysis, catalog: options.catalog };
  };
  function guarded<P extends { textDocument: { uri: string } }, R>(
    name: string,
    fallback: R,
    run: (ctx: ProviderContext, params: P) => R,
    fields: readonly ParamField[] = [],
  ): (params: P) => R {
    const failed = (err: unknown): R => {
      if (err instanceof ResponseError) throw err;
      connection.console.error(`nnet: ${name} failed: ${(err as Error)?.stack ?? String(err)}`);
      return fallback;
    };
    return (params) => {
      checkParams(name, params, fields);
      const ctx = context(params.textDocument.uri);
      if (!ctx) return fallback;
      try {
        const result = run(ctx, params);
        // An async provider's failure is caught the same way.
        return result instanceof Promise ? (result.catch(failed) as R) : result;
      } catch (err) {
        return failed(err);
      }
    };
  }

  connection.onInitialize(
    (): InitializeResult => ({ capabilities: CAPABILITIES, serverInfo: { name: 'nnet-language-server', version: '0.1.0' } }),
  );
  connection.onDidOpenTextDocument(({ textDocument }) => store.open(textDocument.uri, textDocument.version, textDocument.text));
  connection.onDidChangeTextDocument(({ textDocument, contentChanges }) =>
    store.change(textDocument.uri, textDocument.version, contentChanges),
  );
  connection.onDidCloseTextDocument(({ textDocument }) => {
    store.close(textDocument.uri);
    void connection.sendDiagnostics({ uri: textDocument.uri, diagnostics: [] });
  });

  connection.onHover(guarded('hover', null, (ctx, p) => hover(ctx, p.position), ['position']));
  connection.onCompletion(guarded('completion', [], (ctx, p) => completion(ctx, p.position), ['position']));
  connection.onSignatureHelp(guarded('signatureHelp', null, (ctx, p) => signatureHelp(ctx, p.position), ['position']));
  connection.onDefinition(guarded('definition', null, (ctx, p) => definition(ctx, p.position), ['position']));
  connection.onReferences(guarded('references', [], (ctx, p) => references(ctx, p.position, p.context.includeDeclaration), ['position', 'context']));
  connection.onPrepareRename(guarded('prepareRename', null, (ctx, p) => prepareRename(ctx, p.position), ['position']));
  connection.onRenameRequest(guarded('rename', null, (ctx, p) => rename(ctx, p.position, p.newName), ['position', 'newName']));
  connection.onDocumentHighlight(guarded('documentHighlight', [], (ctx, p) => highlights(ctx, p.position), ['position']));
  connection.onDocumentSymbol(guarded('documentSymbol', [], (ctx) => documentSymbols(ctx)));
  connection.onWorkspaceSymbol((params) => {
    if (typeof params !== 'object' || params === null || typeof params.query !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, 'workspaceSymbol: params.query must be a string');
    const { query } = params;
    const contexts = store.uris().flatMap((uri) => context(uri) ?? []);
    return workspaceSymbols(contexts, query);
  });
  connection.onCodeAction(guarded('codeAction', Promise.resolve([]), (ctx, p) => codeActions(ctx, p.range, p.context.only), ['range', 'context']));
  connection.languages.semanticTokens.on(guarded('semanticTokens', { data: [] }, (ctx) => semanticTokens(ctx)));
  connection.onFoldingRanges(guarded('foldingRange', [], (ctx) => foldingRanges(ctx)));
  connection.onSelectionRanges(guarded('selectionRange', [], (ctx, p) => selectionRanges(ctx, p.positions), ['positions']));
  connection.onCodeLens(guarded('codeLens', [], (ctx) => codeLenses(ctx, options.countFusedGroups)));
  connection.languages.inlayHint.on(guarded('inlayHint', [], (ctx, p) => inlayHints(ctx, p.range), ['range']));
  connection.onDocumentFormatting(async (p) => {
    checkParams('formatting', p);
    const document = store.document(p.textDocument.uri);
    return document ? formatDocument(document) : [];
  });
  connection.onDocumentRangeFormatting(async (p) => {
    checkParams('rangeFormatting', p, ['range']);
    const document = store.document(p.textDocument.uri);
    return document ? formatRange(document, p.range) : [];
  });
  connection.onShutdown(() => store.dispose());
  connection.listen();
  return store;
}
