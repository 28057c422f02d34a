import { describe, expect, it } from 'vitest';
import { diagnosticMessage, makeDiagnostic } from '../../diagnostics/make.js';
import type { DiagnosticArgs } from '../../diagnostics/table.js';

// The `@ts-expect-error` lines are the test: `tsc -p tsconfig.test.json` fails if a wrong call compiles.
const range = { start: 0, end: 1 };

describe('typed diagnostic codes', () => {
  it('fills a template with as many arguments as it has placeholders', () => {
    const args: DiagnosticArgs<'NN1011'> = [')', 'the call to dense', '3:7'];
    expect(diagnosticMessage('NN1011', args)).toBe("expected ')' to close the call to dense opened at 3:7");
    expect(makeDiagnostic('NN2017', [], range).code).toBe('NN2017');
  });

  it('rejects a wrong argument count or an unknown code at compile time', () => {
    const calls = [
      // @ts-expect-error NN2001 takes two arguments (the name and a hint)
      () => makeDiagnostic('NN2001', ['x'], range),
      // @ts-expect-error NN2017 takes none
      () => makeDiagnostic('NN2017', ['x'], range),
      // @ts-expect-error not a code of the table
      () => makeDiagnostic('NN9999', [], range),
    ];
    expect(calls).toHaveLength(3);
  });
});
