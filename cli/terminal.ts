import picocolors from 'picocolors';
import type { Paint } from '../diagnostics/render.js';

/**
 * Colour on the terminal, decided per stream when something is printed (so tests can switch it):
 *
 *   NO_COLOR set and not empty      → never (https://no-color.org)
 *   FORCE_COLOR=0 or false          → never
 *   FORCE_COLOR set to anything else → always, also into a pipe or a file
 *   otherwise                        → when the stream is a terminal (and TERM is not dumb)
 *
 * Files written by nnet and everything printed into a pipe (CI logs, the golden tests) stay plain.
 */
export function colorEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  return stream.isTTY === true && env['TERM'] !== 'dumb';
}

/** The colours for text written to `stream`: picocolors when colour is on, identity functions when off. */
export function paintFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Paint {
  return picocolors.createColors(colorEnabled(stream, env));
}

/** Colours for stderr, where every error and diagnostic goes. */
export function stderrPaint(): Paint {
  return paintFor(process.stderr);
}

/** An error for people: `where: error CODE: message`, the one format of every command. */
export interface UserErrorLine {
  location?: string;
  code?: string;
  message: string;
}

/** `data.csv:4:2: error NNR5003: cell "abc" is not a number` (the parts coloured like a diagnostic's header). */
export function errorLine(error: UserErrorLine, paint: Paint): string {
  const where = error.location ? `${paint.bold(`${error.location}:`)} ` : '';
  const code = error.code ? ` ${error.code}` : '';
  return `${where}${paint.bold(paint.red(`error${code}:`))} ${paint.bold(error.message)}`;
}

/** `1 error`, `2 errors`. */
export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
