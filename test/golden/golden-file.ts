import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { expect } from 'vitest';

/** `npm run golden:update` sets this: the golden files are rewritten instead of compared. */
const UPDATE = process.env['UPDATE_GOLDEN'] === '1';

/**
 * Compares `actual` with the golden file at `path`. A missing golden fails (it is never written
 * silently); `npm run golden:update` writes every golden, to be reviewed in the diff.
 */
export function expectGolden(actual: string, path: string): void {
  if (UPDATE) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
  }
  if (!existsSync(path)) throw new Error(`no golden file ${path}; run \`npm run golden:update\` and review the diff`);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}
