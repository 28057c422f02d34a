import type { DiagnosticDef } from './types.js';

export const TRAINING_DIAGNOSTICS: readonly DiagnosticDef[] = [];
