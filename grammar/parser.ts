import { CstParser, EMPTY_ALT, EOF, type IToken, type TokenType } from 'chevrotain';
import {
  ALL_TOKENS,
  AnyToken,
  BinaryOperator,
  Block,
  Colon,
  Comma,
  DECLARATION_KEYWORDS,
  Equals,
  False,
  Gan,
  Identifier,
  Input,
  LBrace,
  LBracket,
  LParen,
  Let,
  MODEL_STATEMENT_KEYWORDS,
  Minus,
  Model,
  NumberLiteral,
  Output,
  Pipe,
  RBrace,
  RBracket,
  RParen,
  Return,
  StringLiteral,
  Train,
  True,
} from './tokens.js';
import { MAX_PARSE_ERRORS, MAX_TUPLE_NAMES } from './limits.js';
import { closingMessage, syntaxErrorMessages } from './syntax-errors.js';

/**
 * The .nnet parser: the grammar of docs/language.md as Chevrotain rules, producing a CST that
 * grammar/build-ast.ts turns into the AST.
 *
 * Error recovery has two layers. Chevrotain's own (single-token insertion/deletion, re-sync at the
 * follow set of an enclosing rule) repairs small mistakes inside a statement. Every statement loop
 * also has a last-resort alternative that consumes one stray token (labelled `junk`), so the loop
 * never gives up on the rest of a body; the AST builder reports each run of stray tokens once.
 * Loops stop at `}` and at the keywords that start a declaration, which is where a missing `}` is
 * most likely to have been.
 *
 * Statements are not newline-terminated, with two exceptions that keep common layouts unambiguous:
 * a setting's first value and an input's dtype must be on the same line as what they follow. An
 * assignment is recognised by `name =` (two tokens), so a stray word is one "unexpected" error
 * rather than a guess at a missing `=` that would swallow the next statement; `a, b =` likewise
 * starts a tuple assignment (`assignmentAhead`).
 */
export class NnetParser extends CstParser {
  constructor() {
    super(ALL_TOKENS as TokenType[], {
      recoveryEnabled: true,
      maxLookahead: 3,
      nodeLocationTracking: 'onlyOffset',
      errorMessageProvider: syntaxErrorMessages,
    });
    this.performSelfAnalysis();
  }

  // ---------------------------------------------------------------------------------------------
  // Declarations
  // ---------------------------------------------------------------------------------------------

  file = this.RULE('file', () => {
    this.MANY({
      GATE: () => this.withinErrorBudget(),
      MAX_LOOKAHEAD: 1,
      DEF: () =>
        this.OR({
          MAX_LOOKAHEAD: 1,
          DEF: [
            { ALT: () => this.SUBRULE(this.modelDecl) },
            // `shared block ...`: `shared` is a word only there, so it stays free as a name.
            { GATE: () => this.LA(1).tokenType === Block || this.sharedBlockAhead(), ALT: () => this.SUBRULE(this.blockDecl) },
            { ALT: () => this.SUBRULE(this.ganDecl) },
            { ALT: () => this.SUBRULE(this.letDecl) },
            { ALT: () => this.CONSUME(AnyToken, { LABEL: 'junk' }), IGNORE_AMBIGUITIES: true },
          ],
        }),
    });
  });

  modelDecl = this.RULE('modelDecl', () => {
    const keyword = this.CONSUME(Model);
    const name = this.CONSUME(Identifier);
    const open = this.CONSUME(LBrace);
    this.MANY({
      GATE: () => this.bodyContinues([]),
      MAX_LOOKAHEAD: 1,
      DEF: () =>
        this.OR({
          MAX_LOOKAHEAD: 1,
          DEF: [
            { ALT: () => this.SUBRULE(this.inputDecl) },
            { ALT: () => this.SUBRULE(this.outputDecl) },
            { ALT: () => this.SUBRULE(this.letDecl) },
            { ALT: () => this.SUBRULE(this.trainSection) },
            { GATE: () => this.assignmentAhead(), ALT: () => this.SUBRULE(this.assignment) },
            { ALT: () => this.CONSUME(AnyToken, { LABEL: 'junk' }), IGNORE_AMBIGUITIES: true },
          ],
        }),
    });
    this.CONSUME(RBrace, { ERR_MSG: closingMessage('}', `model ${name.image}`, open, keyword) });
  });

