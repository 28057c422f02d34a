import { parse, type ParseResult } from '../grammar/index.js';
import { changedSpan, reparseAfterEdit } from '../grammar/reparse.js';
import type { CheckResult } from './api-types.js';
import { checkFile, type ReuseModelCheck } from './check/check-file.js';
import type { ModelCheck } from './check/model-check.js';
import { reusableChecks } from './check/reuse.js';
import { sortAndDeduplicate } from './check/reporter.js';
import { makeDiagnostic } from '../diagnostics/make.js';
import type { Diagnostic } from '../diagnostics/types.js';
import type { CallExpr, FileNode } from '../grammar/ast.js';
import { withoutSyntaxEchoes } from './syntax-echoes.js';

export type { CheckResult } from './api-types.js';
/** The back end, for the code lens's fused-kernel count (lsp/fused-groups.ts) and the CLI. */
export { compileModel } from './compile.js';

export interface CheckOptions {
  /** Path of the .nnet file, for resolving `load(...)` paths and `data` files relative to it. */
  path?: string;
}

/**
 * Parses and checks a .nnet document: syntax, names, blocks, shapes, the train sections and gans.
 * Never throws: every problem, including a bug in the checker, is a diagnostic.
 */
export function checkSource(text: string, options: CheckOptions = {}): CheckResult {
  return checkParsed(parse(text), text, options);
}

/** A document's previous text and its check, kept by an editor between edits. */
export interface PreviousCheck {
  text: string;
  result: CheckResult;
}

/**
 * The same result as `checkSource(text, options)`, computed faster after an edit. Parsing: when
 * the edit stays inside one model, block or gan, only that declaration is re-parsed
 * (grammar/reparse.ts). Checking: every model the edit did not touch, and that expands no edited
 * block, reuses its previous check with its ranges moved (compiler/check/reuse.ts); top-level
 * names, gans and unused blocks are always checked again. The language server calls this on
 * every change.
 */
export function checkSourceAfterEdit(text: string, previous: PreviousCheck, options: CheckOptions = {}): CheckResult {
  const previousSyntax = previous.result.diagnostics.filter((d) => d.code.startsWith('NN1') || d.code.startsWith('NN4'));
  const parsed = reparseAfterEdit(previous.text, { file: previous.result.file, diagnostics: previousSyntax }, text) ?? parse(text);
  const memo = modelChecks.get(previous.result);
  if (!memo || memo.path !== options.path) return checkParsed(parsed, text, options);
  const change = changedSpan(previous.text, text);
  if (!change) return checkParsed(parsed, text, options, (_, index) => memo.checks[index]);
  return checkParsed(parsed, text, options, reusableChecks({ file: previous.result.file, diagnostics: previousSyntax }, parsed, change, memo.checks));
}

/** Each result's per-model checks, for the next `checkSourceAfterEdit` (kept out of the public result). */
const modelChecks = new WeakMap<CheckResult, { path: string | undefined; checks: ModelCheck[] }>();

function checkParsed({ file, diagnostics: syntax }: ParseResult, text: string, options: CheckOptions, reuse?: ReuseModelCheck): CheckResult {
  try {
    const checked = checkFile(file, options.path, reuse);
    const symbols = checked.context.symbols.finish();
    const syntaxErrors = syntax.filter((d) => d.severity === 'error');
    const models = checked.models.map((model) =>
      model.ok && syntaxErrors.some((d) => inside(d.range, model.range)) ? { ...model, ok: false } : model,
    );
    const result: CheckResult = {
      file,
      diagnostics: sortAndDeduplicate([...syntax, ...withoutSyntaxEchoes(file, text, syntaxErrors, withoutUnclosedCallEchoes(file, syntaxErrors, checked.diagnostics))]),
      models,
      gans: checked.gans,
      symbols,
      values: checked.context.values.list(),
    };
    modelChecks.set(result, { path: options.path, checks: checked.modelChecks });
    return result;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const internal = makeDiagnostic('NN2099', ['the file', message], { start: 0, end: 0 });
    return { file, diagnostics: sortAndDeduplicate([...syntax, internal]), models: [], gans: [], symbols: [], values: [] };
  }
}

function inside(range: { start: number; end: number }, outer: { start: number; end: number }): boolean {
  return range.start >= outer.start && range.start <= outer.end;
}

/**
 * An unclosed call (`dropout(0.3` at a line's end) swallows what follows into its arguments, e.g. the
 * next pipeline stage (`0.3 |> dense(4)`): the checker's errors between its `(` and the point where
 * the `)` was expected are echoes of the syntax error already reported there, and are dropped.
 */
function withoutUnclosedCallEchoes(file: FileNode, syntaxErrors: readonly Diagnostic[], diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const unclosed = syntaxErrors.flatMap((d) => {
    const match = d.code === 'NN1011' ? /^expected '\)' to close the call to (\S+) opened at/.exec(d.message) : null;
    return match ? [{ callee: match[1]!, end: d.range.end }] : [];
  });
  if (unclosed.length === 0) return [...diagnostics];
  const calls: CallExpr[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node !== null && typeof node === 'object') {
      if ((node as { kind?: unknown }).kind === 'Call') calls.push(node as CallExpr);
      for (const [key, value] of Object.entries(node)) if (key !== 'range' && key !== 'comments') walk(value);
    }
  };
  walk(file.decls);
  const spans = unclosed.flatMap(({ callee, end }) => {
    // The innermost call of that name opened before the error.
    const call = calls.filter((c) => c.callee.name === callee && c.callee.range.end <= end).sort((a, b) => b.callee.range.end - a.callee.range.end)[0];
    return call ? [{ start: call.callee.range.end, end }] : [];
  });
  return diagnostics.filter((d) => d.severity !== 'error' || !spans.some((s) => d.range.start > s.start && d.range.start <= s.end));
}
