import type { DiagnosticDef } from './types.js';

/**
 * Syntax diagnostics (NN1xxx), reported by grammar/ while lexing, parsing and building the AST,
 * and the front end's limits (NN4xxx), which stop a pathological input before it can exhaust time
 * or the stack. The parser recovers after every NN1xxx error and reports the next one; it never
 * reports two errors at the same position.
 */
export const SYNTAX_DIAGNOSTICS = [
  // --- Lexical errors.
  {
    code: 'NN1001',
    severity: 'error',
    template: 'unexpected character {0}',
    explanation:
      'The character cannot start any token of the language (names, numbers, strings, `|>`, brackets, `, : = + - * /`). Delete it; a lone `|` is probably a pipe, written `|>`.',
  },
  {
    code: 'NN1002',
    severity: 'error',
    template: 'unterminated string: add a closing \'"\' before the end of the line',
    explanation: 'A string starts with `"` and must end with `"` on the same line. Write a quote inside a string as `\\"`.',
  },
  {
    code: 'NN1003',
    severity: 'error',
    template: "unterminated block comment: '/*' needs a closing '*/'",
    explanation: 'A `/*` comment runs to the next `*/`; without one it swallows the rest of the file. Block comments do not nest.',
  },
  {
    code: 'NN1004',
    severity: 'error',
    template: 'unknown escape sequence {0} in a string',
    explanation: 'Strings understand the escapes `\\"`, `\\\\`, `\\n` and `\\t`. Write a backslash as `\\\\`.',
  },
  {
    code: 'NN1005',
    severity: 'error',
    template: "malformed number '{0}': the exponent needs digits, as in '1e-3'",
    explanation: 'A number with an exponent marker `e` must have digits after it (and an optional sign): `1e-3`, `2.5E+4`.',
  },
  {
    code: 'NN1006',
    severity: 'error',
    template: "number '{0}' is too large to represent",
    explanation: 'The literal is beyond the range of a 64-bit float (about 1.8e308) and would become infinity.',
  },
  // --- Parse errors.
  {
    code: 'NN1010',
    severity: 'error',
    template: 'expected {0}',
    explanation:
      'A required token is missing, such as the `:` between an input and its shape, or the `=` of an assignment. The parser assumes it is there and goes on. A keyword where a name is declared (`output train = ...`) is reported here once and then read as that name, so the rest of the model is checked as written; rename it (`train_`).',
  },
  {
    code: 'NN1011',
    severity: 'error',
    template: "expected '{0}' to close {1} opened at {2}",
    explanation:
      'A bracket `(`, `[` or `{` has no matching closing bracket. The message names where it was opened; add the closing bracket where the construct ends.',
  },
  {
    code: 'NN1012',
    severity: 'error',
    template: 'expected {0}',
    explanation:
      'A value (a number, name, call, list, string, `true`/`false` or parenthesised expression) is required here, for example after `=`, after a `,` in a list or as an argument.',
  },
  {
    code: 'NN1013',
    severity: 'error',
    template: 'unexpected {0} {1}',
    explanation:
      'The token cannot start a declaration or statement here. The parser skips to the next place a statement can start; the message says what may appear in this context.',
  },
  {
    code: 'NN1014',
    severity: 'error',
    template: 'positional argument after a named argument',
    explanation: 'In a call, positional arguments come first: write `dense(x, 10, relu, l2: 1e-4)`, not `dense(x, units: 10, relu)`.',
  },
  {
    code: 'NN1015',
    severity: 'error',
    template: "duplicate named argument '{0}'",
    explanation: 'A named argument may appear once per call. Remove one of them.',
  },
  {
    code: 'NN1016',
    severity: 'error',
    template: "unknown dtype '{0}': an input is 'f32' (the default) or 'int'",
    explanation: 'The word after an input\'s shape is its element type: `f32` for features (the default, may be left out) or `int` for labels and token ids.',
  },
  {
    code: 'NN1017',
    severity: 'error',
    template: "block '{0}' has no 'return' statement",
    explanation: 'A block ends with `return <value>`: the value it produces where it is used. Add it as the last line of the block body.',
  },
  {
    code: 'NN1018',
    severity: 'error',
    template: "statements after 'return' in block '{0}'",
    explanation: 'The `return` statement must be the last statement of a block; move it to the end.',
  },
  // --- Limits of the front end.
  {
    code: 'NN4001',
    severity: 'error',
    template: 'file is too large to check ({0}; the limit is {1})',
    explanation: 'The front end refuses files above 16 MiB rather than spend unbounded time and memory. Split the model, or load large weights from a file with `load(...)`.',
  },
  {
    code: 'NN4002',
    severity: 'error',
    template: 'nesting is too deep: more than {0} levels of {1}',
    explanation:
      'Brackets (calls, lists, parentheses) may nest at most 100 levels and an expression at most 512 nodes deep (a chain `a + b + ...` nests once per operator), so that no later stage can run out of stack. Name intermediate values with `let` or assignments.',
  },
  {
    code: 'NN4003',
    severity: 'error',
    template: 'too many syntax errors: stopped reporting after {0}',
    explanation: 'The file has so many syntax errors that the rest are not reported; it is probably not a .nnet file. Fix the first ones and check again.',
  },
  {
    code: 'NN4007',
    severity: 'error',
    template: 'too many names in one assignment: {0} (the limit is {1})',
    explanation: 'A tuple assignment (`a, b = split(...)`) takes at most 64 names: the parser looks that far ahead for its `=`, which keeps long lists of names cheap to parse. Split in two steps, or slice with indexing.',
  },
  {
    code: 'NN4004',
    severity: 'error',
    template: 'internal error in the parser ({0}); the file was not checked',
    explanation: 'A bug in nnet, not in the file: the parser failed instead of reporting a diagnostic. Please report it with the file that triggers it.',
  },
  // --- Files (files/guarded-files.ts).
  {
    code: 'NN4005',
    severity: 'error',
    template: 'cannot read {0}: {1}',
    explanation:
      'The file does not exist, is a folder, is not a regular file (a device such as `/dev/zero`, a pipe or a socket: nnet never reads those), is over the size limit, or cannot be opened. The message says which.',
  },
  {
    code: 'NN4006',
    severity: 'error',
    template: 'cannot write {0}: {1}',
    explanation:
      'An output path (`-o`, `--out`, `--plot`, `--checkpoint`) is refused before any work starts: it is a folder or a device, its folder cannot be created, or it is one of the command\'s own inputs (`nnet compile m.nnet -o m.nnet` would replace the model). Choose another path.',
  },
] as const satisfies readonly DiagnosticDef[];
