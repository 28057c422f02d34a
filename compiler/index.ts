import { parse, type ParseResult } from '../grammar/index.js';
import { reparseAfterEdit } from '../grammar/reparse.js';
import type { CheckResult } from './api-types.js';
import { checkFile } from './check/check-file.js';
import { sortAndDeduplicate } from './check/reporter.js';

export type { CheckResult } from './api-types.js';

export interface CheckOptions {
  /** Path of the .nnet file, for resolving `load(...)` paths and `data` files relative to it. */
  path?: string;
}

/**
 * Parses and checks a .nnet document: syntax, names, blocks, shapes, the train sections and gans.
 * Never throws: every problem, including a bug in the checker, is a diagnostic.
 */
export function checkSource(text: string, options: CheckOptions = {}): CheckResult {
  return checkParsed(parse(text), options);
}

/** A document's previous text and its check, kept by an editor between edits. */
export interface PreviousCheck {
  text: string;
  result: CheckResult;
}

/**
 * The same result as `checkSource(text, options)`, computed faster after an edit: when the edit
 * stays inside one model of a file without syntax errors, only that model is re-parsed and the
 * other declarations' syntax trees are reused (see grammar/reparse.ts); otherwise the whole text
 * is parsed. Names, blocks and shapes are always checked on the whole file, so nothing that
 * depends on another declaration can go stale. The language server calls this on every change.
 */
export function checkSourceAfterEdit(text: string, previous: PreviousCheck, options: CheckOptions = {}): CheckResult {
  const previousSyntax = previous.result.diagnostics.filter((d) => d.code.startsWith('NN1') || d.code.startsWith('NN4'));
  const parsed = reparseAfterEdit(previous.text, { file: previous.result.file, diagnostics: previousSyntax }, text);
  return checkParsed(parsed ?? parse(text), options);
}

function checkParsed({ file, diagnostics: syntax }: ParseResult, options: CheckOptions): CheckResult {
  try {
    const checked = checkFile(file, options.path);
    const symbols = checked.context.symbols.finish();
    for (const model of checked.models) model.ok &&= !syntax.some((d) => d.severity === 'error' && inside(d.range, model.range));
    return {
      file,
      diagnostics: sortAndDeduplicate([...syntax, ...checked.diagnostics]),
      models: checked.models,
      gans: checked.gans,
      symbols,
      values: checked.context.values.list(),
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const internal = {
      code: 'NN2099',
      severity: 'error' as const,
      message: `internal error while checking the file: ${message}`,
      range: { start: 0, end: 0 },
    };
    return { file, diagnostics: sortAndDeduplicate([...syntax, internal]), models: [], gans: [], symbols: [], values: [] };
  }
}

function inside(range: { start: number; end: number }, outer: { start: number; end: number }): boolean {
  return range.start >= outer.start && range.start <= outer.end;
}
