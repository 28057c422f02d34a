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
