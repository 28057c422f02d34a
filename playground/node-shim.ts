/**
 * What the page gets for `node:fs` and `node:path` (see scripts/build-playground.mjs): the compiler
 * reaches them only through files/guarded-files.ts, to read weight files named in the source, which a
 * page cannot do. Every file function fails as an unreadable file would, so the compiler reports it as
 * a diagnostic; esbuild names any function added to guarded-files.ts that is missing here.
 */
function unavailable(): never {
  throw new Error('the playground cannot read files; use the CLI for weights loaded from files');
}

export const readFileSync = unavailable;
export const openSync = unavailable;
export const closeSync = unavailable;
export const fstatSync = unavailable;
export const fsyncSync = unavailable;
export const readSync = unavailable;
export const writeSync = unavailable;
export const statSync = unavailable;
export const mkdirSync = unavailable;
export const readdirSync = unavailable;
export const realpathSync = unavailable;
export const renameSync = unavailable;
export const rmSync = unavailable;

export function resolve(...parts: string[]): string {
  return parts[parts.length - 1] ?? '';
}

export function dirname(path: string): string {
  return path.replace(/\/[^/]*$/, '') || '.';
}

export function basename(path: string): string {
  return path.replace(/^.*\//, '');
}

export function join(...parts: string[]): string {
  return parts.filter((p) => p !== '').join('/');
}
