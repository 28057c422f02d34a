import type { FileNode } from '../ast.js';

/**
 * The meaning of a file, for checking that formatting changed nothing but layout: the AST with
 * every source range (and Prettier's bookkeeping) removed, and every word of every comment.
 * Comment words are compared as a multiset: an end-of-line comment written in the middle of a
 * statement moves to the end of its line, and two such comments on one statement share that line
 * (`input label: [batch] int // a // b`), but no word of a comment is ever lost.
 */
export function meaningOf(file: FileNode): string {
  const comments = file.comments.flatMap((c) => c.text.split(/\s+/).filter(Boolean)).sort();
  return JSON.stringify({ decls: file.decls, comments }, (key, value: unknown) =>
    key === 'range' || key === 'keyword' ? undefined : value,
  );
}

/** True when two parses differ at most in ranges and layout. */
export function sameMeaning(a: FileNode, b: FileNode): boolean {
  return meaningOf(a) === meaningOf(b);
}
