/** A user error found by the CLI itself, printed as `location: error CODE: message` (exit code 1). */
export class CliError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly location?: string,
  ) {
    super(message);
  }
}

/**
 * The input's diagnostics are printed already (with their code frames); the command ends with
 * `summary`, a plain line such as `2 errors in bad.nnet; nothing was run`, and exit code 1.
 */
export class DiagnosticsReported extends Error {
  constructor(readonly summary: string) {
    super(summary);
    this.name = 'DiagnosticsReported';
  }
}
