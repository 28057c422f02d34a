import type { Diagnostic, SourceRange } from './types.js';
import { diagnosticDef, type DiagnosticArgs, type DiagnosticCall, type DiagnosticCode } from './table.js';
import { formatTemplate, type TemplateArg } from './template-args.js';

/** `code`'s message: its template filled with `args`, which the type checker counts. */
export function diagnosticMessage<C extends DiagnosticCode>(code: C, args: DiagnosticArgs<C>): string {
  return formatTemplate(diagnosticDef(code).template, args);
}

/** A diagnostic from a row of the table: its severity and message come from the row. */
export function makeDiagnostic<C extends DiagnosticCode>(code: C, args: DiagnosticArgs<C>, range: SourceRange): Diagnostic {
  return build(code, args, range);
}

/** The same, for a code chosen at run time together with its arguments. */
export function diagnosticFrom(call: DiagnosticCall, range: SourceRange): Diagnostic {
  return build(call.code, call.args, range);
}

function build(code: DiagnosticCode, args: readonly TemplateArg[], range: SourceRange): Diagnostic {
  const def = diagnosticDef(code);
  return { code, severity: def.severity, message: formatTemplate(def.template, args), range };
}
