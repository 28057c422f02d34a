import type { FileNode } from '../ast.js';

/**
 * The meaning of a file, for checking that formatting changed nothing but layout: the AST with
 * every source range (and Prettier's bookkeeping) removed, and the text of all comments in order.
 * Comments are compared as one run of text because two end-of-line comments that trail different
 * parts of one statement (`input label: // a` ... `int // b`) are printed on its one line.
 */
export function meaningOf(file: FileNode): string {
  const comments = file.comments.map((c) => c.text.trim()).join(' ').replace(/\s+/g, ' ');
  return JSON.stringify({ decls: file.decls, comments }, (key, value: unknown) =>
    key === 'range' || key === 'keyword' ? undefined : value,
  );
}

/** True when two parses differ at most in ranges and layout. */
export function sameMeaning(a: FileNode, b: FileNode): boolean {
  return meaningOf(a) === meaningOf(b);
}
