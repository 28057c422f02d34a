import { DiagnosticSeverity, type Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CheckResult } from '../../compiler/api-types.js';
import type { Diagnostic, Severity } from '../../diagnostics/types.js';
import { toRange } from '../positions.js';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** The compiler's diagnostics as LSP diagnostics: same code, range, and the related places. */
export function toLspDiagnostics(document: TextDocument, result: CheckResult): LspDiagnostic[] {
  return result.diagnostics.map((d) => toLspDiagnostic(document, d));
}

export function toLspDiagnostic(document: TextDocument, diagnostic: Diagnostic): LspDiagnostic {
  const out: LspDiagnostic = {
    range: toRange(document, diagnostic.range),
    severity: SEVERITY[diagnostic.severity],
    code: diagnostic.code,
    source: 'nnet',
    message: diagnostic.message,
  };
  if (diagnostic.related?.length) {
    out.relatedInformation = diagnostic.related.map((r) => ({
      message: r.message,
      location: { uri: document.uri, range: toRange(document, r.range) },
    }));
  }
  return out;
}
