import {
  DocumentHighlightKind,
  type DocumentHighlight,
  type Location,
  type Position,
} from 'vscode-languageserver';
import { symbolAt } from '../ast-query.js';
import { toOffset, toRange } from '../positions.js';
import type { ProviderContext } from './context.js';

/** Go to definition: the identifier that declares the name under the cursor. */
export function definition(ctx: ProviderContext, position: Position): Location | null {
  const hit = symbolAt(ctx.result, toOffset(ctx.document, position));
  if (!hit) return null;
  return { uri: ctx.document.uri, range: toRange(ctx.document, hit.symbol.definition) };
}

/** Find references: every use, and the declaration when the client asks for it. */
export function references(ctx: ProviderContext, position: Position, includeDeclaration: boolean): Location[] {
  const hit = symbolAt(ctx.result, toOffset(ctx.document, position));
  if (!hit) return [];
  const ranges = includeDeclaration ? [hit.symbol.definition, ...hit.symbol.references] : hit.symbol.references;
  return ranges.map((range) => ({ uri: ctx.document.uri, range: toRange(ctx.document, range) }));
}

/** Document highlight: the declaration (written) and the uses (read) of the name under the cursor. */
export function highlights(ctx: ProviderContext, position: Position): DocumentHighlight[] {
  const hit = symbolAt(ctx.result, toOffset(ctx.document, position));
  if (!hit) return [];
  return [
    { range: toRange(ctx.document, hit.symbol.definition), kind: DocumentHighlightKind.Write },
    ...hit.symbol.references.map((r) => ({ range: toRange(ctx.document, r), kind: DocumentHighlightKind.Read })),
  ];
}
