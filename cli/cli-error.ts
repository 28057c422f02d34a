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
