import type { SourceRange } from '../../grammar/ast.js';
import type { Diagnostic } from '../diagnostics/types.js';

/**
 * Diagnostics of the compiler's back half (NN5xxx): problems found only when lowering or emitting a
 * model that the front end accepted, e.g. an op the back end cannot run yet.
 */
export const BACKEND_DIAGNOSTICS = {
  NN5001: { template: "model '{0}' not found", explanation: 'The model named on the command line is not declared in the file.' },
  NN5002: { template: "model '{0}' has errors; fix them before compiling", explanation: 'Compilation needs a model without check errors.' },
  NN5003: { template: '{0}', explanation: 'The back end cannot lower this layer (yet). The message names the op.' },
  NN5004: { template: "model '{0}' has no train section", explanation: 'Training plans need a `train { ... }` section with a loss and an optimizer.' },
  NN5006: { template: '{0}', explanation: 'A step has no WebGPU kernel yet; compile with --target cpu.' },
  NN5005: { template: '{0}', explanation: 'A parameter could not be initialised (symbolic shape, wrong number of literal values, unreadable file).' },
} as const;

export type BackendCode = keyof typeof BACKEND_DIAGNOSTICS;

export function backendDiagnostic(code: BackendCode, range: SourceRange, ...args: string[]): Diagnostic {
  const message = BACKEND_DIAGNOSTICS[code].template.replace(/\{(\d+)\}/g, (_, i: string) => args[Number(i)] ?? '');
  return { code, severity: 'error', message, range };
}
