import type { IToken } from 'chevrotain';
import type { Diagnostic } from '../diagnostics/types.js';
import { makeDiagnostic } from '../diagnostics/make.js';
import { quoteToken } from './quote-token.js';
import { BinaryOperator, Colon, Comma, Equals, False, Identifier, Input, KEYWORDS, LBracket, Let, LParen, Output, Pipe, True } from './tokens.js';

/** Tokens after which a name is a value being read (`dense(train, 2)`, `x |> train`, `= train`). */
const BEFORE_A_VALUE = new Set([LParen, LBracket, Comma, Equals, Pipe]);

/**
 * A keyword written where a statement declares a name — `output train = dense(h, 2)`,
 * `input model: [batch, 4]`, `train = dense(x, 4)` — is reported once (NN1010) and then read as
 * that name, so the statement is still parsed and checked. Without this the parser would read
 * `train` as the start of a train section and every later check would see a model without the
 * statement: "no output", "input never used", unknown train settings, a missing `}`.
 *
 * A keyword is taken as a name only where nothing else can follow it: right before `=` (no
 * statement has a keyword there, except `output =` and `let =`, which lack their name), or after
 * `input` and right before `:`. Once declared so, the keyword is also read as that name where a
 * value is read (`dense(train, 2)`), without a second report. Retyping happens on the tokens,
 * before the parser, so the grammar keeps one rule per statement.
 */
export function keywordsAsNames(tokens: IToken[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const declaredWords = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (!KEYWORDS.has(token.tokenType)) continue;
    const previous = tokens[i - 1]?.tokenType;
    const next = tokens[i + 1]?.tokenType;
    const declared =
      (next === Equals && token.tokenType !== Output && token.tokenType !== Let) || (next === Colon && previous === Input);
    const read =
      declaredWords.has(token.image) && token.tokenType !== True && token.tokenType !== False &&
      previous !== undefined && (BEFORE_A_VALUE.has(previous) || previous.CATEGORIES?.includes(BinaryOperator) === true);
    if (read) asName(token);
    if (!declared) continue;
    declaredWords.add(token.image);
    const diagnostic = makeDiagnostic('NN1010', [`a name${previous === Output || previous === Input || previous === Let ? ` after ${quoteToken(tokens[i - 1]!.image)}` : ''}, not the keyword ${quoteToken(token.image)}`], {
      start: token.startOffset,
      end: token.startOffset + token.image.length,
    });
    diagnostic.fix = { title: `Rename it to '${token.image}_'`, edits: [{ range: diagnostic.range, newText: `${token.image}_` }] };
    diagnostics.push(diagnostic);
    asName(token);
  }
  return diagnostics;
}

function asName(token: IToken): void {
  token.tokenType = Identifier;
  token.tokenTypeIdx = Identifier.tokenTypeIdx!;
}
