import type { CstNode, CstNodeLocation, IToken } from 'chevrotain';
import type { SourceRange } from './ast.js';

/**
 * Source ranges of CST tokens and nodes, for the AST builder. Recovery leaves two kinds of holes:
 * tokens Chevrotain invented (`isInsertedInRecovery`, NaN offsets) and nodes with no token at all
 * (NaN location); these helpers tell them apart from real text and give fallbacks.
 */

/** A token that came from the text (not one Chevrotain invented while recovering). */
export function isReal(token: IToken): boolean {
  return token.isInsertedInRecovery !== true && !Number.isNaN(token.startOffset);
}

export function tokenRange(token: IToken, fallback: number): SourceRange {
  return isReal(token) ? { start: token.startOffset, end: token.startOffset + token.image.length } : emptyAt(fallback);
}

export function endOf(token: IToken | undefined, fallback: number): number {
  return token && isReal(token) ? token.startOffset + token.image.length : fallback;
}

export function emptyAt(offset: number): SourceRange {
  return { start: offset, end: offset };
}

/**
 * Nodes that hold at least one real token. Recovery can leave a rule's node with no token at all
 * (its first token was missing); such a node carries nothing and has no position (NaN offsets), so
 * the builder treats it as absent and puts a stand-in where it belongs.
 */
export function present<N extends CstNode>(nodes: N[] | undefined): N[] {
  return nodes ? nodes.filter(hasTokens) : [];
}

export function hasTokens(node: CstNode): boolean {
  const start = node.location?.startOffset;
  const end = node.location?.endOffset;
  return start !== undefined && end !== undefined && !Number.isNaN(start) && !Number.isNaN(end);
}

/** A CST node's range (Chevrotain's `endOffset` is inclusive). Only called on `present` nodes. */
export function nodeRange(location: CstNodeLocation | undefined): SourceRange {
  const start = location?.startOffset ?? 0;
  const end = location?.endOffset ?? start - 1;
  return Number.isNaN(start) || Number.isNaN(end) ? emptyAt(0) : { start, end: end + 1 };
}

export function sortBySource(nodes: { range: SourceRange }[]): void {
  nodes.sort((a, b) => a.range.start - b.range.start);
}
