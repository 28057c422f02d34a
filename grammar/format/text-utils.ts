/**
 * Small scans of the original text that the printer needs to respect the user's layout. (Prettier's
 * own helpers live in its Node entry; the plugin uses the standalone build so it bundles into the
 * VS Code extension and runs in a browser.)
 */

/** True when the line after the one containing `offset` is blank (only spaces), skipping a trailing comment. */
export function isNextLineEmpty(text: string, offset: number): boolean {
  let i = offset;
  // Rest of the current line: spaces, and at most a trailing comment.
  while (i < text.length && text[i] !== '\n') {
    if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return false;
      i = end + 2;
    } else if (text.startsWith('//', i)) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else {
      i++;
    }
  }
  if (i >= text.length) return false;
  i++; // the newline
  while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\r')) i++;
  return text[i] === '\n';
}

export function hasNewlineInRange(text: string, start: number, end: number): boolean {
  const newline = text.indexOf('\n', start);
  return newline >= 0 && newline < end;
}

/** Any AST node: Prettier keeps a node's attached comments in its `comments` array. */
type Attachable = object;

interface CommentFlags {
  leading?: boolean;
  trailing?: boolean;
}

/** The three ways Prettier attaches a comment to a node; `printed` stays Prettier's to set. */
export function addTrailingComment(node: Attachable, comment: CommentFlags): boolean {
  comment.leading = false;
  comment.trailing = true;
  ((node as { comments?: unknown[] }).comments ??= []).push(comment);
  return true;
}

export function addDanglingComment(node: Attachable, comment: CommentFlags): boolean {
  comment.leading = false;
  comment.trailing = false;
  ((node as { comments?: unknown[] }).comments ??= []).push(comment);
  return true;
}
