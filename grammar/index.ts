import type { FileNode } from './ast.js';
import type { Diagnostic } from '../diagnostics/types.js';
import { buildAst } from './build-ast.js';
import { keywordsAsNames } from './keyword-names.js';
import { lex } from './lex.js';
import {
  checkFileSize,
  limitExpressionDepth,
  MAX_EXPRESSION_DEPTH,
  MAX_PARSE_ERRORS,
  MAX_SYNTAX_DIAGNOSTICS,
  scanNesting,
} from './limits.js';
import { makeDiagnostic } from '../diagnostics/make.js';
import { discardSharedParser, sharedParser } from './parser.js';
import { parseErrorsToDiagnostics, withoutLexErrorEchoes } from './syntax-errors.js';


export interface ParseResult {
  file: FileNode;
  diagnostics: Diagnostic[];
}

/**
 * Parses .nnet text into an AST, whatever the text: every problem is a diagnostic (NN1xxx syntax,
 * NN4xxx limits), the AST is always complete enough to walk, and this function never throws.
 */
export function parse(text: string): ParseResult {
  try {
    return parseText(text);
  } catch (error) {
    // A bug in the front end must not take the CLI or the language server down with it.
    discardSharedParser();
    const reason = error instanceof RangeError ? 'the input nests too deeply' : String(error);
    return { file: emptyFile(text), diagnostics: [makeDiagnostic('NN4004', [reason], { start: 0, end: 0 })] };
  }
}

function parseText(text: string): ParseResult {
  const tooLarge = checkFileSize(text);
  if (tooLarge) return { file: emptyFile(text), diagnostics: [tooLarge] };

  const { tokens, comments, diagnostics: lexDiagnostics } = lex(text);
  const { tooDeep, expressionDepthBound } = scanNesting(tokens);
  if (tooDeep) {
    const file = emptyFile(text);
    file.comments = comments;
    return { file, diagnostics: finish([...lexDiagnostics, tooDeep]) };
  }

  const keywordNames = keywordsAsNames(tokens);
  const parser = sharedParser();
  parser.input = tokens;
  const cst = parser.file();
  const parseErrors = parser.errors;
  const parseDiagnostics = parseErrorsToDiagnostics(parseErrors, text.length);
  const { file, diagnostics: builderDiagnostics } = buildAst(cst, text.length);
  file.comments = comments;
  const depthDiagnostic = expressionDepthBound > MAX_EXPRESSION_DEPTH ? limitExpressionDepth(file) : undefined;

  const all = [...lexDiagnostics, ...keywordNames, ...withoutLexErrorEchoes([...parseDiagnostics, ...builderDiagnostics], lexDiagnostics, tokens, text)];
  if (depthDiagnostic) all.push(depthDiagnostic);
  const diagnostics = finish(all);
  if (parseErrors.length >= MAX_PARSE_ERRORS && diagnostics.at(-1)?.code !== 'NN4003') {
    // The parser gave up early although fewer errors survived filtering: still say so.
    diagnostics.push(makeDiagnostic('NN4003', [diagnostics.length], { start: text.length, end: text.length }));
  }
  return { file, diagnostics };
}

/**
 * Document order, at most one diagnostic per position (the first reported wins: lexer, then parser,
 * then AST builder), and at most MAX_SYNTAX_DIAGNOSTICS of them.
 */
function finish(diagnostics: Diagnostic[]): Diagnostic[] {
  const ordered = diagnostics
    .map((d, index) => ({ d, index }))
    .sort((a, b) => a.d.range.start - b.d.range.start || a.index - b.index);
  const result: Diagnostic[] = [];
  let lastStart = -1;
  for (const { d } of ordered) {
    if (d.range.start === lastStart) continue;
    lastStart = d.range.start;
    if (result.length === MAX_SYNTAX_DIAGNOSTICS) {
      result.push(makeDiagnostic('NN4003', [MAX_SYNTAX_DIAGNOSTICS], d.range));
      break;
    }
    result.push(d);
  }
  return result;
}

function emptyFile(text: string): FileNode {
  return { kind: 'File', decls: [], comments: [], range: { start: 0, end: text.length } };
}
