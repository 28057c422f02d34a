import { CodeActionKind, type CodeAction, type Diagnostic as LspDiagnostic, type Range } from 'vscode-languageserver';
import type { Diagnostic } from '../../diagnostics/types.js';
import { overlaps, toRange, toSourceRange } from '../positions.js';
import { toLspDiagnostic } from './diagnostics.js';
import { extractToBlock } from './extract-block.js';
import type { ProviderContext } from './context.js';

/**
 * Quick fixes come from the compiler: every diagnostic that carries a `fix` (insert flatten,
 * replace a misspelt name, fix a loss/activation mismatch) becomes one action. The server adds
 * the "extract to block" refactoring for a selected run of assignments.
 */
export function codeActions(ctx: ProviderContext, range: Range, only?: string[]): CodeAction[] {
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
  return actions;
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