  blockDecl = this.RULE('blockDecl', () => {
    this.OPTION3({ GATE: () => this.sharedBlockAhead(), DEF: () => this.CONSUME2(Identifier, { LABEL: 'shared' }) });
    this.CONSUME(Block);
    const name = this.CONSUME(Identifier);
    const openParams = this.CONSUME(LParen);
    this.OPTION(() => {
      this.SUBRULE(this.param);
      this.MANY({
        MAX_LOOKAHEAD: 1,
        GATE: () => this.LA(2).tokenType !== RParen,
        DEF: () => {
          this.CONSUME(Comma);
          this.SUBRULE2(this.param);
        },
      });
      this.OPTION2(() => this.CONSUME2(Comma));
    });
    this.CONSUME(RParen, { ERR_MSG: closingMessage(')', `the parameters of block ${name.image}`, openParams) });
    const openBody = this.CONSUME(LBrace);
    this.MANY2({
      GATE: () => this.bodyContinues([]),
      MAX_LOOKAHEAD: 1,
      DEF: () =>
        this.OR({
          MAX_LOOKAHEAD: 1,
          DEF: [
            { GATE: () => this.assignmentAhead(), ALT: () => this.SUBRULE(this.assignment) },
            { ALT: () => this.SUBRULE(this.letDecl) },
            { ALT: () => this.SUBRULE(this.returnStmt) },
            { ALT: () => this.CONSUME(AnyToken, { LABEL: 'junk' }), IGNORE_AMBIGUITIES: true },
          ],
        }),
    });
    this.CONSUME(RBrace, { ERR_MSG: closingMessage('}', `block ${name.image}`, openBody) });
  });

  param = this.RULE('param', () => {
    this.CONSUME(Identifier);
    this.OPTION(() => {
      this.CONSUME(Equals);
      this.SUBRULE(this.expression);
    });
  });

  ganDecl = this.RULE('ganDecl', () => {
    const keyword = this.CONSUME(Gan);
    const name = this.CONSUME(Identifier);
    const open = this.CONSUME(LBrace);
    this.MANY({
      GATE: () => this.bodyContinues([]),
      MAX_LOOKAHEAD: 1,
      DEF: () =>
        this.OR({
          MAX_LOOKAHEAD: 1,
          DEF: [
            { ALT: () => this.SUBRULE(this.trainSection) },
            { ALT: () => this.SUBRULE(this.setting) },
            { ALT: () => this.CONSUME(AnyToken, { LABEL: 'junk' }), IGNORE_AMBIGUITIES: true },
          ],
        }),
    });
    this.CONSUME(RBrace, { ERR_MSG: closingMessage('}', `gan ${name.image}`, open, keyword) });
  });

  letDecl = this.RULE('letDecl', () => {
    this.CONSUME(Let);
    this.CONSUME(Identifier);
    this.CONSUME(Equals);
    this.SUBRULE(this.expression);
  });

  // ---------------------------------------------------------------------------------------------
  // Model and block statements
  // ---------------------------------------------------------------------------------------------

  inputDecl = this.RULE('inputDecl', () => {
    this.CONSUME(Input);
    this.CONSUME(Identifier);
    this.CONSUME(Colon);
    this.SUBRULE(this.list, { LABEL: 'shape', ARGS: ['the shape'] });
    this.OPTION({
      // `input x: [3] int`, but not the start of the next statement `h = ...` or of the next line.
      GATE: () => !this.assignmentAhead(false) && this.onSameLine(this.LA(0), this.LA(1)),
      DEF: () => this.CONSUME2(Identifier, { LABEL: 'dtype' }),
    });
  });

