import type { DiagnosticDef } from './types.js';
import type { TemplateArgs } from './template-args.js';
import { SYNTAX_DIAGNOSTICS } from './syntax.js';
import { NAME_SHAPE_DIAGNOSTICS } from './names-and-shapes.js';
import { TRAINING_DIAGNOSTICS } from './training.js';
import { BACKEND_DIAGNOSTICS } from './backend.js';

/**
 * The one diagnostics table. Codes by range:
 *   NN1xxx syntax (grammar/), NN2xxx names, blocks and shapes, NN3xxx the train section,
 *   NN4xxx limits and I/O of the front end (file too large, unreadable file), NN5xxx the back end
 *   (lowering and emitting a checked model) and the CLI's internal error.
 * Runtime errors (plan validation, data loading) carry their own `NNR` codes in runtime/.
 */
export const DIAGNOSTICS = [
  ...SYNTAX_DIAGNOSTICS,
  ...NAME_SHAPE_DIAGNOSTICS,
  ...TRAINING_DIAGNOSTICS,
  ...BACKEND_DIAGNOSTICS,
] as const satisfies readonly DiagnosticDef[];

type Row = (typeof DIAGNOSTICS)[number];

/** Every code of the table, as a union of string literals. */
export type DiagnosticCode = Row['code'];

/** The arguments `code`'s template takes, one per placeholder. */
export type DiagnosticArgs<C extends DiagnosticCode> = TemplateArgs<Extract<Row, { code: C }>['template']>;

/** A code with its arguments, for code that picks the diagnostic at run time. */
export type DiagnosticCall = { [C in DiagnosticCode]: { code: C; args: DiagnosticArgs<C> } }[DiagnosticCode];

const byCode = new Map<string, DiagnosticDef>(DIAGNOSTICS.map((d) => [d.code, d]));

export function isDiagnosticCode(code: string): code is DiagnosticCode {
  return byCode.has(code);
}

export function diagnosticDef(code: DiagnosticCode): DiagnosticDef {
  const def = byCode.get(code);
  if (!def) throw new Error(`unknown diagnostic code ${code}`);
  return def;
}
