import type { IToken } from 'chevrotain';
import type { AstNode, Expr, FileNode } from './ast.js';
import type { Diagnostic } from '../diagnostics/types.js';
import { makeDiagnostic } from '../diagnostics/make.js';
import { LBrace, LBracket, LParen, Minus, Plus, RBrace, RBracket, RParen, Slash, Star } from './tokens.js';

/**
 * Limits that keep the front end (and every stage after it) bounded in time and stack depth on
 * pathological input. Each limit is checked before the work it protects: the size before lexing,
 * bracket depth before the recursive-descent parser, and expression depth before any recursive
 * walk of the AST by the checker, the formatter or the language server.
 */

/**
 * Characters (UTF-16 code units). 16 MiB of text is far beyond any hand-written model; the checker
 * is linear in it (test/compiler/check/bounded.test.ts checks a generated 10 MB file).
 */
export const MAX_FILE_CHARACTERS = 16 * 1024 * 1024;
/**
 * Nested `(`, `[` and `{`. The parser recurses through several rules per level, each a few stack
 * frames: measured on Node 20 with a cold (unoptimised) stack, about 190 nested calls overflow it.
 * Half of that keeps a margin for callers that are themselves deep (a language-server handler).
 */
export const MAX_BRACKET_DEPTH = 100;
/** Nested expression nodes (operators, calls, lists, pipelines) below one statement. */
export const MAX_EXPRESSION_DEPTH = 512;
/**
 * Names on the left of one tuple assignment (`a, b, c = split(...)`): the parser looks this far
 * ahead for the `=` (grammar/parser.ts `assignmentAhead`), at every name in an expression too.
 */
export const MAX_TUPLE_NAMES = 64;
/** Diagnostics reported from one file's syntax before giving up (NN4003). */
export const MAX_SYNTAX_DIAGNOSTICS = 100;
/** Parse errors after which the parser stops (twice what is reported: some are dropped as echoes). */
export const MAX_PARSE_ERRORS = 2 * MAX_SYNTAX_DIAGNOSTICS;

export function checkFileSize(text: string): Diagnostic | undefined {
  if (text.length <= MAX_FILE_CHARACTERS) return undefined;
  return makeDiagnostic('NN4001', [mebibytes(text.length), mebibytes(MAX_FILE_CHARACTERS)], { start: 0, end: 0 });
}

function mebibytes(characters: number): string {
  return `${(characters / (1024 * 1024)).toFixed(1)} MiB`;
}

export interface NestingScan {
  /** The first opening bracket that nests deeper than MAX_BRACKET_DEPTH, as a diagnostic. */
  tooDeep?: Diagnostic;
  /**
   * An upper bound of the AST's expression depth: each bracket level adds at most three nesting
   * nodes (a call, a list or a pipe, and one more around them) and each operator or index at most one.
   * When it is within MAX_EXPRESSION_DEPTH, the AST walk of `limitExpressionDepth` can be skipped.
   */
  expressionDepthBound: number;
}

export function scanNesting(tokens: readonly IToken[]): NestingScan {
  let depth = 0;
  let deepest = 0;
  let operators = 0;
  for (const token of tokens) {
    const type = token.tokenType;
    if (type === LParen || type === LBracket || type === LBrace) {
      // A `[` may also be an index, which nests once more around its target (`x[0][0]...`).
      if (type === LBracket) operators++;
      depth++;
      if (depth > deepest) deepest = depth;
      if (depth > MAX_BRACKET_DEPTH) {
        const range = { start: token.startOffset, end: token.startOffset + 1 };
        return { tooDeep: makeDiagnostic('NN4002', [MAX_BRACKET_DEPTH, 'brackets'], range), expressionDepthBound: Infinity };
      }
    } else if ((type === RParen || type === RBracket || type === RBrace) && depth > 0) {
      depth--;
    } else if (type === Plus || type === Minus || type === Star || type === Slash) {
      operators++;
    }
  }
  return { expressionDepthBound: operators + 3 * (deepest + 1) };
}

const NESTING_EXPRESSIONS = new Set<string>(['Binary', 'Unary', 'Call', 'List', 'Pipe', 'Index']);

/**
 * Cuts expressions that nest deeper than the limit (a chain `1 + 1 + ... + 1` nests once per
 * operator): the node at the limit becomes an `ErrorExpr`, and the first cut is reported. Walks with
 * an explicit stack, since the point is that recursion could overflow.
 */
export function limitExpressionDepth(file: FileNode): Diagnostic | undefined {
  let reported: Diagnostic | undefined;
  const stack: Array<{ node: AstNode; depth: number }> = [{ node: file, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    const record = node as unknown as Record<string, unknown>;
    for (const key in record) {
      const value = record[key];
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const child = value[i] as unknown;
          if (isNode(child)) visit(child, depth, (error) => (value[i] = error));
        }
      } else if (isNode(value)) {
        visit(value, depth, (error) => (record[key] = error));
      }
    }
  }
  return reported;

  function visit(child: AstNode, parentDepth: number, replace: (error: Expr) => void): void {
    const depth = parentDepth + (NESTING_EXPRESSIONS.has(child.kind) ? 1 : 0);
    if (depth > MAX_EXPRESSION_DEPTH) {
      reported ??= makeDiagnostic('NN4002', [MAX_EXPRESSION_DEPTH, 'nested expressions'], child.range);
      replace({ kind: 'Error', range: child.range });
      return;
    }
    stack.push({ node: child, depth });
  }
}

function isNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && typeof (value as { kind?: unknown }).kind === 'string';
}