  outputDecl = this.RULE('outputDecl', () => {
    this.CONSUME(Output);
    this.CONSUME(Identifier);
    this.OPTION(() => {
      this.CONSUME(Equals);
      this.SUBRULE(this.expression);
    });
  });

  /** `h = value`, or `mu, logvar = split(...)`: several names take the parts of a split. */
  assignment = this.RULE('assignment', () => {
    this.CONSUME(Identifier);
    this.MANY(() => {
      this.CONSUME(Comma);
      this.CONSUME2(Identifier);
    });
    this.CONSUME(Equals);
    this.SUBRULE(this.expression);
  });

  returnStmt = this.RULE('returnStmt', () => {
    this.CONSUME(Return);
    this.SUBRULE(this.expression);
  });

  trainSection = this.RULE('trainSection', () => {
    const keyword = this.CONSUME(Train);
    const open = this.CONSUME(LBrace);
    this.MANY({
      GATE: () => this.bodyContinues(MODEL_STATEMENT_KEYWORDS),
      MAX_LOOKAHEAD: 1,
      DEF: () =>
        this.OR({
          MAX_LOOKAHEAD: 1,
          DEF: [
            { ALT: () => this.SUBRULE(this.setting) },
            { ALT: () => this.CONSUME(AnyToken, { LABEL: 'junk' }), IGNORE_AMBIGUITIES: true },
          ],
        }),
    });
    this.CONSUME(RBrace, { ERR_MSG: closingMessage('}', 'the train section', open, keyword) });
  });

