import { EOF, type IParserErrorMessageProvider, type IRecognitionException, type IToken, type TokenType } from 'chevrotain';
import type { SourceRange } from './ast.js';
import type { Diagnostic } from '../compiler/diagnostics/types.js';
import { diagnosticDef, formatTemplate } from '../compiler/diagnostics/table.js';
import { quoteToken } from './make-diagnostic.js';

/**
 * Parse errors in the user's words. Chevrotain builds an error's message while parsing, before we
 * see it, so the message provider below writes the final text and prefixes it with the table code
 * (`NN1010 expected ':' after 'x'`); `parseErrorsToDiagnostics` splits the two again and decides
 * where the error is shown.
 */

function encode(code: string, args: readonly string[]): string {
  return `${code} ${formatTemplate(diagnosticDef(code).template, args)}`;
}

function decode(message: string): { code: string; message: string } {
  const match = /^(NN\d{4}) ([\s\S]*)$/.exec(message);
  return match ? { code: match[1]!, message: match[2]! } : { code: 'NN1010', message };
}

/** NN1011's template cut at its placeholders `{0}` `{1}` `{2}`, once: the parser builds this message for every bracket. */
const CLOSING_PARTS = diagnosticDef('NN1011').template.split(/\{\d\}/);

/** The message of a missing closing bracket: `expected ')' to close the call to dense opened at 3:7`. */
export function closingMessage(closer: string, what: string, open: IToken): string {
  const [a, b, c, d] = CLOSING_PARTS;
  return `NN1011 ${a}${closer}${b}${what}${c}${open.startLine}:${open.startColumn}${d}`;
}

function tokenLabel(type: TokenType): string {
  return type.LABEL ?? type.name;
}

function after(previous: IToken | undefined): string {
  return previous && previous.tokenType !== EOF && previous.image !== '' ? ` after ${quoteToken(previous.image)}` : '';
}

export const syntaxErrorMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, previous }) {
    return encode('NN1010', [`${tokenLabel(expected)}${after(previous)}`]);
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return encode('NN1013', [quoteToken(firstRedundant.image), 'after the last declaration']);
  },
  buildNoViableAltMessage({ customUserDescription, previous }) {
    return encode('NN1012', [`${customUserDescription ?? 'a value'}${after(previous)}`]);
  },
  buildEarlyExitMessage({ customUserDescription, previous }) {
    return encode('NN1012', [`${customUserDescription ?? 'a value'}${after(previous)}`]);
  },
};

function isRealToken(token: IToken | undefined): token is IToken {
  return token !== undefined && token.tokenType !== EOF && !Number.isNaN(token.startOffset) && token.isInsertedInRecovery !== true;
}

function tokenRange(token: IToken): SourceRange {
  return { start: token.startOffset, end: token.startOffset + token.image.length };
}

/**
 * Where an error is shown. An error at the token that was found, when it is on the line where
 * the statement was going; otherwise (the next line, or the end of the file) just after the last
 * good token, which is where the missing piece belongs: `dense(x, 4` is reported after the `4`.
 */
function errorRange(found: IToken | undefined, previous: IToken | undefined, textLength: number): SourceRange {
  const foundIsReal = isRealToken(found);
  const previousIsReal = isRealToken(previous);
  if (foundIsReal && (!previousIsReal || previous.endLine === found.startLine)) return tokenRange(found);
  if (previousIsReal) {
    const end = previous.startOffset + previous.image.length;
    return { start: end, end };
  }
  return foundIsReal ? tokenRange(found) : { start: textLength, end: textLength };
}

/** Turns Chevrotain's recognition errors into diagnostics. */
export function parseErrorsToDiagnostics(errors: readonly IRecognitionException[], textLength: number): Diagnostic[] {
  return errors.map((error) => {
    const previous = (error as IRecognitionException & { previousToken?: IToken }).previousToken;
    const { code, message } = decode(error.message);
    return { code, severity: diagnosticDef(code).severity, message, range: errorRange(error.token, previous, textLength) };
  });
}

const PARSE_ERROR_CODES = new Set(['NN1010', 'NN1011', 'NN1012', 'NN1013']);

/**
 * Drops parse errors that are consequences of characters the lexer rejected: in `dense(x $ 4)` the
 * `$` is reported, and the parser, which never saw it, should not add "expected ')'" at the `4`.
 * A parse error is such a consequence when a rejected character lies in the gap between the
 * tokens around it.
 */
export function withoutLexErrorEchoes(
  diagnostics: readonly Diagnostic[],
  lexDiagnostics: readonly Diagnostic[],
  tokens: readonly IToken[],
): Diagnostic[] {
  const rejected = lexDiagnostics.filter((d) => d.code === 'NN1001').map((d) => d.range.start);
  if (rejected.length === 0) return [...diagnostics];
  return diagnostics.filter((d) => {
    if (!PARSE_ERROR_CODES.has(d.code)) return true;
    const next = firstTokenAtOrAfter(tokens, d.range.start);
    const gapStart = next > 0 ? endOffset(tokens[next - 1]!) : 0;
    const gapEnd = next < tokens.length ? tokens[next]!.startOffset : Infinity;
    return !rejected.some((offset) => offset >= gapStart && offset < gapEnd);
  });
}

function endOffset(token: IToken): number {
  return token.startOffset + token.image.length;
}

/** Binary search over tokens in document order. */
function firstTokenAtOrAfter(tokens: readonly IToken[], offset: number): number {
  let low = 0;
  let high = tokens.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (tokens[mid]!.startOffset < offset) low = mid + 1;
    else high = mid;
  }
  return low;
}
