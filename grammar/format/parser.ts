import type { Parser } from 'prettier';
import { parse } from '../index.js';
import type { Diagnostic } from '../../diagnostics/types.js';
import type { FormatNode } from './nodes.js';

/**
 * Thrown instead of formatting a document that does not parse: a formatter that reprints a
 * recovered tree would silently drop or invent code, so it refuses and names the first problem.
 */
export class NnetSyntaxError extends Error {
  /** 1-based line and column of the first error. */
  readonly line: number;
  readonly column: number;

  constructor(readonly diagnostics: Diagnostic[], text: string) {
    const first = diagnostics[0]!;
    const { line, column } = lineAndColumn(text, first.range.start);
    const more = diagnostics.length > 1 ? ` (and ${diagnostics.length - 1} more)` : '';
    super(`cannot format a file with syntax errors: ${line}:${column}: ${first.code}: ${first.message}${more}`);
    this.name = 'NnetSyntaxError';
    this.line = line;
    this.column = column;
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** The `parsers.nnet` entry of the Prettier plugin: the real front-end parser, nothing else. */
export const nnetParser: Parser<FormatNode> = {
  astFormat: 'nnet-ast',
  parse(text: string): FormatNode {
    const { file, diagnostics } = parse(text);
    const errors = diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) throw new NnetSyntaxError(errors, text);
    return file;
  },
  locStart: (node: FormatNode) => node.range.start,
  locEnd: (node: FormatNode) => node.range.end,
};
