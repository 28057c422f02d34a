import type { SourceRange } from '../../grammar/ast.js';
import type { Diagnostic } from '../../diagnostics/types.js';
import { makeDiagnostic } from '../../diagnostics/make.js';
import type { DiagnosticArgs, DiagnosticCode } from '../../diagnostics/table.js';

/** The back end's codes, rows of diagnostics/backend.ts. */
export type BackendCode = Extract<DiagnosticCode, `NN5${string}`>;

export function backendDiagnostic<C extends BackendCode>(code: C, range: SourceRange, ...args: DiagnosticArgs<C>): Diagnostic {
  return makeDiagnostic(code, args, range);
}
