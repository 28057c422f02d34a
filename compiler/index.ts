import type { Decl } from '../grammar/ast.js';
import { parse, type ParseResult } from '../grammar/index.js';
import { changedSpan, reparseAfterEdit, type TextChange } from '../grammar/reparse.js';
import type { CheckResult } from './api-types.js';
import { checkFile, type ReuseModelCheck } from './check/check-file.js';
import type { ModelCheck } from './check/model-check.js';
import { remapModelCheck, type OffsetMap } from './check/remap.js';
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
 * The same result as `checkSource(text, options)`, computed faster after an edit. Parsing: when
 * the edit stays inside one model, block or gan, only that declaration is re-parsed
 * (grammar/reparse.ts). Checking: a model's check depends only on its own text and the top-level
 * declarations it uses, so when those are unchanged (the same top-level names, constants untouched,
 * no block it expands touched) a model the edit did not touch reuses its previous check with its
 * ranges moved; only the edited model, or the models expanding an edited block, are checked again. Top-level names, gans and unused blocks are always
 * checked again. The language server calls this on every change.
 */
export function checkSourceAfterEdit(text: string, previous: PreviousCheck, options: CheckOptions = {}): CheckResult {
  const previousSyntax = previous.result.diagnostics.filter((d) => d.code.startsWith('NN1') || d.code.startsWith('NN4'));
  const parsed = reparseAfterEdit(previous.text, { file: previous.result.file, diagnostics: previousSyntax }, text) ?? parse(text);
  const memo = modelChecks.get(previous.result);
  if (!memo || memo.path !== options.path) return checkParsed(parsed, options);
  const change = changedSpan(previous.text, text);
  if (!change) return checkParsed(parsed, options, (_, index) => memo.checks[index]);
  const untouched = untouchedModels({ file: previous.result.file, diagnostics: previousSyntax }, parsed, change, memo.checks);
  if (!untouched) return checkParsed(parsed, options);
  const map = offsetMap(change);
  return checkParsed(parsed, options, (_, index) => {
    const check = memo.checks[index];
    if (!check || !untouched[index]) return undefined;
    // A check whose ranges all end before the change keeps them: reuse it as it is.
    return change.delta === 0 || check.lastOffset <= change.start ? check : remapModelCheck(check, map);
  });
}

/** Each result's per-model checks, for the next `checkSourceAfterEdit` (kept out of the public result). */
const modelChecks = new WeakMap<CheckResult, { path: string | undefined; checks: ModelCheck[] }>();

/**
 * For each model (in document order), whether its previous check still holds after `change`:
 * the model lies outside the changed text, parsed cleanly before and after, and sits at the same
 * place moved by the change (so its text, hence its syntax tree, is the same), and it expands no
 * block the change touched. Undefined when no model's check holds: a top-level name changed
 * (every model sees them all), or a constant was touched (any model may read it).
 */
function untouchedModels(before: ParseResult, after: ParseResult, change: TextChange, checks: readonly ModelCheck[]): boolean[] | undefined {
  const old = before.file.decls;
  const now = after.file.decls;
  if (old.length !== now.length) return undefined;
  const map = offsetMap(change);
  const sameModels: boolean[] = [];
  const touchedBlocks = new Set<string>();
  for (let i = 0; i < old.length; i++) {
    const a = old[i]!;
    const b = now[i]!;
    if (a.kind !== b.kind || a.name.name !== b.name.name || a.name.missing !== b.name.missing) return undefined;
    const same =
      (a.range.end <= change.start || a.range.start >= change.oldEnd) &&
      map(a.range.start) === b.range.start &&
      map(a.range.end) === b.range.end &&
      parsedCleanly(a, before) &&
      parsedCleanly(b, after);
    if (a.kind === 'Model') sameModels.push(same);
    else if (!same && a.kind === 'Block') touchedBlocks.add(a.name.name);
    else if (!same && a.kind === 'Let') return undefined;
  }
  // A model depends on a block only by expanding it (directly or through another block), and
  // every expansion is recorded in `usedBlocks`.
  return sameModels.map((same, i) => same && !checks[i]?.usedBlocks.some((block) => touchedBlocks.has(block)));
}

function parsedCleanly(decl: Decl, { diagnostics }: ParseResult): boolean {
  return !diagnostics.some((d) => d.range.start <= decl.range.end && d.range.end >= decl.range.start);
}

/**
 * Offsets before the change stay, offsets from its end move by its length change. Only ranges
 * of declarations outside the change are mapped (see `untouchedModels`), so no offset falls
 * strictly inside it.
 */
function offsetMap({ start, oldEnd, delta }: TextChange): OffsetMap {
  return (offset) => (offset <= start ? offset : offset >= oldEnd ? offset + delta : offset);
}

function checkParsed({ file, diagnostics: syntax }: ParseResult, options: CheckOptions, reuse?: ReuseModelCheck): CheckResult {
  try {
    const checked = checkFile(file, options.path, reuse);
    const symbols = checked.context.symbols.finish();
    const syntaxErrors = syntax.filter((d) => d.severity === 'error');
    const models = checked.models.map((model) =>
      model.ok && syntaxErrors.some((d) => inside(d.range, model.range)) ? { ...model, ok: false } : model,
    );
    const result: CheckResult = {
      file,
      diagnostics: sortAndDeduplicate([...syntax, ...checked.diagnostics]),
      models,
      gans: checked.gans,
      symbols,
      values: checked.context.values.list(),
    };
    modelChecks.set(result, { path: options.path, checks: checked.modelChecks });
    return result;
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
