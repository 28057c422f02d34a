import type { IToken } from 'chevrotain';
import type { Comment } from './ast.js';
import type { Diagnostic } from '../diagnostics/types.js';
import { diagnosticFrom, makeDiagnostic } from '../diagnostics/make.js';
import { readNumber, readString, type LiteralProblem } from './literals.js';
import { LineComment, NumberLiteral, UnterminatedBlockComment, UnterminatedString, nnetLexer, TerminatedString } from './tokens.js';

export interface LexResult {
  tokens: IToken[];
  comments: Comment[];
  diagnostics: Diagnostic[];
}

/** Splits text into tokens and comments, reporting bad characters and malformed literals. */
export function lex(text: string): LexResult {
  const result = nnetLexer.tokenize(text);
  const diagnostics: Diagnostic[] = result.errors.map((error) => unexpectedCharacters(text, error.offset, error.length));
  for (const token of result.tokens) diagnostics.push(...literalProblems(token));

  const comments: Comment[] = [];
  for (const token of result.groups['comments'] ?? []) {
    const range = { start: token.startOffset, end: token.startOffset + token.image.length };
    comments.push({ range, text: token.image, style: token.tokenType === LineComment ? 'line' : 'block' });
    if (token.tokenType === UnterminatedBlockComment) {
      diagnostics.push(makeDiagnostic('NN1003', [], { start: range.start, end: range.start + 2 }));
    }
  }
  diagnostics.sort((a, b) => a.range.start - b.range.start);
  return { tokens: result.tokens, comments, diagnostics };
}

function unexpectedCharacters(text: string, offset: number, length: number): Diagnostic {
  const characters = text.slice(offset, offset + length);
  const first = String.fromCodePoint(characters.codePointAt(0) ?? 0);
  const shown = characters.length === first.length ? `'${printable(first)}'` : `'${printable(first)}' (and ${characters.length - first.length} more)`;
  const hint = first === '|' ? "; a pipe is written '|>'" : '';
  return makeDiagnostic('NN1001', [shown + hint], { start: offset, end: offset + length });
}

function printable(character: string): string {
  const code = character.codePointAt(0)!;
  if (code < 0x20 || code === 0x7f) return `\\u${code.toString(16).padStart(4, '0')}`;
  return character;
}

function literalProblems(token: IToken): Diagnostic[] {
  const problems: LiteralProblem[] = [];
  if (token.tokenType === NumberLiteral) {
    const { problem } = readNumber(token.image);
    if (problem) problems.push(problem);
  } else if (token.tokenType === TerminatedString || token.tokenType === UnterminatedString) {
    if (token.image.includes('\\')) problems.push(...readString(token.image).problems);
    if (token.tokenType === UnterminatedString) {
      problems.push({ code: 'NN1002', args: [], start: 0, end: token.image.length });
    }
  }
  return problems.map((p) =>
    diagnosticFrom(p, { start: token.startOffset + p.start, end: token.startOffset + p.end }),
  );
}
