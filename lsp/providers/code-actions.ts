import { CodeActionKind, type CodeAction, type Diagnostic as LspDiagnostic, type Range, type TextEdit } from 'vscode-languageserver';
import type { Diagnostic } from '../../diagnostics/types.js';
import { overlaps, toRange, toSourceRange } from '../positions.js';
import { toLspDiagnostic } from './diagnostics.js';
import { extractToBlock } from './extract-block.js';
import { formattedEdits, type LineSpan } from './formatting.js';
import type { ProviderContext } from './context.js';

/**
 * Quick fixes come from the compiler: every diagnostic that carries a `fix` (insert flatten,
 * replace a misspelt name, fix a loss/activation mismatch) becomes one action. The server adds
 * the "extract to block" refactoring for a selected run of assignments. Every action's edit is
 * formatted: applying it leaves the lines it touches as `nnet fmt` prints them.
 */
export async function codeActions(ctx: ProviderContext, range: Range, only?: string[]): Promise<CodeAction[]> {
  const wanted = toSourceRange(ctx.document, range);
  const actions: CodeAction[] = [];
  const allows = (kind: string): boolean => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
  if (allows(CodeActionKind.QuickFix)) {
    for (const diagnostic of ctx.result.diagnostics) {
      if (!diagnostic.fix || !touchesRange(diagnostic, wanted)) continue;
      actions.push(quickFix(ctx, diagnostic));
    }
  }
  if (allows(CodeActionKind.RefactorExtract)) {
    const extract = extractToBlock(ctx, wanted);
    if (extract) actions.push(extract);
  }
  return Promise.all(actions.map((action) => formatted(ctx, action)));
}

async function formatted(ctx: ProviderContext, action: CodeAction): Promise<CodeAction> {
  const edits = action.edit?.changes?.[ctx.document.uri];
  if (!edits) return action;
  const within = declarationLines(ctx, edits);
  return { ...action, edit: { changes: { [ctx.document.uri]: await formattedEdits(ctx.document, edits, within) } } };
}

/** The lines of the top-level declarations that the edits touch, if they touch any. */
function declarationLines(ctx: ProviderContext, edits: TextEdit[]): LineSpan | undefined {
  const offsets = edits.flatMap((e) => [ctx.document.offsetAt(e.range.start), ctx.document.offsetAt(e.range.end)]);
  const start = Math.min(...offsets);
  const end = Math.max(...offsets);
  const touched = ctx.result.file.decls.filter((d) => d.range.start <= end && d.range.end >= start);
  if (touched.length === 0) return undefined;
  return {
    first: ctx.document.positionAt(Math.min(...touched.map((d) => d.range.start))).line,
    last: ctx.document.positionAt(Math.max(...touched.map((d) => d.range.end))).line,
  };
}

function touchesRange(diagnostic: Diagnostic, range: { start: number; end: number }): boolean {
  const widened = { start: range.start, end: Math.max(range.end, range.start + 1) };
  return overlaps(diagnostic.range, widened) || diagnostic.range.start === range.start;
}

function quickFix(ctx: ProviderContext, diagnostic: Diagnostic): CodeAction {
  const fix = diagnostic.fix!;
  const lspDiagnostic: LspDiagnostic = toLspDiagnostic(ctx.document, diagnostic);
  return {
    title: fix.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [lspDiagnostic],
    isPreferred: true,
    edit: {
      changes: {
        [ctx.document.uri]: fix.edits.map((e) => ({ range: toRange(ctx.document, e.range), newText: e.newText })),
      },
    },
  };
}
