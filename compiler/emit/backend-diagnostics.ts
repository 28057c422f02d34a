import type { SourceRange } from '../../grammar/ast.js';
import type { Diagnostic } from '../diagnostics/types.js';
import { diagnosticDef, formatTemplate } from '../diagnostics/table.js';

/** The back end's codes, rows of compiler/diagnostics/backend.ts. */
export type BackendCode = 'NN5001' | 'NN5002' | 'NN5003' | 'NN5004' | 'NN5005' | 'NN5006' | 'NN5007';

export function backendDiagnostic(code: BackendCode, range: SourceRange, ...args: string[]): Diagnostic {
  const def = diagnosticDef(code);
  return { code, severity: def.severity, message: formatTemplate(def.template, args), range };
}
