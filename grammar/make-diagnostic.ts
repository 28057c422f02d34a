import type { SourceRange } from './ast.js';
import type { Diagnostic } from '../diagnostics/types.js';
import { diagnosticDef, formatTemplate } from '../diagnostics/table.js';

/** A diagnostic from a row of the table: its severity and message come from the row's template. */
export function makeDiagnostic(code: string, args: readonly (string | number)[], range: SourceRange): Diagnostic {
  const def = diagnosticDef(code);
  return { code, severity: def.severity, message: formatTemplate(def.template, args), range };
}

/** How a token is named in a message: `'('`, `'model'`, `'h'`, `the end of the file`. */
export function quoteToken(image: string): string {
  if (image === '') return 'the end of the file';
  const shown = image.length > 24 ? `${image.slice(0, 24)}…` : image;
  return `'${shown}'`;
}
