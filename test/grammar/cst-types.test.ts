import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateCstDts } from 'chevrotain';
import { describe, expect, it } from 'vitest';
import { sharedParser } from '../../grammar/parser.js';

const CST_TYPES_PATH = fileURLToPath(new URL('../../grammar/cst-types.ts', import.meta.url));

const HEADER = `// Generated from the parser's grammar by chevrotain's generateCstDts (see test/grammar/cst-types.test.ts,
// which regenerates it and fails when it is stale; UPDATE_CST_TYPES=1 rewrites it). Every child is
// optional: error recovery may drop any part of a rule, and the AST builder must cope with that.
`;

/** The CST types as they follow from the grammar, with every child made optional. */
function expectedCstTypes(): string {
  const generated = generateCstDts(sharedParser().getGAstProductions());
  return HEADER + generated.replace(/^ {2}(\w+): (.*\[\];)$/gm, '  $1?: $2');
}

describe('grammar/cst-types.ts', () => {
  it('matches the parser grammar', () => {
    const expected = expectedCstTypes();
    if (process.env['UPDATE_CST_TYPES'] === '1') writeFileSync(CST_TYPES_PATH, expected);
    expect(readFileSync(CST_TYPES_PATH, 'utf8')).toBe(expected);
  });
});
