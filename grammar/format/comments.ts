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
export function handleComment(comment: CommentContext, text: string): boolean {
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

export const handleComments = {
  ownLine: (comment: CommentContext, text: string) => handleComment(comment, text),
  endOfLine: (comment: CommentContext, text: string) => handleComment(comment, text),
  remaining: (comment: CommentContext, text: string) => handleComment(comment, text),
};
