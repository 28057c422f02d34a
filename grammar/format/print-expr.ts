import { builders } from 'prettier/doc';
import type { AstPath, Doc } from 'prettier';
import type { Expr, ListLit } from '../ast.js';
import type { FormatNode } from './nodes.js';

const { group, indent, softline, line, ifBreak, join, fill } = builders;

type Print = (selector?: string | number | Array<string | number>) => Doc;

/**
 * Binding strength of each expression form, from the grammar in docs/language.md: a pipeline binds
 * loosest, then `+ -`, then `* /`, then unary minus; everything else is a primary. The AST keeps
 * no parentheses, so the printer adds exactly those the tree needs.
 */
function precedence(expr: Expr): number {
  switch (expr.kind) {
    case 'Pipe':
      return 0;
    case 'Binary':
      return expr.op === '+' || expr.op === '-' ? 1 : 2;
    case 'Unary':
      return 3;
    default:
      return 4;
  }
}

function parenthesize(printed: Doc, needed: boolean): Doc {
  return needed ? ['(', printed, ')'] : printed;
}

/** Prints any expression node; `path` points at it. */
export function printExpr(path: AstPath<FormatNode>, options: { originalText: string }, print: Print): Doc {
  const node = path.node as Expr;
  switch (node.kind) {
    case 'Number':
      return node.raw;
    case 'String':
      // The literal exactly as written: escapes are the lexer's business, not the printer's.
      return options.originalText.slice(node.range.start, node.range.end);
    case 'Bool':
      return node.value ? 'true' : 'false';
    case 'Name':
      return node.name;
    case 'List':
      return printList(path, node, print, '');
    case 'Call':
      return printCall(path, print);
    case 'Pipe':
      return printPipe(node, print);
    case 'Unary': {
      const inner = precedence(node.operand) <= 3;
      return ['-', parenthesize(print('operand'), inner)];
    }
    case 'Binary': {
      const own = precedence(node);
      const left = parenthesize(print('left'), precedence(node.left) < own);
      // Left-associative: `a - (b - c)` keeps its parentheses, `(a - b) - c` needs none.
      const right = parenthesize(print('right'), precedence(node.right) <= own);
      return [left, ' ', node.op, ' ', right];
    }
    case 'Index': {
      // Indexing binds tightest: `(a + b)[0]` and `(-x)[0]` keep their parentheses.
      const target = parenthesize(print('target'), precedence(node.target) < 4);
      return [target, '[', join(', ', node.items.map((_, i) => print(['items', i]))), ']'];
    }
    case 'Error':
      throw new Error('cannot format a recovered expression (the parser reported a syntax error)');
  }
}

/** `callee(a, b, k: c)`: on one line if it fits, else one argument per line with a trailing comma. */
export function printCall(path: AstPath<FormatNode>, print: Print): Doc {
  const node = path.node as Extract<Expr, { kind: 'Call' }>;
  if (node.args.length === 0) return [print('callee'), '()'];
  const args = node.args.map((_, i) => print(['args', i]));
  return group([print('callee'), '(', indent([softline, join([',', line], args)]), ifBreak(','), softline, ')']);
}

/** A pipeline stays on one line if it fits; otherwise every stage gets its own line. */
function printPipe(node: Extract<Expr, { kind: 'Pipe' }>, print: Print): Doc {
  const [first, ...rest] = node.stages.map((_, i) => print(['stages', i]));
  const head = parenthesize(first!, node.stages[0]!.kind === 'Pipe');
  return group([head, indent(rest.map((stage) => [line, '|> ', stage]))]);
}

function isNumeric(expr: Expr): boolean {
  return expr.kind === 'Number' || (expr.kind === 'Unary' && expr.operand.kind === 'Number');
}

/**
 * Lists of plain numbers (weights, biases) fill lines like prose; other lists (rows of a matrix,
 * shapes, names) put one item per line when they do not fit, so a matrix breaks into its rows.
 */
export function printList(_path: AstPath<FormatNode>, node: ListLit, print: Print, afterBracket: Doc): Doc {
  if (node.items.length === 0) return ['[', afterBracket, ']'];
  const items = node.items.map((_, i) => print(['items', i]));
  let body: Doc;
  if (node.items.every(isNumeric)) {
    const parts: Doc[] = [];
    items.forEach((item, i) => {
      if (i > 0) parts.push([',', line]);
      parts.push(item);
    });
    body = fill(parts);
  } else {
    body = join([',', line], items);
  }
  return group(['[', afterBracket, indent([softline, body]), ifBreak(','), softline, ']']);
}
