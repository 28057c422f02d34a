import type { DiagnosticDef } from './types.js';

export const SYNTAX_DIAGNOSTICS: readonly DiagnosticDef[] = [];
