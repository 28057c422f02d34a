import type { SourceRange } from '../../grammar/ast.js';
import { makeDiagnostic } from '../../diagnostics/make.js';
import type { DiagnosticArgs, DiagnosticCode } from '../../diagnostics/table.js';
import type { Diagnostic, Fix, RelatedInfo } from '../../diagnostics/types.js';

export interface ReportExtras {
  related?: RelatedInfo[];
  fix?: Fix;
}

/** A block call being expanded: diagnostics inside the block also point at this call. */
interface ExpansionFrame {
  block: string;
  call: SourceRange;
}

/**
 * Collects the checker's diagnostics. While a block is being expanded, every diagnostic gets a
 * related location at the call that expanded it ("in block 'residual' used here"), so an error on a
 * line of the block can be traced to the use that triggered it.
 */
export class Reporter {
  readonly diagnostics: Diagnostic[] = [];
  private readonly expansions: ExpansionFrame[] = [];

  report<C extends DiagnosticCode>(code: C, args: DiagnosticArgs<C>, range: SourceRange, extras: ReportExtras = {}): Diagnostic {
    const related = [...(extras.related ?? [])];
    for (let i = this.expansions.length - 1; i >= 0; i--) {
      const frame = this.expansions[i]!;
      related.push({ message: `in block '${frame.block}' used here`, range: frame.call });
    }
    const diagnostic = makeDiagnostic(code, args, range);
    if (related.length > 0) diagnostic.related = related;
    if (extras.fix) diagnostic.fix = extras.fix;
    this.diagnostics.push(diagnostic);
    return diagnostic;
  }

  /** Runs `body` with diagnostics attributed to a block expansion at `call`. */
  withinBlock<T>(block: string, call: SourceRange, body: () => T): T {
    this.expansions.push({ block, call });
    try {
      return body();
    } finally {
      this.expansions.pop();
    }
  }

  get errorCount(): number {
    return this.diagnostics.filter((d) => d.severity === 'error').length;
  }
}

/** Runs one unit of checking; a thrown error (a checker bug) becomes an NN2099 diagnostic. */
export function guarded<T>(reporter: Reporter, what: string, range: SourceRange, body: () => T): T | undefined {
  try {
    return body();
  } catch (error) {
    const message = error instanceof RangeError ? 'the model nests too deeply' : error instanceof Error ? error.message : String(error);
    reporter.report('NN2099', [what, message], { start: range.start, end: range.start });
    return undefined;
  }
}

/**
 * Document order, errors before warnings, and at most one diagnostic per start position (a block
 * expanded twice reports its error once; a semantic echo of a syntax error is dropped).
 */
export function sortAndDeduplicate(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  // One diagnostic per position: the first reported wins. Syntax diagnostics are passed in first,
  // so a parse error is never echoed by a semantic one at the same spot.
  const rank = { error: 0, warning: 1, info: 2 } as const;
  const sorted = diagnostics
    .map((d, index) => ({ d, index }))
    .sort((a, b) => a.d.range.start - b.d.range.start || rank[a.d.severity] - rank[b.d.severity] || a.index - b.index)
    .map(({ d }) => d);
  const unique: Diagnostic[] = [];
  for (const d of sorted) {
    const previous = unique[unique.length - 1];
    if (previous && previous.range.start === d.range.start) continue;
    unique.push(d);
  }
  return unique;
}
