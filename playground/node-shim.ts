/**
 * What the page gets for `node:fs` and `node:path` (see scripts/build-playground.mjs): the compiler
 * imports them only to read weight files named in the source, which a page cannot do.
 */
export function readFileSync(path: string): never {
  throw new Error(`the playground cannot read files (${path}); use the CLI for weights loaded from files`);
}

export function resolve(...parts: string[]): string {
  return parts[parts.length - 1] ?? '';
}

export function dirname(path: string): string {
  return path.replace(/\/[^/]*$/, '') || '.';
}

// The guarded file layer (files/guarded-files.ts), which the compiler's `load(...)` goes through:
// every file operation fails the same way on the page.
const noFiles = (): never => {
  throw new Error('the playground cannot read or write files; use the CLI for weights loaded from files');
};
export const openSync = noFiles;
export const closeSync = noFiles;
export const fstatSync = noFiles;
export const fsyncSync = noFiles;
export const mkdirSync = noFiles;
export const readdirSync = noFiles;
export const readSync = noFiles;
export const realpathSync = noFiles;
export const renameSync = noFiles;
export const rmSync = noFiles;
export const statSync = noFiles;
export const writeSync = noFiles;

export function basename(path: string): string {
  return path.replace(/^.*\//, '');
}

export function join(...parts: string[]): string {
  return parts.join('/');
}