  /**
   * `early_stopping(monitor: val_loss)` (a call used as a statement), `epochs 10`,
   * `metrics accuracy, mae`, or a bare key. Values start on the key's line and continue only after
   * a comma, so `epochs 10  batch 128` is two settings.
   */
  setting = this.RULE('setting', () => {
    const key = this.CONSUME(Identifier);
    this.OR({
      MAX_LOOKAHEAD: 1,
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { GATE: () => this.LA(1).tokenType === LParen, ALT: () => this.SUBRULE(this.argList, { ARGS: [key] }) },
        {
          GATE: () => this.onSameLine(key, this.LA(1)),
          ALT: () => {
            this.SUBRULE(this.expression);
            this.MANY({
              MAX_LOOKAHEAD: 1,
              DEF: () => {
                this.CONSUME(Comma);
                this.SUBRULE2(this.expression);
              },
            });
          },
        },
        { ALT: EMPTY_ALT() },
      ],
    });
  });

  // ---------------------------------------------------------------------------------------------
  // Expressions
  // ---------------------------------------------------------------------------------------------

  /**
   * `operand (operator operand)* ('|>' stage)*`; a stage is a name or a call. Operator precedence
   * (`*` and `/` bind tighter than `+` and `-`) is applied by the AST builder: one flat rule keeps
   * the parser's recursion and the CST shallow (two rule levels per nested value instead of five),
   * which matters for speed and for how deeply brackets may nest.
   */
  expression = this.RULE('expression', () => {
    this.SUBRULE(this.operand);
    this.MANY(() => {
      this.CONSUME(BinaryOperator);
      this.SUBRULE2(this.operand);
    });
    this.MANY2(() => {
      this.CONSUME(Pipe);
      this.OR2({
        ERR_MSG: 'an op name or call',
        DEF: [
          // As in `operand`: `name =` on the next line is the next statement, not a stage.
          { GATE: () => !this.nextStatementAhead(), ALT: () => this.SUBRULE(this.nameOrCall, { LABEL: 'stage' }) },
        ],
      });
    });
  });

  /** A value with any number of leading minus signs (a loop: `- - x` does not recurse per sign). */
  operand = this.RULE('operand', () => {
    this.MANY(() => this.CONSUME(Minus));
    this.OR({
      ERR_MSG: 'a value',
      MAX_LOOKAHEAD: 1,
      DEF: [
        { ALT: () => this.CONSUME(NumberLiteral) },
        { ALT: () => this.CONSUME(StringLiteral) },
        { ALT: () => this.CONSUME(True) },
        { ALT: () => this.CONSUME(False) },
        // `name =` (or `a, b =`) starts the next statement, never a value: `q =` then `r = f(x)` on
        // the next line is a missing value, not `q = r`.
        { GATE: () => !this.nextStatementAhead(), ALT: () => this.SUBRULE(this.nameOrCall) },
        { ALT: () => this.SUBRULE(this.list, { ARGS: ['the list'] }) },
        { ALT: () => this.SUBRULE(this.parenthesized) },
      ],
    });
    // `x[:, 0]`: an index binds tighter than the minus signs. Its `[` is on the line of the value, so
    // a list on the next line is never read as an index.
    this.MANY2({
      GATE: () => this.onSameLine(this.LA(0), this.LA(1)),
      DEF: () => this.SUBRULE(this.index),
    });
  });

  /** `[i, a:b, a:b:c, :]`: one item per axis from the first, with an optional trailing comma. */
  index = this.RULE('index', () => {
    const open = this.CONSUME(LBracket);
    this.SUBRULE(this.indexItem);
    this.MANY({
      MAX_LOOKAHEAD: 1,
      GATE: () => this.LA(2).tokenType !== RBracket,
      DEF: () => {
        this.CONSUME(Comma);
        this.SUBRULE2(this.indexItem);
      },
    });
    this.OPTION(() => this.CONSUME2(Comma));
    this.CONSUME(RBracket, { ERR_MSG: closingMessage(']', 'the index', open) });
  });

  /** An index (`0`, `-1`) or a slice `start:stop:step` whose parts may each be left out (`:`, `1:`, `::-1`). */
  indexItem = this.RULE('indexItem', () => {
    this.OPTION(() => this.SUBRULE(this.expression, { LABEL: 'start' }));
    this.OPTION2(() => {
      this.CONSUME(Colon, { LABEL: 'first' });
      this.OPTION3(() => this.SUBRULE2(this.expression, { LABEL: 'stop' }));
      this.OPTION4(() => {
        this.CONSUME2(Colon, { LABEL: 'second' });
        this.OPTION5(() => this.SUBRULE3(this.expression, { LABEL: 'step' }));
      });
    });
  });

  /** `relu` or `dense(10, relu)`: a primary, and a pipeline stage. */
  nameOrCall = this.RULE('nameOrCall', () => {
    const callee = this.CONSUME(Identifier);
    this.OPTION(() => this.SUBRULE(this.argList, { ARGS: [callee] }));
  });

  argList = this.RULE('argList', (callee?: IToken) => {
    const open = this.CONSUME(LParen);
    this.OPTION(() => {
      this.SUBRULE(this.argument);
      this.MANY({
        MAX_LOOKAHEAD: 1,
        GATE: () => this.LA(2).tokenType !== RParen,
        DEF: () => {
          this.CONSUME(Comma);
          this.SUBRULE2(this.argument);
        },
      });
      this.OPTION2(() => this.CONSUME2(Comma));
    });
    const what = callee === undefined ? 'the argument list' : `the call to ${callee.image}`;
    this.CONSUME(RParen, { ERR_MSG: closingMessage(')', what, open) });
  });

  /** `value` or `name: value`. */
  argument = this.RULE('argument', () => {
    this.OPTION({
      GATE: () => this.LA(2).tokenType === Colon,
      DEF: () => {
        this.CONSUME(Identifier, { LABEL: 'name' });
        this.CONSUME(Colon);
      },
    });
    this.SUBRULE(this.expression);
  });

  /** `[a, b, c]` with an optional trailing comma; also an input's shape. */
  list = this.RULE('list', (what?: string) => {
    const open = this.CONSUME(LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.expression);
      this.MANY({
        MAX_LOOKAHEAD: 1,
        GATE: () => this.LA(2).tokenType !== RBracket,
        DEF: () => {
          this.CONSUME(Comma);
          this.SUBRULE2(this.expression);
        },
      });
      this.OPTION2(() => this.CONSUME2(Comma));
    });
    this.CONSUME(RBracket, { ERR_MSG: closingMessage(']', what ?? 'the list', open) });
  });

  parenthesized = this.RULE('parenthesized', () => {
    const open = this.CONSUME(LParen);
    this.SUBRULE(this.expression);
    this.CONSUME(RParen, { ERR_MSG: closingMessage(')', 'the parenthesis', open) });
  });

  // ---------------------------------------------------------------------------------------------
  // Lookahead helpers (used in gates only, never during grammar recording)
  // ---------------------------------------------------------------------------------------------

  /** Whether a `{ ... }` body goes on: not at its `}`, the end of input or a new declaration. */
  private bodyContinues(alsoStopAt: readonly TokenType[]): boolean {
    const next = this.LA(1).tokenType;
    return (
      next !== RBrace &&
      next !== EOF &&
      !DECLARATION_KEYWORDS.includes(next) &&
      !alsoStopAt.includes(next) &&
      this.withinErrorBudget()
    );
  }

  /**
   * `name =` or `a, b, c =`: the start of an assignment. A tuple target is names separated by commas
   * and followed by `=`; anything else after a comma (`concat(a, b)`) is not one. The scan reads
   * past maxLookahead, but only names and commas: it stops at the latest at a declaration's `}`,
   * so it never sees beyond the declaration it is in (which grammar/reparse.ts relies on).
   */
  private assignmentAhead(atLimit = true): boolean {
    if (this.LA(1).tokenType !== Identifier) return false;
    const second = this.LA(2).tokenType;
    if (second === Equals) return true;
    if (second !== Comma) return false;
    // Bounded, so that asking at every name of a long list stays linear. At a statement's start a
    // list that reaches the bound is taken as an assignment (its names are then too many, NN4007,
    // and the list is read once); inside an expression (`atLimit` false) it is not.
    for (let k = 3; k < 2 * MAX_TUPLE_NAMES; k += 2) {
      // `a, = ...`: a name left out before `=` is still a tuple target; the rule reports the gap.
      if (this.LA(k).tokenType === Equals) return true;
      if (this.LA(k).tokenType !== Identifier) return false;
      const next = this.LA(k + 1).tokenType;
      if (next === Equals) return true;
      if (next !== Comma) return false;
    }
    return atLimit;
  }

  /**
   * Inside an expression, where a value was expected: `name =`, or a tuple target `a, b =` at the
   * start of a line, is the next statement. Only a name that starts a line is scanned for a tuple,
   * so the names of `concat(a, b, c)` cost one look each.
   */
  private nextStatementAhead(): boolean {
    if (this.LA(2).tokenType === Equals) return true;
    return this.LA(2).tokenType === Comma && !this.onSameLine(this.LA(0), this.LA(1)) && this.assignmentAhead(false);
  }

  /** `shared block`: the word `shared` right before the keyword `block`. */
  private sharedBlockAhead(): boolean {
    const first = this.LA(1);
    return first.tokenType === Identifier && first.image === 'shared' && this.LA(2).tokenType === Block;
  }

  /**
   * False once the input has produced more errors than are ever reported: statement loops then
   * stop, so token soup costs time in proportion to the errors shown, not to its length (each
   * Chevrotain error is expensive, and a soup can have one every few tokens).
   */
  private withinErrorBudget(): boolean {
    return this.errors.length < MAX_PARSE_ERRORS;
  }

  private onSameLine(before: IToken, after: IToken): boolean {
    return after.tokenType !== EOF && before.endLine === after.startLine;
  }
}

let shared: NnetParser | undefined;

/** The one parser instance: Chevrotain parsers are built once and reused by resetting `input`. */
export function sharedParser(): NnetParser {
  shared ??= new NnetParser();
  return shared;
}

/**
 * Drops the shared instance after an unexpected exception (a stack overflow, a bug) escaped from
 * it: Chevrotain's internal rule stack may be left inconsistent, so the next parse gets a new one.
 */
export function discardSharedParser(): void {
  shared = undefined;
}
