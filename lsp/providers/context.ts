import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CheckResult } from '../../compiler/api-types.js';
import type { Catalog } from '../catalog.js';

/** Everything a provider reads: the document, its check, and the vocabulary. Providers are pure. */
export interface ProviderContext {
  document: TextDocument;
  result: CheckResult;
  catalog: Catalog;
}
