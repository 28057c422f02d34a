import type { Decl, FileNode, SourceRange } from '../grammar/ast.js';
import type { Diagnostic } from '../diagnostics/types.js';

/**
 * The checker's diagnostics that are consequences of a statement the parser could not read, which
 * the syntax error there already explains; they are dropped so that a model shows its real errors
 * and not a cascade (`output train = ...` is one NN1010, not also "no output" and "input never used").
 *
 * A damaged region is the statement that holds a syntax error or that the error follows on its line
 * (a model or block statement, one line of a train section or gan: `epochs = 10` is the setting
 * `epochs` followed by stray tokens), or the error's own span when recovery kept no statement there.
 * Dropped:
 * - every other checker diagnostic inside a damaged region (it checked a guess at the statement);
 * - NN2005 and NN2029 (never used), NN2001 (not defined) and NN2028 (block never used) about a name
 *   that a damaged region mentions elsewhere than at the diagnostic: that statement may have used
 *   or defined it;
 * - NN2020 (no input/output) of a model with a damaged region: the statement may have been it.
 * Everything else, in other statements, is still reported.
 */
const ABOUT_A_NAME = new Set(['NN2001', 'NN2005', 'NN2028', 'NN2029']);

export function withoutSyntaxEchoes(file: FileNode, text: string, syntaxErrors: readonly Diagnostic[], diagnostics: readonly Diagnostic[]): Diagnostic[] {
  if (syntaxErrors.length === 0) return [...diagnostics];
  // One region per statement, however many errors it holds.
  const byStart = new Map<number, SourceRange>();
  const statements = new Map<Decl, SourceRange[]>();
  for (const error of syntaxErrors) {
    const region = statementOf(file.decls, statements, error.range, text) ?? error.range;
    if ((byStart.get(region.start)?.end ?? -1) < region.end) byStart.set(region.start, region);
  }
  const damaged = [...byStart.values()];
  const mentions = new Map<string, number[]>();
  for (const region of damaged) {
    for (const word of text.slice(region.start, region.end).matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) {
      const at = mentions.get(word[0]);
      if (at) at.push(region.start + word.index);
      else mentions.set(word[0], [region.start + word.index]);
    }
  }
  const models = file.decls.filter((d) => d.kind === 'Model');
  return diagnostics.filter((d) => {
    if (ABOUT_A_NAME.has(d.code)) return !(mentions.get(text.slice(d.range.start, d.range.end)) ?? []).some((at) => at !== d.range.start);
    if (damaged.some((region) => within(d.range, region))) return false;
    if (d.code === 'NN2020') {
      const model = models.find((m) => within(d.range, m.range));
      if (model && damaged.some((region) => within(region, model.range))) return false;
    }
    return true;
  });
}

function within(range: SourceRange, outer: SourceRange): boolean {
  return range.start >= outer.start && range.end <= outer.end;
}

/** The statement that holds `at`, or that `at` follows on the same line, with only spaces between. */
function statementOf(decls: readonly Decl[], cache: Map<Decl, SourceRange[]>, at: SourceRange, text: string): SourceRange | undefined {
  for (const decl of decls) {
    if (at.start < decl.range.start || at.start > decl.range.end) continue;
    let statements = cache.get(decl);
    if (!statements) {
      statements = (
        decl.kind === 'Model'
          ? decl.body.flatMap((s): Array<{ range: SourceRange }> => (s.kind === 'Train' ? s.settings : [s]))
          : decl.kind === 'Block'
            ? [...decl.body, ...(decl.result ? [decl.result] : [])]
            : decl.kind === 'Gan'
              ? [...decl.settings, ...(decl.train?.settings ?? [])]
              : [decl]
      ).map((s) => s.range);
      cache.set(decl, statements);
    }
    return statements.find((s) => at.start >= s.start && at.start <= s.end && /^[ \t]*$/.test(text.slice(s.end, Math.max(s.end, at.start))))
      ?? statements.find((s) => at.start >= s.start && at.start <= s.end)
      ?? statements.find((s) => s.end <= at.start && /^[ \t]*$/.test(text.slice(s.end, at.start)));
  }
  return undefined;
}
