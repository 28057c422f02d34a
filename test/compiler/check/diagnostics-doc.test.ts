import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diagnosticsDoc } from '../../../cli/format/diagnostics-doc.js';
import { DIAGNOSTICS } from '../../../diagnostics/table.js';

describe('docs/diagnostics.md', () => {
  it('is up to date with the diagnostics table (regenerate: npx tsc -p tsconfig.json && node scripts/gen-diagnostics-doc.mjs)', () => {
    const doc = readFileSync(new URL('../../../docs/diagnostics.md', import.meta.url), 'utf8');
    expect(doc).toBe(diagnosticsDoc());
  });

  it('lists every code once, with unique codes in the table', () => {
    const codes = DIAGNOSTICS.map((d) => d.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(diagnosticsDoc()).toContain(`### ${code} (`);
  });
});
