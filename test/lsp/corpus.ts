import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The examples and the LSP fixtures: the texts the editor tests type into and paste from. */
export function sampleTexts(): string[] {
  const dirs = [join(root, 'examples'), join(root, 'test/lsp/fixtures')];
  return dirs.flatMap((dir) =>
    existsSync(dir)
      ? readdirSync(dir)
          .filter((f) => f.endsWith('.nnet'))
          .sort()
          .map((f) => readFileSync(join(dir, f), 'utf8'))
      : [],
  );
}

