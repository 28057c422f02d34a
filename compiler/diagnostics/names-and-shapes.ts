import type { DiagnosticDef } from './types.js';

export const NAME_SHAPE_DIAGNOSTICS: readonly DiagnosticDef[] = [];
