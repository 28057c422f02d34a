import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position } from 'vscode-languageserver';
import { checkSource } from '../../compiler/index.js';
import { loadCatalog } from '../../lsp/op-catalog.js';
import type { ProviderContext } from '../../lsp/providers/context.js';

const catalog = loadCatalog();

/** A provider context for `text`, checked by the real front end. */
export function contextFor(text: string, uri = 'file:///test.nnet'): ProviderContext {
  return { document: TextDocument.create(uri, 'nnet', 1, text), result: checkSource(text), catalog };
}

/** The position just after the `nth` occurrence of `needle`, moved by `delta` characters. */
export function after(text: string, needle: string, delta = 0, nth = 0): Position {
  let offset = -1;
  for (let i = 0; i <= nth; i++) {
    offset = text.indexOf(needle, offset + 1);
    if (offset < 0) throw new Error(`'${needle}' not found`);
  }
  const at = offset + needle.length + delta;
  const before = text.slice(0, at);
  return { line: before.split('\n').length - 1, character: at - before.lastIndexOf('\n') - 1 };
}

/** The position of the start of the `nth` occurrence of `needle`, plus `delta`. */
export function at(text: string, needle: string, delta = 0, nth = 0): Position {
  return after(text, needle, delta - needle.length, nth);
}
