import { addDanglingComment, addTrailingComment } from './text-utils.js';
import type { AstNode, Comment } from '../ast.js';

/** The fields Prettier's attachment pass sets on a comment before asking the plugin. */
interface CommentContext extends Comment {
  leading?: boolean;
  trailing?: boolean;
  enclosingNode?: AstNode;
  precedingNode?: AstNode;
  followingNode?: AstNode;
}

const BRACED = new Set(['Model', 'Block', 'Gan']);

/**
 * A comment inside the braces of an empty model, block or gan (`model M { // todo }`) would by
 * default trail the name and end up outside the braces; keep it inside, as a dangling comment the
 * body printer prints. Comments in a pipeline between stages trail the previous stage, so the
 * `|>` that follows keeps its place at the start of the next line.
 */
function handleComment(comment: CommentContext, text: string): boolean {
  const { enclosingNode, precedingNode, followingNode } = comment;
  if (!enclosingNode) return false;
  if (BRACED.has(enclosingNode.kind) && !followingNode && precedingNode) {
    const brace = text.indexOf('{', precedingNode.range.end);
    const isName = precedingNode.kind === 'Ident' || precedingNode.kind === 'Param';
    if (isName && brace >= 0 && comment.range.start > brace) {
      addDanglingComment(enclosingNode, comment);
      return true;
    }
  }
  if (enclosingNode.kind === 'Pipe' && precedingNode && followingNode) {
    addTrailingComment(precedingNode, comment);
    return true;
  }
  return false;
}

/**
 * A comment right after an opening `[` or `{` on the same line (`[ // why these dims`,
 * `model M { // the baseline`) stays there: it becomes a dangling comment marked `open`, which the
 * list and body printers put after the bracket. Without this it would attach to the next or the
 * previous node, whose line may change with the layout, and formatting would not be idempotent.
 */
const OPENERS: Partial<Record<AstNode['kind'], string>> = { Shape: '[', List: '[', Model: '{', Block: '{', Gan: '{', Train: '{' };

function handleAfterOpener(comment: CommentContext, text: string): boolean {
  const { enclosingNode } = comment;
  const opener = enclosingNode && OPENERS[enclosingNode.kind];
  if (!opener) return false;
  const before = text.slice(enclosingNode.range.start, comment.range.start);
  // Other comments already kept after the opener (`[ /* a */ // b`) do not separate it from this one.
  const trimmed = withoutTrailingBlockComments(before);
  if (!trimmed.endsWith(opener) || before.slice(trimmed.length).includes('\n')) return false;
  // Only the node's own opener: the `[` of a list or shape, the `{` that opens a body.
  const openerAt = trimmed.length - 1;
  if (openerAt !== (opener === '[' ? 0 : bodyBrace(enclosingNode, text))) return false;
  (comment as CommentContext & { placement?: string }).placement = 'open';
  addDanglingComment(enclosingNode, comment);
  return true;
}

/**
 * `text` without its trailing whitespace and block comments. A scan from the end, not a regex: a
 * pattern like `(?:\s|\/\*[\s\S]*?\*\/)*$` backtracks exponentially on a line full of comments.
 * Block comments do not nest, so the `/*` of a trailing `*\/` is the last one before it.
 */
export function withoutTrailingBlockComments(text: string): string {
  let end = text.length;
  for (;;) {
    while (end > 0 && /\s/.test(text[end - 1]!)) end--;
    if (!text.startsWith('*/', end - 2)) return text.slice(0, end);
    const open = text.lastIndexOf('/*', end - 3);
    if (open < 0) return text.slice(0, end);
    end = open;
  }
}

/** Offset (relative to the node) of the `{` that opens a braced body: the first one after its header. */
function bodyBrace(node: AstNode, text: string): number {
  const headerEnd =
    node.kind === 'Block' ? (node.params.at(-1)?.range.end ?? node.name.range.end) : 'name' in node && typeof node.name === 'object' ? node.name.range.end : node.range.start;
  let i = headerEnd;
  while (i < node.range.end && text[i] !== '{') {
    if (text.startsWith('/*', i)) i = text.indexOf('*/', i + 2) + 2;
    else if (text.startsWith('//', i)) i = text.indexOf('\n', i);
    else i++;
    if (i <= 0) return -1;
  }
  return i - node.range.start;
}

export const handleComments = {
  ownLine: (comment: CommentContext, text: string) => handleComment(comment, text),
  endOfLine: (comment: CommentContext, text: string) => handleAfterOpener(comment, text) || handleComment(comment, text),
  remaining: (comment: CommentContext, text: string) => handleComment(comment, text),
};
