import { ResponseError, ErrorCodes, type Position, type Range, type WorkspaceEdit } from 'vscode-languageserver';
import { DISCARD } from '../../compiler/ops/split.js';
import { symbolAt } from '../ast-query.js';
import { toOffset, toRange } from '../positions.js';
import type { ProviderContext } from './context.js';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** From docs/language.md, "Lexical structure". */
const KEYWORDS = new Set(['model', 'block', 'gan', 'input', 'output', 'let', 'return', 'train', 'true', 'false']);

/** prepareRename: the identifier under the cursor, if it names something the user declared. */
export function prepareRename(ctx: ProviderContext, position: Position): { range: Range; placeholder: string } | null {
  const hit = symbolAt(ctx.result, toOffset(ctx.document, position));
  if (!hit) return null;
  return { range: toRange(ctx.document, hit.range), placeholder: hit.symbol.name };
}

/**
 * Renames a value, input, output, constant, block, model or parameter: the declaration and every
 * reference. Refuses names that are not identifiers, keywords, built-in vocabulary, and names
 * already declared in the same scope (the rename would merge two values).
 */
export function rename(ctx: ProviderContext, position: Position, newName: string): WorkspaceEdit | null {
  const hit = symbolAt(ctx.result, toOffset(ctx.document, position));
  if (!hit) return null;
  const { symbol } = hit;
  if (!IDENTIFIER.test(newName)) throw invalid(`'${newName}' is not a valid name`);
  if (KEYWORDS.has(newName)) throw invalid(`'${newName}' is a keyword`);
  if (newName === DISCARD) throw invalid(`'${DISCARD}' discards a part of a split; it names nothing`);
  if (newName !== symbol.name && ctx.catalog.has(newName)) {
    throw invalid(`'${newName}' is a built-in name (${ctx.catalog.lookup(newName)!.kind})`);
  }
  const clash = ctx.result.symbols.find(
    (s) => s !== symbol && s.name === newName && (s.container === symbol.container || s.container === '' || symbol.container === ''),
  );
  if (clash) throw invalid(`'${newName}' is already declared${clash.container ? ` in ${clash.container}` : ''}`);
  const edits = [symbol.definition, ...symbol.references].map((range) => ({
    range: toRange(ctx.document, range),
    newText: newName,
  }));
  return { changes: { [ctx.document.uri]: edits } };
}

function invalid(message: string): ResponseError<void> {
  return new ResponseError(ErrorCodes.InvalidRequest, message);
}
