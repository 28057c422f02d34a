import { createToken, Lexer, type TokenType } from 'chevrotain';

/**
 * The .nnet token vocabulary and its Chevrotain lexer (see docs/language.md, "Lexical structure").
 *
 * Order matters to Chevrotain: the first pattern that matches wins, so longer forms come before
 * their prefixes (`|>` before nothing, a terminated string before an unterminated one) and keywords
 * come before `Identifier` (each keyword names `Identifier` as its `longer_alt`, so `models` is a name).
 */

/**
 * Every real token belongs to this category. The parser's statement loops consume a token of this
 * category when nothing valid can start there, so a stray token becomes one "unexpected ..."
 * diagnostic and parsing carries on with the next statement.
 */
export const AnyToken = createToken({ name: 'AnyToken', pattern: Lexer.NA });

function token(config: Parameters<typeof createToken>[0]): TokenType {
  return createToken({ ...config, categories: [AnyToken, ...((config.categories as TokenType[]) ?? [])] });
}

// --- Trivia: whitespace is skipped; comments go to their own group so they reach `file.comments`.
/** Also a byte-order mark and no-break spaces, which editors and web pages slip into text. */
const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n\f\v\u00a0\ufeff]+/, group: Lexer.SKIPPED, line_breaks: true });
export const LineComment = createToken({ name: 'LineComment', pattern: /\/\/[^\r\n]*/, group: 'comments' });
const BlockComment = createToken({ name: 'BlockComment', pattern: /\/\*[\s\S]*?\*\//, group: 'comments', line_breaks: true });
/** `/*` with no closing `*\/`: the rest of the file is the comment, and the lexer reports it. */
export const UnterminatedBlockComment = createToken({
  name: 'UnterminatedBlockComment',
  pattern: /\/\*[\s\S]*/,
  group: 'comments',
  line_breaks: true,
});

// --- Literals.
/** Category of both string forms, so the parser treats an unterminated string as a string. */
export const StringLiteral = createToken({ name: 'StringLiteral', pattern: Lexer.NA, label: 'a string' });
export const TerminatedString = token({ name: 'TerminatedString', pattern: /"(?:[^"\\\r\n]|\\.)*"/, categories: [StringLiteral] });
/** A string that reaches the end of its line without a closing quote; reported by the lexer step. */
export const UnterminatedString = token({ name: 'UnterminatedString', pattern: /"(?:[^"\\\r\n]|\\.)*\\?/, categories: [StringLiteral] });
/** Digits, optional fraction, optional exponent. `1e` lexes as one malformed number, reported later. */
export const NumberLiteral = token({ name: 'NumberLiteral', pattern: /\d+(?:\.\d+)?(?:[eE][+-]?\d*)?/, label: 'a number' });

// --- Names and keywords.
export const Identifier = token({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_]*/, label: 'a name' });

function keyword(word: string): TokenType {
  const name = word[0]!.toUpperCase() + word.slice(1);
  return token({ name, pattern: new RegExp(word), longer_alt: Identifier, label: `'${word}'` });
}

export const Model = keyword('model');
export const Block = keyword('block');
export const Gan = keyword('gan');
export const Input = keyword('input');
export const Output = keyword('output');
export const Let = keyword('let');
export const Return = keyword('return');
export const Train = keyword('train');
export const True = keyword('true');
export const False = keyword('false');
/** Every keyword (grammar/keyword-names.ts reads one written where a name belongs as that name). */
export const KEYWORDS: ReadonlySet<TokenType> = new Set([Model, Block, Gan, Input, Output, Let, Return, Train, True, False]);

// --- Punctuation and operators.
function punctuation(name: string, text: string, categories: TokenType[] = []): TokenType {
  const escaped = text.replace(/[|{}()[\]+*/-]/g, (c) => `\\${c}`);
  return token({ name, pattern: new RegExp(escaped), label: `'${text}'`, categories });
}

/** The arithmetic operators' category, so a chain `a + b * c` keeps its operators in one ordered list. */
export const BinaryOperator = createToken({ name: 'BinaryOperator', pattern: Lexer.NA });

export const Pipe = punctuation('Pipe', '|>');
export const LBrace = punctuation('LBrace', '{');
export const RBrace = punctuation('RBrace', '}');
export const LParen = punctuation('LParen', '(');
export const RParen = punctuation('RParen', ')');
export const LBracket = punctuation('LBracket', '[');
export const RBracket = punctuation('RBracket', ']');
export const Comma = punctuation('Comma', ',');
export const Colon = punctuation('Colon', ':');
export const Equals = punctuation('Equals', '=');
export const Plus = punctuation('Plus', '+', [BinaryOperator]);
export const Minus = punctuation('Minus', '-', [BinaryOperator]);
export const Star = punctuation('Star', '*', [BinaryOperator]);
export const Slash = punctuation('Slash', '/', [BinaryOperator]);

/** Keywords that begin a top-level declaration: statement loops stop at them (a likely missing `}`). */
export const DECLARATION_KEYWORDS: readonly TokenType[] = [Model, Block, Gan];
/** Keywords that begin a model statement. */
export const MODEL_STATEMENT_KEYWORDS: readonly TokenType[] = [Input, Output, Let, Train];

/** Lexer order: trivia, literals, keywords, identifiers, punctuation (longest first). */
export const ALL_TOKENS: readonly TokenType[] = [
  WhiteSpace,
  LineComment,
  BlockComment,
  UnterminatedBlockComment,
  StringLiteral,
  TerminatedString,
  UnterminatedString,
  NumberLiteral,
  Model,
  Block,
  Gan,
  Input,
  Output,
  Let,
  Return,
  Train,
  True,
  False,
  Identifier,
  Pipe,
  LBrace,
  RBrace,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Comma,
  Colon,
  Equals,
  Plus,
  Minus,
  Star,
  Slash,
  AnyToken,
  BinaryOperator,
];

/** The one lexer instance (Chevrotain lexers are stateless between `tokenize` calls). */
export const nnetLexer = new Lexer(ALL_TOKENS as TokenType[], {
  positionTracking: 'full',
  ensureOptimizations: true,
});
