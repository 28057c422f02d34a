import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CheckResult } from '../compiler/api-types.js';
import { checkSource } from '../compiler/index.js';
import type { Catalog } from '../lsp/catalog.js';
import { loadCatalog } from '../lsp/op-catalog.js';
import type { ProviderContext } from '../lsp/providers/context.js';

/** The name the page's source goes by in messages (as a file would in `nnet check`). */
export const SOURCE_PATH = 'playground.nnet';

let catalog: Catalog | null = null;
let last: { text: string; context: ProviderContext } | null = null;

/**
 * The front end on the editor's text: `checkSource`, as the CLI and the language server run it,
 * once per text (the linter, hover and inlay shapes of one edit share a result), with what the
 * language server's providers read alongside it.
 */
export function checkText(text: string): ProviderContext {
  if (last?.text === text) return last.context;
  catalog ??= loadCatalog();
  const result: CheckResult = checkSource(text, { path: SOURCE_PATH });
  const context = { document: TextDocument.create(`file:///${SOURCE_PATH}`, 'nnet', 1, text), result, catalog };
  last = { text, context };
  return context;
}
