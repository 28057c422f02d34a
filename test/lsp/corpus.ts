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

/** A small deterministic generator (mulberry32), so a failing fuzz run can be replayed by its seed. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
