import { builders } from 'prettier/doc';
import type { AstPath, Doc, ParserOptions, Printer } from 'prettier';
import type { AstNode, Comment, Setting } from '../ast.js';
import { printCall, printExpr, printList } from './print-expr.js';
import { hasNewlineInRange, isNextLineEmpty } from './text-utils.js';
import { childKeys, isCallSetting, isComment, type AttachedComment, type FormatNode } from './nodes.js';

const { group, indent, hardline, line, softline, join, ifBreak, lineSuffix, breakParent } = builders;

type Print = (selector?: string | number | Array<string | number>) => Doc;
type Options = ParserOptions<FormatNode>;

/** The `printers['nnet-ast']` entry of the Prettier plugin. */
export const nnetPrinter: Printer<FormatNode> = {
  print(path, options, print) {
    return printNode(path, options, print as Print);
  },
  getVisitorKeys: (node) => childKeys(node),
  canAttachComment: (node) => !isComment(node),
  isBlockComment: (node) => isComment(node) && node.style === 'block',
  printComment(path, options) {
    const comment = path.node as Comment;
    const text = options.originalText.slice(comment.range.start, comment.range.end);
    return comment.style === 'line' ? text.trimEnd() : text;
  },
};

function printNode(path: AstPath<FormatNode>, options: Options, print: Print): Doc {
  const node = path.node as AstNode;
  switch (node.kind) {
    case 'File': {
      const decls = printSequence(path, options, print, node.decls, 'decls', true);
      const dangling = printDangling(path, options);
      return [decls, dangling, node.decls.length > 0 || dangling !== '' ? hardline : ''];
    }
    case 'Model':
      return ['model ', print('name'), ' ', printBody(path, options, print, node.body, 'body')];
    case 'Block': {
      const params = node.params.map((_, i) => print(['params', i]));
      const header = group(['(', indent([softline, join([',', line], params)]), softline, ')']);
      const items = [...node.body, ...(node.result ? [node.result] : [])];
      return [node.shared ? 'shared block ' : 'block ', print('name'), header, ' ', printBody(path, options, print, items, 'body', 'result')];
    }
    case 'Gan':
      return ['gan ', print('name'), ' ', printSettingsBody(path, options, print, node.settings, node.train)];
    case 'Train':
      return ['train ', printSettingsBody(path, options, print, node.settings, undefined)];
    case 'Let':
      return ['let ', print('name'), ' = ', print('value')];
    case 'Assign':
      return [print('name'), ' = ', print('value')];
    case 'TupleAssign':
      return [join(', ', node.names.map((_, i) => print(['names', i]))), ' = ', print('value')];
    case 'Input':
      return ['input ', print('name'), ': ', print('shape'), node.dtype ? [' ', print('dtype')] : ''];
    case 'Output':
      return ['output ', print('name'), node.value ? [' = ', print('value')] : ''];
    case 'Return':
      return ['return ', print('value')];
    case 'Param':
      return [print('name'), node.default ? [' = ', print('default')] : ''];
    case 'Arg':
      return node.name ? [print('name'), ': ', print('value')] : print('value');
    case 'Shape': {
      const afterBracket = printDanglingAfterBracket(path, options);
      if (node.dims.length === 0) return ['[', afterBracket, ']'];
      const dims = node.dims.map((_, i) => print(['dims', i]));
      return group(['[', afterBracket, indent([softline, join([',', line], dims)]), softline, ']']);
    }
    case 'List':
      return printList(path, node, print, printDanglingAfterBracket(path, options));
    case 'Setting':
      return printSetting(path, node, print);
    case 'Ident':
      return node.name;
    case 'Call':
      return printCall(path, print);
    case 'Slice':
      return [node.start ? print('start') : '', ':', node.stop ? print('stop') : '', node.step ? [':', print('step')] : ''];
    default:
      return printExpr(path, options, print);
  }
}

/**
 * Statements one per line, keeping one blank line wherever the user left one or more.
 * Top-level declarations other than consecutive `let`s are always separated by a blank line.
 */
function printSequence(
  path: AstPath<FormatNode>,
  options: Options,
  print: Print,
  nodes: readonly AstNode[],
  key: string,
  topLevel: boolean,
  lastKey?: string,
): Doc {
  const parts: Doc[] = [];
  nodes.forEach((node, i) => {
    const isLast = lastKey !== undefined && i === nodes.length - 1;
    parts.push(isLast ? print(lastKey) : print([key, i]));
    const next = nodes[i + 1];
    if (!next) return;
    parts.push(hardline);
    const userBlank = isNextLineEmpty(options.originalText, node.range.end);
    const declGap = topLevel && !(node.kind === 'Let' && next.kind === 'Let');
    if (userBlank || declGap) parts.push(hardline);
  });
  return parts;
}

