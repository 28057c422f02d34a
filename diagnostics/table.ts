import type { DiagnosticDef } from './types.js';
import { SYNTAX_DIAGNOSTICS } from './syntax.js';
import { NAME_SHAPE_DIAGNOSTICS } from './names-and-shapes.js';
import { TRAINING_DIAGNOSTICS } from './training.js';
import { BACKEND_DIAGNOSTICS } from './backend.js';

/**
 * The one diagnostics table. Codes by range:
 *   NN1xxx syntax (grammar/), NN2xxx names, blocks and shapes, NN3xxx the train section,
 *   NN4xxx limits and I/O of the front end (file too large, unreadable file), NN5xxx the back end
 *   (lowering and emitting a checked model).
 * Runtime errors (plan validation, data loading) carry their own `NNR` codes in runtime/.
 */
export const DIAGNOSTICS: readonly DiagnosticDef[] = [
  ...SYNTAX_DIAGNOSTICS,
  ...NAME_SHAPE_DIAGNOSTICS,
  ...TRAINING_DIAGNOSTICS,
  ...BACKEND_DIAGNOSTICS,
];

const byCode = new Map(DIAGNOSTICS.map((d) => [d.code, d]));

export function diagnosticDef(code: string): DiagnosticDef {
  const def = byCode.get(code);
  if (!def) throw new Error(`unknown diagnostic code ${code}`);
  return def;
}

/** Fills a template: `format('{0} expected', ['x'])` → `x expected`. */
export function formatTemplate(template: string, args: readonly (string | number)[]): string {
  return template.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)] ?? ''));
}
