import {
  EOF,
  tokenMatcher,
  type IParserErrorMessageProvider,
  type IRecognitionException,
  type IToken,
  type TokenType,
} from 'chevrotain';
import type { SourceRange } from './ast.js';
import type { Diagnostic } from '../diagnostics/types.js';
import { diagnosticDef, isDiagnosticCode, type DiagnosticArgs, type DiagnosticCode } from '../diagnostics/table.js';
import { diagnosticMessage } from '../diagnostics/make.js';
import { LineMap } from '../diagnostics/line-map.js';
import { quoteToken } from './quote-token.js';
import { False, Identifier, LBracket, LParen, Minus, NumberLiteral, StringLiteral, True } from './tokens.js';

/**
 * Parse errors in the user's words. Chevrotain builds an error's message while parsing, before we
 * see it, so the message provider below writes the final text and prefixes it with the table code
 * (`NN1010 expected ':' after 'x'`); `parseErrorsToDiagnostics` splits the two again and decides
 * where the error is shown.
 */

function encode<C extends DiagnosticCode>(code: C, args: DiagnosticArgs<C>): string {
  return `${code} ${diagnosticMessage(code, args)}`;
}

interface CodedMessage {
  code: DiagnosticCode;
  message: string;
}

function decode(message: string): CodedMessage {
  const match = /^(NN\d{4}) ([\s\S]*)$/.exec(message);
  const code = match?.[1];
  return code !== undefined && isDiagnosticCode(code) ? { code, message: match?.[2] ?? '' } : { code: 'NN1010', message };
}

/** NN1011's template cut at its placeholders `{0}` `{1}` `{2}`, once: the parser builds this message for every bracket. */
const CLOSING_PARTS = diagnosticDef('NN1011').template.split(/\{\d\}/);

/**
 * A missing closer whose opening bracket is itself missing (recovery inserted it, and it has no
 * place) and that has no keyword to point at instead: the missing opener is already reported
 * (NN1010 "expected '('"), so this echo is dropped rather than reported "opened at NaN:NaN".
 */
const CLOSER_OF_MISSING_OPENER = 'NN1011 (the opening bracket is missing too)';

/**
 * The message of a missing closing bracket: `expected ')' to close the call to dense opened at 3:7`.
 * When recovery inserted the opening bracket, the body is said to open at `keyword` (`train`), if given.
 */
export function closingMessage(closer: string, what: string, open: IToken, keyword?: IToken): string {
  if (!isRealToken(open)) {
    if (!isRealToken(keyword)) return CLOSER_OF_MISSING_OPENER;
    open = keyword;
  }
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
  return errors.filter((error) => error.message !== CLOSER_OF_MISSING_OPENER).map((error) => {
    const previous = (error as IRecognitionException & { previousToken?: IToken }).previousToken;
    const { code, message } = missingSeparator(decode(error.message), error.token, previous);
    return { code, severity: diagnosticDef(code).severity, message, range: errorRange(error.token, previous, textLength) };
  });
}

/** Tokens that can start a value: what follows a forgotten comma in `dense(x 4)` or `[1 2]`. */
const VALUE_STARTS: readonly TokenType[] = [Identifier, NumberLiteral, StringLiteral, LBracket, LParen, True, False, Minus];

/**
 * `dense(x 4)` is far more often a forgotten comma than a forgotten `)`: when a closing bracket was
 * expected but a value follows on the same line, the message offers the comma first.
 */
function missingSeparator(
  error: CodedMessage,
  found: IToken | undefined,
  previous: IToken | undefined,
): CodedMessage {
  const closesList = error.code === 'NN1011' && /^expected '[)\]]'/.test(error.message);
  if (!closesList || !isRealToken(found) || !isRealToken(previous) || previous.endLine !== found.startLine) return error;
  if (!VALUE_STARTS.some((type) => tokenMatcher(found, type))) return error;
  return { code: 'NN1010', message: `expected ',' before ${quoteToken(found.image)}, or ${error.message.slice('expected '.length)}` };
}

const PARSE_ERROR_CODES = new Set(['NN1010', 'NN1011', 'NN1012', 'NN1013']);
/** Lexical errors that leave the parser a garbled line: a dropped character, a string that ate the line's end. */
const LINE_BREAKING_LEX_CODES = new Set(['NN1001', 'NN1002']);

/**
 * Drops parse errors that are echoes of a lexical error already reported: in `dense(x $ 4)` the
 * `$` is reported, and the parser, which never saw it, should not add "expected ')'" at the `4`.
 * A parse error is an echo when it is on the same line as such a lexical error, or when a rejected
 * character lies in the gap between the tokens around it (an error moved to the previous line).
 */
export function withoutLexErrorEchoes(
  diagnostics: readonly Diagnostic[],
  lexDiagnostics: readonly Diagnostic[],
  tokens: readonly IToken[],
  text: string,
): Diagnostic[] {
  const breaking = lexDiagnostics.filter((d) => LINE_BREAKING_LEX_CODES.has(d.code)).map((d) => d.range.start);
  if (breaking.length === 0) return [...diagnostics];
  breaking.sort((a, b) => a - b);
  const lines = new LineMap(text);
  const brokenLines = new Set(breaking.map((offset) => lines.position(offset).line));
  return diagnostics.filter((d) => {
    if (!PARSE_ERROR_CODES.has(d.code)) return true;
    if (brokenLines.has(lines.position(d.range.start).line)) return false;
    const next = firstAtOrAfter(tokens, d.range.start, (t) => t.startOffset);
    const gapStart = next > 0 ? endOffset(tokens[next - 1]!) : 0;
    const gapEnd = next < tokens.length ? tokens[next]!.startOffset : Infinity;
    const firstBreak = breaking[firstAtOrAfter(breaking, gapStart, (offset) => offset)];
    return firstBreak === undefined || firstBreak >= gapEnd;
  });
}

function endOffset(token: IToken): number {
  return token.startOffset + token.image.length;
}

/** Binary search: the index of the first item whose key is at least `offset` (items sorted by key). */
function firstAtOrAfter<T>(items: readonly T[], offset: number, key: (item: T) => number): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (key(items[mid]!) < offset) low = mid + 1;
    else high = mid;
  }
  return low;
}
