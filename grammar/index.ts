import type { FileNode } from './ast.js';
import type { Diagnostic } from '../compiler/diagnostics/types.js';

export interface ParseResult {
  file: FileNode;
  diagnostics: Diagnostic[];
}

/** Parses .nnet text. Never throws: every problem is a diagnostic. (Placeholder until the parser lands.) */
export function parse(text: string): ParseResult {
  return {
    file: { kind: 'File', decls: [], comments: [], range: { start: 0, end: text.length } },
    diagnostics: [],
  };
}