/** `{ ... }` around model and block bodies; `{}` when empty and without comments. */
function printBody(
  path: AstPath<FormatNode>,
  options: Options,
  print: Print,
  nodes: readonly AstNode[],
  key: string,
  lastKey?: string,
): Doc {
  const dangling = printDangling(path, options);
  const afterBrace = printDanglingAfterBracket(path, options);
  if (nodes.length === 0 && dangling === '' && afterBrace === '') return '{}';
  const statements = printSequence(path, options, print, nodes, key, false, lastKey);
  return ['{', afterBrace, indent([hardline, statements, dangling]), hardline, '}'];
}

/**
 * Settings of a `train` or `gan` section, one per line, except that settings the user wrote on the
 * same line (`epochs 10  batch 128`) stay together, two spaces apart, while the line fits.
 */
function printSettingsBody(
  path: AstPath<FormatNode>,
  options: Options,
  print: Print,
  settings: readonly Setting[],
  train: AstNode | undefined,
): Doc {
  const items: Array<{ node: AstNode; doc: () => Doc }> = settings.map((node, i) => ({
    node,
    doc: () => print(['settings', i]),
  }));
  if (train) items.push({ node: train, doc: () => print('train') });
  items.sort((a, b) => a.node.range.start - b.node.range.start);
  const dangling = printDangling(path, options);
  const afterBrace = printDanglingAfterBracket(path, options);
  if (items.length === 0 && dangling === '' && afterBrace === '') return '{}';

  const lines: Doc[] = [];
  let run: Doc[] = [];
  items.forEach((item, i) => {
    run.push(item.doc());
    const next = items[i + 1];
    const text = options.originalText;
    if (next && item.node.kind === 'Setting' && next.node.kind === 'Setting' && !hasNewlineBetween(text, item.node, next.node)) {
      return;
    }
    lines.push(run.length === 1 ? run[0]! : group(join([ifBreak('', ' '), line], run)));
    run = [];
    if (next) lines.push(isNextLineEmpty(text, item.node.range.end) ? [hardline, hardline] : hardline);
  });
  return ['{', afterBrace, indent([hardline, lines, dangling]), hardline, '}'];
}

function hasNewlineBetween(text: string, a: AstNode, b: AstNode): boolean {
  return hasNewlineInRange(text, a.range.end, b.range.start);
}

function printSetting(path: AstPath<FormatNode>, node: Setting, print: Print): Doc {
  if (isCallSetting(node)) return print(['values', 0]);
  if (node.values.length === 0) return print('key');
  const values = node.values.map((_, i) => print(['values', i]));
  if (values.length === 1) return [print('key'), ' ', values[0]!];
  return [print('key'), ' ', group(indent(join([',', line], values)))];
}

/**
 * Comments inside an otherwise empty body (`model M { // todo }`) attach to the body's owner as
 * "dangling"; Prettier leaves printing those to the plugin.
 */
function printDangling(path: AstPath<FormatNode>, options: Options): Doc {
  const node = path.node as AstNode & { comments?: AttachedComment[] };
  const dangling = (node.comments ?? []).filter(isInside);
  if (dangling.length === 0) return '';
  const printed: Doc[] = [];
  (path as AstPath<any>).each((commentPath: AstPath<any>) => {
    const comment = commentPath.node as AttachedComment;
    if (!isInside(comment)) return;
    comment.printed = true;
    printed.push(nnetPrinter.printComment!(commentPath, options));
  }, 'comments');
  return join(hardline, printed);
}

const isAfterOpener = (c: AttachedComment): boolean => !c.leading && !c.trailing && c.placement === 'open';
const isInside = (c: AttachedComment): boolean => !c.leading && !c.trailing && c.placement !== 'open';

/** Comments kept right after `[` or `{` (see comments.ts): a line comment breaks the list, a block comment does not. */
function printDanglingAfterBracket(path: AstPath<FormatNode>, options: Options): Doc {
  const node = path.node as AstNode & { comments?: AttachedComment[] };
  if (!(node.comments ?? []).some(isAfterOpener)) return '';
  const printed: Doc[] = [];
  (path as AstPath<any>).each((commentPath: AstPath<any>) => {
    const comment = commentPath.node as AttachedComment;
    if (!isAfterOpener(comment)) return;
    comment.printed = true;
    const text = nnetPrinter.printComment!(commentPath, options);
    // Only end-of-line comments are kept here, so the list or body breaks after them.
    printed.push(comment.style === 'line' ? [lineSuffix([' ', text]), breakParent] : [' ', text, breakParent]);
  }, 'comments');
  return printed;
}
