import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Builds the `nnet` CLI (and with it the language server) into one ESM file for the end-to-end
 * tests, so they run the real executable without depending on a fresh `tsc` build of the whole tree.
 * The file lives under node_modules/.cache so its dependencies resolve from the project.
 */
export async function buildCli(): Promise<string> {
  const outdir = join(root, 'node_modules/.cache/nnet-lsp-test');
  mkdirSync(outdir, { recursive: true });
  const outfile = join(outdir, `nnet-${process.pid}.mjs`);
  await build({
    entryPoints: [join(root, 'cli/main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
  return outfile;
}
