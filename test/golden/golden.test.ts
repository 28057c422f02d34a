import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkSource } from '../../compiler/index.js';
import { renderDiagnostics } from '../../diagnostics/render.js';
import { DIAGNOSTICS } from '../../diagnostics/table.js';
import { expectGolden } from './golden-file.js';

/**
 * Golden error files: every `test/golden/errors/**\/NAME.nnet` is checked with `checkSource`, its
 * diagnostics rendered as `nnet check` prints them, and compared with `NAME.errors.txt` beside it.
 * A missing expected file fails; `npm run golden:update` rewrites them: review the diff before committing.
 *
 * Files are named by their base name (`arguments.nnet:4:7: ...`) so the expected output does not
 * depend on where the corpus lives.
 */

const ERRORS_ROOT = fileURLToPath(new URL('./errors', import.meta.url));

/**
 * Codes no golden file can show, each with the reason. Everything else in the table must appear
 * in at least one expected file.
 */
const NOT_IN_GOLDEN_FILES: Readonly<Record<string, string>> = {
  NN4001: 'needs a file over 16 MiB; generated in test/grammar/limits.test.ts instead',
  NN4004: 'an internal parser error; no input is meant to trigger it',
  NN2099: 'an internal checker error, provoked by a mock in test/compiler/check/internal-error.test.ts',
  NN4005: 'a file the CLI cannot read (missing, a folder, a device): test/cli/check.test.ts and test/hostile/cli.test.ts',
  NN4006: 'an output path refused before the work starts: test/hostile/cli.test.ts',
};

function goldenSources(directory: string): string[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.nnet'))
    .map((name) => join(directory, name))
    .sort();
}

function expectedPath(source: string): string {
  return source.replace(/\.nnet$/, '.errors.txt');
}

function render(source: string): string {
  const text = readFileSync(source, 'utf8');
  const name = basename(source);
  return renderDiagnostics(checkSource(text, { path: name }).diagnostics, text, name);
}

const sources = goldenSources(ERRORS_ROOT);

describe('golden error files', () => {
  it('finds golden files', () => {
    expect(sources.length).toBeGreaterThan(0);
  });

  for (const source of sources) {
    const name = relative(ERRORS_ROOT, source).split(sep).join('/');
    it(name, () => {
      expectGolden(render(source), expectedPath(source));
    });
  }

  it('exercise every diagnostic code of the table', () => {
    const shown = new Set<string>();
    for (const source of sources) {
      const file = expectedPath(source);
      if (!existsSync(file)) continue;
      for (const match of readFileSync(file, 'utf8').matchAll(/^\S+:\d+:\d+: (?:error|warning|info) (NN\d{4}):/gm)) {
        shown.add(match[1]!);
      }
    }
    // NN5xxx come from compiling, not checking: test/compiler/emit covers them.
    const checkCodes = DIAGNOSTICS.map((d) => d.code).filter((code) => !code.startsWith('NN5'));
    const missing = checkCodes.filter((code) => !shown.has(code) && !(code in NOT_IN_GOLDEN_FILES));
    expect(missing, 'codes that no golden error file shows').toEqual([]);
  });
});
